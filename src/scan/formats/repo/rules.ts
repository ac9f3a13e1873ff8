import type { RuleInfo } from '../../rule-refs.js';

export const repoRules = {} as const satisfies Record<string, RuleInfo>;
