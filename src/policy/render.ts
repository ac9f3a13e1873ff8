import type { FrameworkRefs, GateDecision, GateRuleResult } from '../contracts/index.js';
import { frameworkIds } from './controls.js';

const outcome = (rule: GateRuleResult): 'pass' | 'fail' | 'skip' =>
  rule.skipped ? 'skip' : rule.passed ? 'pass' : 'fail';

function counts(decision: GateDecision): string {
  const tally = { pass: 0, fail: 0, skip: 0 };
  for (const rule of decision.rules) tally[outcome(rule)]++;
  return `${decision.rules.length} rule(s): ${tally.fail} failed, ${tally.pass} passed, ${tally.skip} skipped`;
}

export function frameworkList(refs: FrameworkRefs): string[] {
  return frameworkIds.flatMap((id) => refs[id]);
}

/** Terminal output: the verdict, then every rule with pass, fail or skip and why. */
export function renderDecisionText(decision: GateDecision): string {
  const lines = [
    `${decision.passed ? 'PASSED' : 'FAILED'}  policy ${decision.policy.name} (${decision.policy.digest.slice(0, 19)}…)`,
    `subject ${decision.subject.name}${decision.subject.digest ? `  ${decision.subject.digest}` : ''}`,
    '',
  ];
  const width = Math.max(...decision.rules.map((rule) => rule.id.length), 0);
  for (const rule of decision.rules) {
    lines.push(
      `  ${outcome(rule).toUpperCase().padEnd(4)}  ${rule.severity.padEnd(8)}  ${rule.id.padEnd(width)}  ${rule.title}`,
    );
    lines.push(`        ${' '.repeat(8)}  ${clip(rule.reason, 400)}`);
  }
  lines.push('', counts(decision), `evidence ${decision.evidenceDigest}`, '');
  return lines.join('\n');
}

/** Markdown for a pull-request comment: a verdict header, then rule | result | why | frameworks. */
export function renderDecisionMarkdown(decision: GateDecision): string {
  const icon = { pass: '✅ pass', fail: '❌ **fail**', skip: '⏭️ skip' };
  const lines = [
    `## ${decision.passed ? '✅' : '❌'} mlsecops gate: ${decision.passed ? 'passed' : 'failed'}`,
    '',
    `Policy **${cell(decision.policy.name)}** on \`${cell(decision.subject.name)}\`` +
      `${decision.subject.alias ? ` for alias \`${cell(decision.subject.alias)}\`` : ''}. ${counts(decision)}.`,
    '',
    '| Rule | Result | Why | Frameworks |',
    '| --- | --- | --- | --- |',
  ];
  for (const rule of decision.rules) {
    lines.push(
      `| \`${rule.id}\` ${cell(rule.title)} (${rule.severity}) | ${icon[outcome(rule)]} | ${cell(clip(rule.reason, 300))} | ${cell(frameworkList(rule.frameworks).join(', '))} |`,
    );
  }
  lines.push(
    '',
    '<details><summary>What this was decided on</summary>',
    '',
    `- policy digest: \`${decision.policy.digest}\``,
    `- evidence digest: \`${decision.evidenceDigest}\``,
    ...(decision.subject.digest ? [`- model digest: \`${decision.subject.digest}\``] : []),
    `- evaluated at: ${decision.evaluatedAt}`,
    '',
    '</details>',
    '',
  );
  return lines.join('\n');
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/`/g, "'");
}
