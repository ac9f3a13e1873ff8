import { flaxRules } from './formats/flax/rules.js';
import { ggufRules } from './formats/gguf/rules.js';
import { kerasRules } from './formats/keras/rules.js';
import { onnxRules } from './formats/onnx/rules.js';
import { repoRules } from './formats/repo/rules.js';
import { safetensorsRules } from './formats/safetensors/rules.js';
import { tensorflowRules } from './formats/tensorflow/rules.js';

import { atlas, cve, cwe, evasion, modelCode, type RuleInfo } from './rule-refs.js';

export type { RuleInfo } from './rule-refs.js';
export { cve, ghsa } from './rule-refs.js';

export const coreRules = {
  'pickle.dangerous-global': {
    title: 'Pickle imports a dangerous callable',
    severity: 'critical',
    category: 'code-execution',
    description:
      'Loading this pickle imports a callable that can run commands, evaluate code, touch files or the network, or load another serialized object. Loading the file runs it.',
    remediation:
      'Do not load this file. Obtain the model from a trusted source, or convert it to a format that holds no code (safetensors, ONNX) in an isolated environment.',
    references: modelCode,
  },
  'pickle.unknown-global': {
    title: 'Pickle imports a global outside the known-safe list',
    severity: 'medium',
    category: 'unknown-import',
    description:
      'The pickle imports a module attribute that is neither known safe nor known dangerous. Loading the file imports that module and may call it.',
    remediation:
      'Review what the global does. If it is your own trusted class, add it to an allowlist file passed with --allow.',
    references: modelCode,
  },
  'pickle.parse-error': {
    title: 'Pickle could not be fully analysed',
    severity: 'high',
    category: 'integrity',
    description:
      'The pickle stream is malformed or truncated. Unpicklers execute everything before the point of failure ("broken pickle"), so what precedes it is reported, but the rest is unverified.',
    remediation: 'Treat the file as untrusted until it is re-exported from a trusted source.',
    references: evasion,
  },
  'pickle.extension-code': {
    title: 'Pickle uses the copyreg extension registry',
    severity: 'high',
    category: 'unknown-import',
    description:
      'EXT1/EXT2/EXT4 opcodes name a global by a number registered at run time with copyreg.add_extension, so the file does not say what it imports. No standard environment registers extensions: a file that needs them was made to hide its imports.',
    remediation:
      'Find out which code registers the extension and review it; ordinary model files never use extensions.',
    references: evasion,
  },
  'pickle.frame-mismatch': {
    title: 'Pickle frame lengths do not match the data',
    severity: 'low',
    category: 'evasion',
    description:
      'A FRAME opcode declares more data than the file holds. Scanners that trust frame lengths can be misled.',
    remediation: 'Re-export the file with a standard pickler.',
    references: evasion,
  },
  'pickle.out-of-band-buffer': {
    title: 'Pickle expects out-of-band buffers',
    severity: 'low',
    category: 'integrity',
    description:
      'NEXT_BUFFER opcodes take data supplied by the loading program, which is outside the file and was not inspected.',
    remediation: 'Check the program that supplies the buffers.',
    references: evasion,
  },
  'pickle.trailing-data': {
    title: 'Data after the pickle stream',
    severity: 'medium',
    category: 'evasion',
    description:
      'Bytes follow the last pickle and are not part of the format. Some loaders read several pickles from one stream, and a payload can hide after a benign first pickle.',
    remediation: 'Find out what writes the trailing bytes; re-export the file if it should not have them.',
    references: evasion,
  },
  'pickle.nested-payload': {
    title: 'Serialized object embedded in a pickle',
    severity: 'info',
    category: 'nested',
    description: 'A byte string inside the pickle is itself a pickle or archive. It was analysed; its findings follow.',
    remediation: 'None needed by itself; see the nested findings.',
    references: evasion,
  },
  'numpy.object-array': {
    title: 'NumPy array of Python objects',
    severity: 'info',
    category: 'nested',
    description: 'Object arrays are stored as a pickle and need allow_pickle=True to load. The pickle was analysed.',
    remediation: 'Prefer numeric arrays; load object arrays only from trusted sources.',
    references: modelCode,
  },
  'torch.torchscript-code': {
    title: 'TorchScript archive carries code',
    severity: 'info',
    category: 'code',
    description:
      'TorchScript archives contain compiled model code that torch.jit.load runs in the TorchScript interpreter.',
    remediation: 'Load TorchScript only from trusted sources.',
    references: [atlas('AML.T0010.003')],
  },
  'archive.zip-inconsistent': {
    title: 'Zip archive is internally inconsistent',
    severity: 'medium',
    category: 'evasion',
    description:
      'Local headers disagree with the central directory (names, flags) or a CRC does not match. Loaders such as torch tolerate this while some scanners skip the member; the member was scanned as the loader sees it.',
    remediation: 'Re-create the archive with a standard tool; treat the file as suspicious.',
    references: [...evasion, cve('CVE-2025-1944'), cve('CVE-2025-1945'), cve('CVE-2025-10156')],
  },
  'archive.not-inspectable': {
    title: 'Archive content cannot be inspected',
    severity: 'high',
    category: 'integrity',
    description:
      'The archive uses a format, compression or encryption the scanner cannot read, so its content is unverified. Malicious models have been shipped this way to slip past scanners.',
    remediation: 'Unpack it in an isolated environment and scan the content, or re-package it as zip or tar.',
    references: evasion,
  },
  'archive.unsafe-member-path': {
    title: 'Archive member path escapes the extraction folder',
    severity: 'medium',
    category: 'path-traversal',
    description:
      'A member name is absolute or contains "..", so extracting the archive can write outside the target folder.',
    remediation: 'Do not extract the archive with tools that trust member names.',
    references: [cwe(22)],
  },
  'archive.special-member': {
    title: 'Archive holds a link, device or FIFO',
    severity: 'medium',
    category: 'path-traversal',
    description:
      'A tar member is a symbolic or hard link, a device or a FIFO: extracting it can point a later write or read outside the target folder, or block the extractor. Model archives hold regular files.',
    remediation:
      'Re-package the model with regular files only; do not extract the archive with tools that recreate links and devices.',
    references: [cwe(59)],
  },
  'scan.limit-exceeded': {
    title: 'Scan limit reached; content not fully analysed',
    severity: 'high',
    category: 'integrity',
    description:
      'The file exceeded a scan limit (size after decompression, nesting depth, member count, time, pickle stack or memo). Bombs and deeply nested files are built to do this.',
    remediation: 'Inspect the file; raise the limit with the matching option if the file is legitimately this large.',
    references: evasion,
  },
  'scan.symlink-outside-root': {
    title: 'Symbolic link points outside the scanned folder',
    severity: 'medium',
    category: 'path-traversal',
    description: 'The link was not followed. A loader that follows it would read a file that was not scanned.',
    remediation: 'Replace the link with the file itself, or scan the target explicitly.',
    references: [cwe(59)],
  },
  'scan.unrecognized-format': {
    title: 'Model file of unrecognised content',
    severity: 'medium',
    category: 'integrity',
    description:
      'The name suggests a serialized model but the content matches no known format, so it was not analysed.',
    remediation: 'Check how the file was produced.',
    references: evasion,
  },
  'scan.internal-error': {
    title: 'Scanner failed on this file',
    severity: 'high',
    category: 'integrity',
    description: 'The scanner stopped on an unexpected condition in this file, so its content is unverified.',
    remediation: 'Report the file to the mlsecops maintainers; treat it as untrusted meanwhile.',
    references: [],
  },
  'scan.malformed': {
    title: 'File does not follow its format',
    severity: 'medium',
    category: 'integrity',
    description: 'The file is recognised by its signature but its structure is broken, so it was not fully analysed.',
    remediation: 'Re-export the file with the library that produced it.',
    references: evasion,
  },
  'scan.read-error': {
    title: 'File could not be read',
    severity: 'high',
    category: 'integrity',
    description: 'The scanner could not read the file, so nothing about it is known.',
    remediation: 'Fix permissions or the storage error and scan again.',
    references: [],
  },
} as const satisfies Record<string, RuleInfo>;

/** Every rule of the model scanner: the core ones above and each format's own. */
export const rules = {
  ...coreRules,
  ...onnxRules,
  ...tensorflowRules,
  ...kerasRules,
  ...ggufRules,
  ...safetensorsRules,
  ...repoRules,
  ...flaxRules,
} as const satisfies Record<string, RuleInfo>;
