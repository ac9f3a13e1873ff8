import type { RuleInfo } from '../../rule-refs.js';

export const kerasRules = {} as const satisfies Record<string, RuleInfo>;
