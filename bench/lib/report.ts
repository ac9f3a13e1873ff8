import type { MachineInfo } from './machine.js';
import type { BenchResult } from './result.js';

export interface RunInfo {
  readonly machine: MachineInfo;
  readonly reps: number;
  readonly loadAverageAfter: readonly number[];
  readonly totalSeconds: number;
}

/** The markdown printed to stdout and saved as bench/results/latest.md. */
export function renderMarkdown(run: RunInfo, results: readonly BenchResult[]): string {
  const { machine } = run;
  const lines = [
    `## mlsecops benchmarks — ${machine.date}`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.platform}, Node ${machine.node}. ` +
      `Load average (1/5/15 min) ${machine.loadAverage.join(' / ')} before, ${run.loadAverageAfter.join(' / ')} after; ` +
      `run took ${run.totalSeconds.toFixed(0)} s.`,
    '',
    `Medians of ${run.reps} repetitions, measured side by side in one run (the compared measurements alternate ` +
      'within each repetition). In-process scans get one untimed warm-up call first.',
    '',
  ];
  const targets = results.flatMap((result) => result.targets);
  if (targets.length > 0) {
    lines.push('| Target (from the issue) | Measured | Met |', '| --- | --- | --- |');
    for (const target of targets)
      lines.push(`| ${target.goal} | ${target.measured} | ${target.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  for (const result of results) {
    lines.push(`### ${result.title}`, '', '| Measure | Value | Notes |', '| --- | --- | --- |');
    for (const row of result.rows) lines.push(`| ${row.metric} | ${row.value} | ${row.note ?? ''} |`);
    lines.push('');
  }
  return lines.join('\n');
}
