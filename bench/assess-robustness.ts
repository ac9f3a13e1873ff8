/**
 * The full robustness suite (noise, Square L∞, SimBA L2, HopSkipJump L2 at four budgets) on the digits
 * MLP with the CLI defaults: 100 samples, 1000 queries per sample per attack. Target: under a minute.
 *
 *   npx tsx bench/assess-robustness.ts [--reps 3]
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { assessRobustness } from '../src/assess/robustness/index.js';

const testdata = join(import.meta.dirname, '../src/assess/robustness/testdata');
const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' } } });
const reps = Number(values.reps);
const times: number[] = [];
let metrics: Record<string, number> = {};
for (let rep = 0; rep < reps; rep++) {
  const began = performance.now();
  const report = await assessRobustness({
    model: join(testdata, 'digits-mlp.onnx'),
    data: { path: join(testdata, 'digits-test.csv') },
  });
  times.push(performance.now() - began);
  metrics = report.metrics ?? {};
}
const sorted = [...times].sort((a, b) => a - b);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
process.stdout.write(
  [
    `machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`,
    `runs: ${times.map(seconds).join(', ')} (median ${seconds(sorted[Math.floor(sorted.length / 2)]!)}, target < 60 s)`,
    `queries per run: ${metrics.queriesTotal} (${Math.round(metrics.queriesTotal! / (sorted[0]! / 1000))} rows/s at the fastest)`,
    `clean ${metrics.cleanAccuracy}, robust ${metrics.robustAccuracy} at ε ${metrics.headlineEpsilon}; ` +
      `boundary median L2 ${metrics.boundaryL2MedianPerturbation}`,
    '',
  ].join('\n'),
);
