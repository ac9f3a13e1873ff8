import type { RuleInfo } from '../../rule-refs.js';

export const ggufRules = {} as const satisfies Record<string, RuleInfo>;
