import type { Reference } from './finding.js';
import type { Severity } from './severity.js';

/** Metadata of one rule, as every engine's catalog describes it; renderers (SARIF) read it. */
export interface RuleInfo {
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  readonly description: string;
  readonly remediation: string;
  readonly references: readonly Reference[];
}
