/**
 * Drift against scipy, side by side in one run.
 *
 * (a) KS, Wasserstein and PSI on 1,000,000 float64 values per side: src/drift/stats on arrays here,
 *     scipy.stats.ks_2samp, scipy.stats.wasserstein_distance and numpy (PSI over ten reference-decile
 *     bins) in bench/drift-scipy.py, on the same values (raw float64 files it writes). Medians of
 *     `--reps`, the values compared.
 * (b) The full drift report from a stored profile: the reference profile of a 1M × 20 CSV is made
 *     once (not timed), then `mlsecops drift --profile ref.json current.csv --format json` is timed
 *     end to end (spawned from dist/, with peak RSS), and in process split into profiling the current
 *     CSV (worker threads, and the single-threaded streaming reader for comparison) and comparing.
 *     scipy's 20 ks_2samp and wasserstein_distance on the raw columns (loading excluded) for context.
 *
 * (c) With `--baseline DIR`, a built checkout of another commit (e.g. `git worktree add /tmp/old HEAD`,
 *     then `npm run build` there): its end-to-end command, start-up and in-process profiling are timed
 *     in the same run, each run of it right after the same run of this checkout, and its profile of
 *     current.csv is compared with this checkout's.
 *
 * Run: `npx tsx bench/drift.ts [--reps 5] [--build] [--baseline DIR]` (`--build` runs `npm run build`
 * first; without it dist/ must be current). Data: bench/.data/drift/ (~700 MB), made by
 * drift-scipy.py on first run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantileEdges } from '../src/drift/stats/bin-edges.js';
import { ksTwoSample } from '../src/drift/stats/ks.js';
import { psiOfSamples } from '../src/drift/stats/psi.js';
import { wassersteinDistance } from '../src/drift/stats/wasserstein.js';
import { type Build, loadBuild, profileDifference } from './drift-baseline.js';
import { dataDir, debianPython, repoRoot } from './lib/data.js';
import { hasGnuTime, runWithPeakRss } from './lib/gnu-time.js';
import { machineInfo } from './lib/machine.js';
import { type ProcResult, runChecked, runTimed } from './lib/proc.js';
import { median } from './lib/stats.js';

const { values: flags } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    build: { type: 'boolean', default: false },
    baseline: { type: 'string' },
  },
});
const reps = Number(flags.reps);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${flags.reps}`);
const dir = join(dataDir, 'drift');
const script = join(repoRoot, 'bench', 'drift-scipy.py');
const file = (name: string) => join(dir, name);
const bin = join(repoRoot, 'dist', 'cli', 'bin.js');
const log = (message: string) => process.stderr.write(`bench drift: ${message}\n`);
const loadBefore = loadavg();

const outputs = ['ref.f64', 'cur.f64', 'reference.csv', 'current.csv', 'reference.cols.f64', 'current.cols.f64'];
if (!outputs.every((name) => existsSync(file(name)))) {
  log(`making ${dir} with ${debianPython} (once)`);
  await runChecked(debianPython, [script, 'make', dir]);
}
if (flags.build) {
  log('npm run build');
  await runChecked('npm', ['run', 'build'], [0], repoRoot);
}
if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build, or pass --build`);

// (a) Single tests on arrays.
function float64s(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}
const ref = float64s(file('ref.f64'));
const cur = float64s(file('cur.f64'));

interface Timed<T> {
  readonly ms: number;
  readonly samples: readonly number[];
  readonly value: T;
}

function timeTask<T>(task: () => T, times: number): Timed<T> {
  task(); // warm-up
  const samples: number[] = [];
  let value = task();
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    value = task();
    samples.push(performance.now() - start);
  }
  return { ms: median(samples), samples, value };
}

log(`(a) KS, Wasserstein, PSI on ${ref.length.toLocaleString('en')} values per side, ${reps} reps`);
const ours = {
  ks: timeTask(() => {
    const result = ksTwoSample(ref, cur);
    return [result.statistic, result.pValue];
  }, reps),
  wasserstein: timeTask(() => [wassersteinDistance(ref, cur)], reps),
  psi: timeTask(() => [psiOfSamples(ref, cur, quantileEdges(ref, 10)).psi], reps),
};

interface ScipyTiming {
  readonly ms: number;
  readonly value: number | number[];
}
log('scipy side (also 20 KS and 20 Wasserstein on the raw CSV columns)');
const scipyRun = await runChecked(debianPython, [script, 'time', dir, String(reps)]);
const scipy = JSON.parse(scipyRun.stdout) as {
  versions: Record<string, string>;
  tests: Record<'ks' | 'wasserstein' | 'psi' | 'ks20' | 'wasserstein20', ScipyTiming>;
};

// (b) The drift report from a stored profile, and (c) the same for a baseline build.
const mine = await loadBuild(repoRoot);
const baseline = flags.baseline ? await loadBuild(flags.baseline) : undefined;
const builds = baseline ? [mine, baseline] : [mine];
const { drift } = mine;
const profilePath = file('reference.profile.json');
log('reference profile (not timed)');
await runChecked(process.execPath, [bin, 'profile', file('reference.csv'), '--out', profilePath]);
const reference = drift.referenceProfileSchema.parse(JSON.parse(readFileSync(profilePath, 'utf8')));
const types = Object.fromEntries(reference.columns.map((column) => [column.name, column.type]));

interface CliRun {
  readonly ms: number;
  readonly rssMiB?: number;
  readonly code: number | null;
  readonly columns: number;
}

const driftArgs = (cli: string) => [cli, 'drift', '--profile', profilePath, file('current.csv'), '--format', 'json'];

async function driftCli(build: Build): Promise<CliRun> {
  const args = driftArgs(build.bin);
  const run: ProcResult & { maxRssKiB?: number } = hasGnuTime()
    ? await runWithPeakRss(process.execPath, args)
    : await runTimed(process.execPath, args);
  if (run.code !== 0 && run.code !== 1) throw new Error(`mlsecops drift exited with ${run.code}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { columns: unknown[] };
  const rss = run.maxRssKiB === undefined ? {} : { rssMiB: run.maxRssKiB / 1024 };
  return { ms: run.ms, code: run.code, columns: report.columns.length, ...rss };
}

/** `task` for each build, `times` rounds, the builds one after another in each round. */
async function alternate<T>(times: number, task: (build: Build) => Promise<T>): Promise<T[][]> {
  const results: T[][] = builds.map(() => []);
  for (let i = 0; i < times; i++) for (const [at, build] of builds.entries()) results[at]!.push(await task(build));
  return results;
}

