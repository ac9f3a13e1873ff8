import { cwe, evasion, type RuleInfo } from '../../rule-refs.js';

export const safetensorsRules = {
  'safetensors.invalid-header': {
    title: 'safetensors header is invalid',
    severity: 'medium',
    category: 'integrity',
    description:
      'The header is not the JSON object the format requires (valid UTF-8 JSON, tensors with dtype, shape and data_offsets, string metadata). Loaders refuse such files; a file built this way may be a polyglot aimed at other readers.',
    remediation: 'Re-export the tensors with the safetensors library.',
    references: evasion,
  },
  'safetensors.layout-mismatch': {
    title: 'safetensors byte ranges do not match the tensors',
    severity: 'medium',
    category: 'integrity',
    description:
      'Tensor byte ranges overlap, leave gaps, disagree with dtype and shape, or do not cover the data section exactly. Unaccounted bytes can carry a hidden payload.',
    remediation: 'Re-export the tensors with the safetensors library; inspect the unaccounted bytes.',
    references: [...evasion, cwe(20)],
  },
  'safetensors.unknown-dtype': {
    title: 'safetensors tensor with an unknown dtype',
    severity: 'low',
    category: 'integrity',
    description: 'A tensor declares a dtype the format does not define; its size cannot be checked.',
    remediation: 'Check the tool that wrote the file.',
    references: [],
  },
} as const satisfies Record<string, RuleInfo>;
