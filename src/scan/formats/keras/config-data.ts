/**
 * What the Keras config analysis knows, as data: which modules are Keras itself, which outside packages are
 * known to be safe to import, which Keras functions and classes undo safe mode or load other files, and which
 * names in a Lambda's code mean it reaches the operating system.
 */

/** Module roots that are Keras itself; a function or class from these is resolved by Keras, not imported freely. */
export const kerasModules: ReadonlyArray<{ readonly prefix: string; readonly reason: string }> = [
  { prefix: 'keras', reason: 'Keras 3 and Keras 2 (standalone)' },
  { prefix: 'tf_keras', reason: 'Keras 2 packaged for TensorFlow 2.16+' },
  { prefix: 'tensorflow.keras', reason: 'Keras bundled in TensorFlow' },
  { prefix: 'tensorflow.python.keras', reason: 'Keras bundled in older TensorFlow' },
];

/** Outside packages whose classes appear in ordinary configs and are maintained by the Keras team. */
export const knownSafePackages: ReadonlyArray<{ readonly prefix: string; readonly reason: string }> = [
  { prefix: 'keras_hub', reason: 'KerasHub pretrained models (Keras team)' },
  { prefix: 'keras_nlp', reason: 'KerasNLP, the former name of KerasHub (Keras team)' },
  { prefix: 'keras_cv', reason: 'KerasCV vision layers (Keras team)' },
  { prefix: 'keras_rs', reason: 'Keras Recommenders (Keras team)' },
];

export function inModule(module: string, prefixes: ReadonlyArray<{ readonly prefix: string }>): boolean {
  return prefixes.some(({ prefix }) => module === prefix || module.startsWith(`${prefix}.`));
}

/** Keras's own functions that published safe-mode bypasses call by name from a config. */
export const unsafeKerasFunctions: ReadonlyMap<string, { readonly reason: string; readonly cve: string }> = new Map([
  [
    'enable_unsafe_deserialization',
    { reason: 'turns safe mode off for the rest of the load, so a later Lambda runs', cve: 'CVE-2025-9906' },
  ],
  [
    'set_global_attribute',
    { reason: 'can set the global safe_mode_saving flag to False, turning safe mode off', cve: 'CVE-2025-9906' },
  ],
  ['get_file', { reason: 'downloads (and can extract) a file from a URL the config names', cve: 'CVE-2025-8747' }],
  [
    'load_model',
    { reason: 'loads another model file, with arguments (safe_mode=False) the config supplies', cve: 'CVE-2025-8747' },
  ],
]);

/** Keras classes that load something outside the config when they are rebuilt. */
export const riskyKerasClasses: ReadonlyMap<
  string,
  { readonly ruleId: 'keras.torch-module' | 'keras.external-model'; readonly reason: string; readonly cve: string }
> = new Map([
  [
    'TorchModuleWrapper',
    {
      ruleId: 'keras.torch-module',
      reason: 'from_config rebuilds the wrapped torch module with torch.load(weights_only=False), a pickle',
      cve: 'CVE-2025-49655',
    },
  ],
  [
    'TFSMLayer',
    {
      ruleId: 'keras.external-model',
      reason: 'loads the TensorFlow SavedModel at the path its config names, with that model’s own graph code',
      cve: 'CVE-2026-1462',
    },
  ],
]);

/** Special class names of Keras 3 serialization that are values, not imports. */
export const specialClassNames: ReadonlySet<string> = new Set([
  '__tensor__',
  '__numpy__',
  '__bytes__',
  '__typespec__',
  '__ellipsis__',
  '__slice__',
]);

/** Names in a Lambda's code (co_names or string constants) that reach the operating system or run code. */
export const dangerousCodeNames: ReadonlyMap<string, string> = new Map([
  ['os', 'operating-system module'],
  ['posix', 'operating-system module'],
  ['nt', 'operating-system module'],
  ['subprocess', 'runs processes'],
  ['pty', 'spawns shells'],
  ['socket', 'opens network connections'],
  ['urllib', 'fetches URLs'],
  ['requests', 'fetches URLs'],
  ['http', 'fetches URLs'],
  ['shutil', 'copies and deletes files'],
  ['ctypes', 'calls native code'],
  ['importlib', 'imports any module'],
  ['builtins', 'the builtins namespace'],
  ['__builtins__', 'the builtins namespace'],
  ['__import__', 'imports any module'],
  ['import_module', 'imports any module'],
  ['exec', 'runs Python source'],
  ['eval', 'runs Python source'],
  ['compile', 'compiles Python source'],
  ['open', 'opens files'],
  ['getattr', 'looks attributes up by a computed name'],
  ['globals', 'the module namespace'],
  ['system', 'runs a shell command'],
  ['popen', 'runs a shell command'],
  ['Popen', 'runs a process'],
  ['check_output', 'runs a process'],
  ['check_call', 'runs a process'],
  ['spawnv', 'runs a process'],
  ['execv', 'replaces the process'],
  ['execve', 'replaces the process'],
  ['fork', 'forks the process'],
  ['pickle', 'deserializes pickles'],
  ['marshal', 'loads code objects'],
]);
