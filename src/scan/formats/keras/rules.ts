import { cve, modelCode, type RuleInfo } from '../../rule-refs.js';

export const kerasRules = {
  'keras.lambda-code': {
    title: 'Keras Lambda layer carries Python bytecode',
    severity: 'high',
    category: 'code-execution',
    description:
      'A Lambda layer (or a serialized __lambda__) holds a marshalled Python code object that Keras rebuilds and calls when the model is loaded and run. Legacy .h5 files and Keras before 2.13 run it without any safe-mode check. The finding is critical when the code names the operating system, process, import or eval machinery.',
    remediation:
      'Do not load the model from an untrusted source. Replace the Lambda with a built-in layer or a reviewed custom layer, and load .keras files with safe_mode=True on a patched Keras.',
    references: [...modelCode, cve('CVE-2024-3660')],
  },
  'keras.dangerous-import': {
    title: 'Keras config imports a dangerous callable',
    severity: 'critical',
    category: 'code-execution',
    description:
      'An object in the config names a module and a function or class that runs commands, evaluates code or touches files (for example os.system as an activation). Keras before 3.9 imports and calls it while rebuilding the model, even with safe_mode=True.',
    remediation: 'Do not load this model. Obtain it from a trusted source and upgrade Keras to 3.9 or later.',
    references: [...modelCode, cve('CVE-2025-1550')],
  },
  'keras.custom-object': {
    title: 'Keras config needs code from outside Keras',
    severity: 'medium',
    category: 'unknown-import',
    description:
      'An object in the config names a module outside Keras, or a function by name from one. Loading the model imports that module, whose code runs; older Keras imports any module a config names.',
    remediation:
      'Check that the module is a package you trust and that it is installed from a trusted source before loading the model.',
    references: [...modelCode, cve('CVE-2025-1550')],
  },
  'keras.safe-mode-bypass': {
    title: 'Keras config calls a Keras function that defeats safe mode',
    severity: 'critical',
    category: 'code-execution',
    description:
      "The config calls one of Keras's own functions by name, as published safe-mode bypasses do: enable_unsafe_deserialization turns safe mode off so a Lambda that follows runs, get_file downloads attacker files, and load_model loads another model with safe_mode=False.",
    remediation: 'Do not load this model. Upgrade Keras to 3.11.3 or later.',
    // Each finding adds the CVE of the function it saw (config-data.ts).
    references: modelCode,
  },
  'keras.torch-module': {
    title: 'Keras TorchModuleWrapper embeds a pickled torch module',
    severity: 'high',
    category: 'code-execution',
    description:
      'TorchModuleWrapper stores a torch module serialized with torch.save and rebuilds it with torch.load(weights_only=False), which unpickles it; Keras 3.11.0–3.11.2 did so even in safe mode. Embedded bytes are analysed as a pickle and their findings follow.',
    remediation: 'Load such models only from trusted sources, on Keras 3.11.3 or later with safe_mode=True.',
    references: [...modelCode, cve('CVE-2025-49655')],
  },
  'keras.external-model': {
    title: 'Keras layer loads a model from outside the file',
    severity: 'high',
    category: 'code-execution',
    description:
      'The layer loads another saved model from a path or URL in its config when it is rebuilt. That model was not part of this file and was not scanned.',
    remediation: 'Check where the path points and scan that model too; prefer self-contained models.',
    references: modelCode,
  },
} as const satisfies Record<string, RuleInfo>;
