// npm run bench [-- --reps 5] [--only tensor,pickle,dir,formats] [--rss-wrapper]
// Generates bench/.data/ if needed, runs the benchmarks and writes bench/results/latest.{md,json}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchDirScan } from './dir-scan.js';
import { benchFormatHeaders } from './format-headers.js';
import { parseBenchArgs } from './lib/args.js';
import { ensureData, repoRoot } from './lib/data.js';
import { hasGnuTime } from './lib/gnu-time.js';
import { machineInfo } from './lib/machine.js';
import { renderMarkdown } from './lib/report.js';
import type { BenchResult } from './lib/result.js';
import { benchPickle } from './pickle-throughput.js';
import { benchTensorSkip } from './tensor-skip.js';

const args = parseBenchArgs(process.argv.slice(2));
if (args.only.some((id) => id !== 'formats')) await ensureData(); // (d) makes its own data when it runs
const machine = machineInfo();
const started = performance.now();
const results: BenchResult[] = [];
if (args.only.includes('tensor')) results.push(await step('tensor', () => benchTensorSkip(args.reps)));
if (args.only.includes('pickle')) results.push(await step('pickle', () => benchPickle(args.reps)));
if (args.only.includes('dir')) {
  if (!hasGnuTime())
    console.error('bench: /usr/bin/time missing (apt-get install time); peak RSS via bench/scan-child.ts');
  results.push(await step('dir', () => benchDirScan(args.reps, hasGnuTime() && !args.rssWrapper)));
}
if (args.only.includes('formats')) results.push(await step('formats', () => benchFormatHeaders(args.reps)));
const run = {
  machine,
  reps: args.reps,
  loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
  totalSeconds: (performance.now() - started) / 1000,
};
const markdown = renderMarkdown(run, results);
process.stdout.write(`${markdown}\n`);
const out = join(repoRoot, 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.md'), `${markdown}\n`);
writeFileSync(join(out, 'latest.json'), `${JSON.stringify({ ...run, results }, null, 2)}\n`);
console.error(`bench: wrote bench/results/latest.md and bench/results/latest.json`);

async function step(name: string, task: () => Promise<BenchResult>): Promise<BenchResult> {
  console.error(`bench: ${name}…`);
  return task();
}