const cliReps = Math.min(reps, 5);
log(
  `(b) end to end, ${cliReps} reps: node ${driftArgs(bin)
    .map((arg) => arg.replace(`${repoRoot}/`, ''))
    .join(' ')}`,
);
const clis = await alternate(cliReps, driftCli);
const startups = await alternate(
  cliReps,
  async (build) => (await runChecked(process.execPath, [build.bin, '--version'])).ms,
);

async function timeAsync<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await task();
  return { ms: performance.now() - start, value };
}

function summary<T>(runs: readonly { ms: number; value: T }[]): Timed<T> {
  const samples = runs.map((run) => run.ms);
  return { ms: median(samples), samples, value: runs.at(-1)!.value };
}

const current = file('current.csv');
log('in process: profiling with workers, then with the streaming reader');
const threadeds = (
  await alternate(cliReps, (build) => timeAsync(() => build.drift.profileDataset(current, { types })))
).map(summary);
const streameds = (
  await alternate(Math.min(reps, 2), (build) =>
    timeAsync(() => build.drift.profileDataset(current, { types, workers: 0 })),
  )
).map(summary);
const cli = clis[0]!;
const startup = startups[0]!;
const threaded = threadeds[0]!;
const streamed = streameds[0]!;
const allKs = Object.fromEntries(reference.columns.map((column) => [column.name, { test: 'ks' as const }]));
const compareDefault = timeTask(() => drift.driftReport(reference, threaded.value.profile), reps);
const compareKs = timeTask(() => drift.driftReport(reference, threaded.value.profile, { tests: allKs }), reps);
const ksFromSketches = compareKs.value.columns.map((column) => column.statistic ?? Number.NaN);
const ksExact = scipy.tests.ks20.value as number[];
const ksError = Math.max(...ksFromSketches.map((d, i) => Math.abs(d - ksExact[i]!)));

// The report.
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));
const spread = (samples: readonly number[]) =>
  `${samples.length} runs, ${ms(Math.min(...samples))}–${ms(Math.max(...samples))}`;
const num = (value: number) =>
  value === 0 ? '0' : Math.abs(value) < 1e-3 ? value.toExponential(6) : value.toPrecision(10);
