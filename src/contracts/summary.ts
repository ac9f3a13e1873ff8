import type { Finding } from './finding.js';
import type { FileResult, Summary } from './report.js';
import { maxSeverity, severities } from './severity.js';

/** The report summary, derived from files and findings only (never tracked separately). */
export function summarize(files: readonly FileResult[], findings: readonly Finding[]): Summary {
  const bySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Summary['bySeverity'];
  for (const finding of findings) bySeverity[finding.severity]++;
  const byStatus: Summary['byStatus'] = {};
  for (const file of files) byStatus[file.status] = (byStatus[file.status] ?? 0) + 1;
  const highest = maxSeverity(findings.map((finding) => finding.severity));
  return { files: files.length, findings: findings.length, bySeverity, byStatus, ...(highest ? { highest } : {}) };
}
