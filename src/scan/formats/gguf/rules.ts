import { atlas, cve, cwe, evasion, owaspMl, type RuleInfo } from '../../rule-refs.js';

/** Server-side template injection through a chat template rendered by an unsandboxed Jinja2 (llama-cpp-python). */
const templateInjection = [
  atlas('AML.T0010.003'),
  atlas('AML.T0011.000'),
  owaspMl('ML06'),
  cwe(1336),
  cve('CVE-2024-34359'),
];

export const ggufRules = {
  'gguf.chat-template-injection': {
    title: 'GGUF chat template carries a template-injection gadget',
    severity: 'critical',
    category: 'code-execution',
    description:
      'The chat template stored in the model metadata walks Python object internals (dunder attributes such as __globals__, __builtins__, __subclasses__) or reaches process and import functions. Loaders that render chat templates with an unsandboxed Jinja2 environment (llama-cpp-python before 0.2.72, CVE-2024-34359) run it as code when the model is loaded or prompted.',
    remediation:
      'Do not load this model. Render chat templates only in a sandboxed Jinja environment (jinja2.sandbox.ImmutableSandboxedEnvironment), update llama-cpp-python, and obtain the model from a trusted publisher.',
    references: templateInjection,
  },
  'gguf.chat-template-suspicious': {
    title: 'GGUF chat template uses constructs chat templates never need',
    severity: 'high',
    category: 'code-execution',
    description:
      'The chat template contains patterns typical of template-injection payloads rather than prompt formatting: attribute names or keys built from string pieces, the attr filter with a computed name, private attributes, Jinja globals (cycler, joiner, lipsum, self, range) walked into attributes, or names of process, file and import functions.',
    remediation:
      'Review the template by hand before rendering it; render chat templates only in a sandboxed Jinja environment.',
    references: templateInjection,
  },
  'gguf.chat-template-unparsed': {
    title: 'GGUF chat template could not be parsed',
    severity: 'medium',
    category: 'integrity',
    description:
      'The chat template is not valid Jinja as far as the analyser can tell, so its structure was only checked token by token. Template engines differ; one may accept what another rejects.',
    remediation: 'Review the template by hand before rendering it; render it only in a sandboxed Jinja environment.',
    references: [...evasion, cve('CVE-2024-34359')],
  },
  'gguf.tensor-out-of-bounds': {
    title: 'GGUF tensor lies outside the file',
    severity: 'medium',
    category: 'integrity',
    description:
      'A tensor info gives an offset or size that runs past the end of the file, overlaps the header, or is misaligned. Loaders that trust these fields read out of bounds; the file is truncated or crafted.',
    remediation: 'Re-download or re-convert the model; treat the file as untrusted.',
    references: [...evasion, cwe(125)],
  },
  'gguf.llamafile-executable': {
    title: 'llamafile: the model is a native executable',
    severity: 'medium',
    category: 'code',
    description:
      'The file is an Actually Portable Executable (llamafile): a program for Linux, macOS, Windows and BSD that carries its weights in an embedded zip. Running it runs native code that cannot be analysed statically; the embedded GGUF weights were scanned.',
    remediation:
      'Run llamafiles only from trusted publishers, or extract the .gguf weights and use them with your own inference runtime.',
    references: [atlas('AML.T0010.003'), atlas('AML.T0011.000'), owaspMl('ML06')],
  },
} as const satisfies Record<string, RuleInfo>;
