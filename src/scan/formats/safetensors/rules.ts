import type { RuleInfo } from '../../rule-refs.js';

export const safetensorsRules = {} as const satisfies Record<string, RuleInfo>;
