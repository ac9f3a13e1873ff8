import { evasion, type RuleInfo } from '../../rule-refs.js';

export const flaxRules = {
  'msgpack.unknown-extension': {
    title: 'msgpack checkpoint uses an unknown extension type',
    severity: 'medium',
    category: 'integrity',
    description:
      'Flax checkpoints use msgpack extension types 1 (ndarray), 2 (complex) and 3 (numpy scalar). Other types are decoded by hooks the loading program registers, outside the file.',
    remediation: 'Find out which program wrote the extension and how it is decoded.',
    references: evasion,
  },
  'msgpack.trailing-data': {
    title: 'Data after the msgpack checkpoint',
    severity: 'medium',
    category: 'evasion',
    description:
      'Bytes follow the single top-level msgpack object; a payload can hide there from loaders that read one object.',
    remediation: 'Re-export the checkpoint; inspect the trailing bytes.',
    references: evasion,
  },
} as const satisfies Record<string, RuleInfo>;
