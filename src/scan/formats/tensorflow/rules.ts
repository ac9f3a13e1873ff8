import type { RuleInfo } from '../../rule-refs.js';

export const tensorflowRules = {} as const satisfies Record<string, RuleInfo>;
