import { type Report, type Severity, severities } from '../../contracts/index.js';
import { describeLocation } from './location.js';

/** Human-readable terminal output, grouped by file; colour only when asked (a TTY without NO_COLOR). */
const colours: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};

export function renderTable(report: Report, options: { colour: boolean }): string {
  const paint = (severity: Severity, text: string) => (options.colour ? `${colours[severity]}${text}\x1b[0m` : text);
  const out: string[] = [];
  const byPath = new Map<string, Report['findings']>();
  for (const finding of report.findings) {
    const list = byPath.get(finding.location.path) ?? [];
    list.push(finding);
    byPath.set(finding.location.path, list);
  }
  for (const file of report.files) {
    const findings = byPath.get(file.path) ?? [];
    const formats = file.formats.length > 0 ? file.formats.join('>') : 'format not recognised';
    if (findings.length === 0 && file.status !== 'error' && file.status !== 'partial') continue;
    out.push(`${file.path}  [${formats}; ${file.status}]`);
    for (const finding of findings) {
      const where = describeLocation(finding.location);
      out.push(
        `  ${paint(finding.severity, finding.severity.toUpperCase().padEnd(8))} ${finding.ruleId}${where ? `  ${where}` : ''}`,
      );
      out.push(`           ${finding.evidence.length > 400 ? `${finding.evidence.slice(0, 399)}…` : finding.evidence}`);
    }
    out.push('');
  }
  const { summary } = report;
  const counts = [...severities]
    .reverse()
    .filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => paint(severity, `${summary.bySeverity[severity]} ${severity}`));
  const statuses = Object.entries(summary.byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  out.push(
    `${summary.files} file(s) (${statuses || 'none'}); ${summary.findings} finding(s)${counts.length ? `: ${counts.join(', ')}` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