const relative = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const machine = machineInfo();
const lines = [
  `# Drift benchmark`,
  '',
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}; Node ${machine.node}; ` +
    `Python ${scipy.versions.python}, numpy ${scipy.versions.numpy}, scipy ${scipy.versions.scipy}; ${machine.date}.`,
  `Load average before/after: ${loadBefore.map((v) => v.toFixed(2)).join(' ')} / ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}.`,
  `Command: \`npx tsx bench/drift.ts --reps ${reps}${flags.build ? ' --build' : ''}${flags.baseline ? ` --baseline ${flags.baseline}` : ''}\``,
  '',
  `## (a) Single tests, ${ref.length.toLocaleString('en')} float64 values per side (median of ${reps})`,
  '',
  '| test | mlsecops ms | scipy/numpy ms | scipy ÷ mlsecops | mlsecops value | scipy value | rel. difference |',
  '|---|--:|--:|--:|--:|--:|--:|',
  ...(['ks', 'wasserstein', 'psi'] as const).flatMap((name) => {
    const mine = ours[name];
    const theirs = scipy.tests[name];
    const theirValues = Array.isArray(theirs.value) ? theirs.value : [theirs.value];
    const label = { ks: 'KS (D, p)', wasserstein: 'Wasserstein', psi: 'PSI, 10 reference deciles' }[name];
    return [
      `| ${label} | ${ms(mine.ms)} | ${ms(theirs.ms)} | ${(theirs.ms / mine.ms).toFixed(1)}× | ` +
        `${mine.value.map(num).join(', ')} | ${theirValues.map(num).join(', ')} | ` +
        `${mine.value.map((v, i) => relative(v, theirValues[i]!).toExponential(1)).join(', ')} |`,
    ];
  }),
  '',
  `## (b) Drift report from a stored profile: ${reference.rows.toLocaleString('en')} rows × ${reference.columns.length} columns ` +
    `(current.csv ${(readFileSync(current).length / 2 ** 20).toFixed(0)} MiB)`,
  '',
  '| step | median ms | notes |',
  '|---|--:|---|',
  `| \`mlsecops drift --profile ref.json current.csv --format json\`, spawned, end to end | ${ms(median(cli.map((r) => r.ms)))} | ` +
    `${spread(cli.map((r) => r.ms))}; ${cli[0]?.columns} columns reported, exit ${cli[0]?.code}` +
    (cli[0]?.rssMiB ? `, peak RSS ${Math.max(...cli.map((r) => r.rssMiB ?? 0)).toFixed(0)} MiB` : '') +
    ' |',
  `| \`mlsecops --version\`, spawned: the CLI's start-up alone | ${ms(median(startup))} | ${spread(startup)} |`,
  `| in process: profile current.csv (${threaded.value.workers} worker threads) | ${ms(threaded.ms)} | ${spread(threaded.samples)} |`,
  `| in process: profile current.csv, streaming reader (1 thread) | ${ms(streamed.ms)} | ${spread(streamed.samples)}, for comparison |`,
  `| in process: compare, default tests (${compareDefault.value.columns[0]?.test}, from sketches) | ${ms(compareDefault.ms)} | ${spread(compareDefault.samples)} |`,
  `| in process: compare, KS on all 20 columns (from sketches) | ${ms(compareKs.ms)} | ` +
    `largest \\|D − scipy's exact D\\| = ${ksError.toExponential(1)} |`,
  `| scipy: 20 × ks_2samp on the raw columns (loading excluded) | ${ms(scipy.tests.ks20.ms)} | context |`,
  `| scipy: 20 × wasserstein_distance on the raw columns (loading excluded) | ${ms(scipy.tests.wasserstein20.ms)} | context |`,
  '',
  ...(baseline ? baselineTable(baseline) : []),
];

/** (c): each step for this checkout and the baseline, from runs that alternated between them. */
function baselineTable(other: Build): string[] {
  const row = (step: string, samples: readonly (readonly number[])[]) => {
    const [a, b] = samples.map((runs) => median(runs));
    return `| ${step} | ${ms(a!)} (${spread(samples[0]!)}) | ${ms(b!)} (${spread(samples[1]!)}) | ${(b! / a!).toFixed(2)}× |`;
  };
  const same = profileDifference(threadeds[0]!.value.profile, threadeds[1]!.value.profile);
  const streamedSame = profileDifference(streameds[0]!.value.profile, streameds[1]!.value.profile);
  return [
    `## (c) This checkout (${mine.label}) against the baseline (${other.label}), alternating runs`,
    '',
    '| step | this checkout, median ms | baseline, median ms | baseline ÷ this |',
    '|---|--:|--:|--:|',
    row(
      '`mlsecops drift --profile ref.json current.csv --format json`, spawned',
      clis.map((runs) => runs.map((r) => r.ms)),
    ),
    row('`mlsecops --version`, spawned', startups),
    row(
      `in process: profile current.csv (${threaded.value.workers} worker threads)`,
      threadeds.map((t) => t.samples),
    ),
    row(
      'in process: profile current.csv, streaming reader',
      streameds.map((t) => t.samples),
    ),
    '',
    `Profiles of current.csv, worker threads: ${same.equal ? 'equal' : 'DIFFERENT'} but for the joint moments, ` +
      `co-moments within ${same.joint.toExponential(1)} of their scale; streaming reader: ` +
      `${streamedSame.equal ? 'equal' : 'DIFFERENT'}, within ${streamedSame.joint.toExponential(1)}.`,
    '',
  ];
}
process.stdout.write(`${lines.join('\n')}\n`);
