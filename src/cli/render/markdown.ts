import { type Report, severities } from '../../contracts/index.js';
import { describeLocation } from './location.js';

/** Markdown sized for a pull-request comment: a verdict line, counts, then the findings table. */
export function renderMarkdown(report: Report): string {
  const { summary } = report;
  const lines = [
    `## mlsecops ${{ 'model-scan': 'model scan', 'data-scan': 'data scan', 'policy-gate': 'policy gate', assessment: 'assessment' }[report.kind]}`,
    '',
    `${summary.files} file(s) scanned, ${summary.findings} finding(s)${summary.highest ? `, highest severity **${summary.highest}**` : ''}.`,
    '',
    `| ${[...severities].reverse().join(' | ')} |`,
    `|${severities.map(() => ' ---: |').join('')}`,
    `| ${[...severities]
      .reverse()
      .map((s) => summary.bySeverity[s])
      .join(' | ')} |`,
    '',
  ];
  if (report.findings.length > 0) {
    lines.push('| Severity | Rule | Location | Evidence |', '| --- | --- | --- | --- |');
    for (const finding of report.findings) {
      const detail = describeLocation(finding.location);
      const where = detail ? `${finding.location.path} → ${detail}` : finding.location.path;
      lines.push(`| ${finding.severity} | \`${finding.ruleId}\` | ${cell(where)} | ${cell(finding.evidence)} |`);
    }
    lines.push('');
  }
  const troubled = report.files.filter((file) => file.status === 'error' || file.status === 'partial');
  if (troubled.length > 0) {
    lines.push('<details><summary>Files not fully analysed</summary>', '');
    for (const file of troubled)
      lines.push(`- ${cell(file.path)}: ${file.status} (${cell(file.errors.map((e) => e.message).join('; '))})`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function cell(text: string): string {
  const clipped = text.length > 300 ? `${text.slice(0, 299)}…` : text;
  return clipped
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;');
}
