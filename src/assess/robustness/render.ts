import type { Report } from '../../contracts/index.js';
import { robustnessCurves } from './curves.js';
import { attackNames } from './suite.js';

const pct = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);
const num = (value: number | undefined) => (value === undefined ? '-' : String(Math.round(value * 1000) / 1000));

/** The robustness report as a readable plain-text summary: accuracy per attack and budget, queries, findings. */
export function robustnessTable(report: Report): string {
  const m = report.metrics ?? {};
  const curves = robustnessCurves(report);
  const epsilons = [...new Set(curves.map((p) => p.epsilon))];
  const pad = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(9))).join(' ');
  const lines = [
    `model: ${report.targets[0]}   data: ${report.targets[1]}`,
    `samples ${m.samples}  features ${m.features}  range [${m.rangeMin}, ${m.rangeMax}]  seed ${m.seed}  max queries/sample ${m.maxQueries}`,
    `clean accuracy ${pct(m.cleanAccuracy)}   robust accuracy ${pct(m.robustAccuracy)} at ε = ${m.headlineEpsilon} of the range`,
    '',
    pad(['attack', ...epsilons.map((e) => `ε=${e}`), 'med. flip', 'q/sample']),
  ];
  for (const attack of attackNames) {
    const row = epsilons.map((e) => pct(curves.find((p) => p.attack === attack && p.epsilon === e)?.accuracy));
    const flip = m[`${attack}MedianPerturbation`];
    const unit = attack === 'squareLinf' ? ' L∞' : ' L2';
    lines.push(
      pad([attack, ...row, flip === undefined ? '-' : `${num(flip)}${unit}`, num(m[`${attack}QueriesPerSample`])]),
    );
  }
  lines.push('', `queries in all: ${m.queriesTotal}`, '');
  for (const f of report.findings) lines.push(`${f.severity.toUpperCase().padEnd(8)} ${f.ruleId}  ${f.evidence}`);
  if (report.findings.length === 0) lines.push('no findings');
  return `${lines.join('\n')}\n`;
}
