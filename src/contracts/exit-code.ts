import type { Report } from './report.js';
import { atLeast, type Severity } from './severity.js';

/** The project's one exit-code rule: 0 nothing at or above the threshold, 1 something is, 2 could not run. */
export const exitCodes = { clean: 0, findings: 1, failure: 2 } as const;

export function exitCodeFor(report: Pick<Report, 'findings'>, failOn: Severity): 0 | 1 {
  return report.findings.some((finding) => atLeast(finding.severity, failOn)) ? exitCodes.findings : exitCodes.clean;
}
