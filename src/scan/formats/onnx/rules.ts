import type { RuleInfo } from '../../rule-refs.js';

export const onnxRules = {} as const satisfies Record<string, RuleInfo>;
