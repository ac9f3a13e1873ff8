import { join } from 'node:path';
import type { Report } from '../src/contracts/index.js';
import { type CliCommand, pickCli } from './lib/cli.js';
import { dataPaths, repoRoot } from './lib/data.js';
import { megabytes, seconds, spread } from './lib/format.js';
import { hasGnuTime, runWithPeakRss } from './lib/gnu-time.js';
import { type ProcResult, runChecked, runTimed } from './lib/proc.js';
import type { BenchResult } from './lib/result.js';
import { findingCounts, scanOnce, statusCounts, totalBytes } from './lib/scan-once.js';
import { median, summarizeTimes } from './lib/stats.js';

const target = 'bench/.data/models-dir';
const tinyModel = 'src/scan/testdata/benign/python/data_p4.pkl';
/** The CLI exits 1 when findings reach --fail-on; the report is still complete. */
const okCodes = [0, 1];

interface CliRun {
  readonly ms: number;
  readonly maxRssKiB: number | undefined;
  readonly report: Report;
}

/**
 * (c) Full directory scan through the CLI, as a user runs it: 1,400 small models (the benign corpus 20
 * times), three large ones (legacy torch, joblib, .npy) and a link to the 1 GiB file. Wall time and peak
 * RSS of the whole process; an in-process scanPaths of the same folder separates out Node/CLI start-up.
 */
export async function benchDirScan(reps: number, useGnuTime = hasGnuTime()): Promise<BenchResult> {
  const cli = pickCli();
  await runCli(cli, target, useGnuTime); // warm the page cache and tsx's cache
  const walls: number[] = [];
  const rss: number[] = [];
  const startups: number[] = [];
  const inProcess: number[] = [];
  const bytesRead: (number | undefined)[] = [];
  let report: Report | undefined;
  for (let rep = 0; rep < reps; rep++) {
    const run = await runCli(cli, target, useGnuTime);
    walls.push(run.ms);
    rss.push(run.maxRssKiB ?? (await childPeakRss()));
    report = run.report;
    startups.push((await runCli(cli, tinyModel, false)).ms);
    const scan = await scanOnce([dataPaths.modelsDir]);
    inProcess.push(scan.ms);
    bytesRead.push(scan.bytesRead);
  }
  if (!report) throw new Error('no repetitions');
  const wall = summarizeTimes(walls);
  const startup = summarizeTimes(startups);
  const scan = summarizeTimes(inProcess);
  const bytes = totalBytes(report);
  const counts = statusCounts(report);
  const mbps = (ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  const rssMiB = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
  const read = bytesRead.every((value) => value !== undefined) ? median(bytesRead as number[]) : undefined;
  return {
    id: 'dir-scan',
    title: `(c) Full directory scan — bench/.data/models-dir (${report.files.length} files, ${megabytes(bytes)})`,
    rows: [
      {
        metric: 'files in the report',
        value: String(report.files.length),
        note: Object.entries(counts)
          .map(([key, count]) => `${key}: ${count}`)
          .join(', '),
      },
      {
        metric: 'logical size of those files',
        value: megabytes(bytes),
        note: `findings: ${findingCounts(report)}`,
      },
      {
        metric: `CLI wall time, median of ${reps}`,
        value: seconds(wall.median),
        note: `${mbps(wall.median)}; ${spread(wall)}; ${cli.label}`,
      },
      {
        metric: `${useGnuTime ? 'CLI' : 'fresh scanPaths process'} peak RSS, median of ${reps}`,
        value: rssMiB(median(rss)),
        note: `max ${rssMiB(Math.max(...rss))}; ${useGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS in bench/scan-child.ts'}`,
      },
      {
        metric: `CLI on one tiny pickle (start-up cost), median of ${reps}`,
        value: seconds(startup.median),
        note: `folder scan net of start-up: ${seconds(wall.median - startup.median)}, ${mbps(wall.median - startup.median)}`,
      },
      {
        metric: `in-process scanPaths on the folder, median of ${reps}`,
        value: seconds(scan.median),
        note: `${mbps(scan.median)}; ${spread(scan)}; read ${read === undefined ? 'n/a' : megabytes(read)} of ${megabytes(bytes)}`,
      },
    ],
    targets: [],
    raw: {
      cli: cli.label,
      counts,
      bytes,
      wallMs: wall,
      maxRssKiB: rss,
      startupMs: startup,
      inProcessMs: scan,
      bytesRead,
    },
  };
}

async function runCli(cli: CliCommand, path: string, withRss: boolean): Promise<CliRun> {
  const args = [...cli.nodeArgs, 'scan', path, '--format', 'json', '--no-progress'];
  const result: ProcResult & { readonly maxRssKiB?: number } = withRss
    ? await runWithPeakRss(process.execPath, args, repoRoot)
    : await runTimed(process.execPath, args, repoRoot);
  if (result.code === null || !okCodes.includes(result.code)) {
    throw new Error(`CLI exited with ${result.code}:\n${result.stderr.slice(-2000)}`);
  }
  return { ms: result.ms, maxRssKiB: result.maxRssKiB, report: JSON.parse(result.stdout) as Report };
}

/** Peak RSS of a fresh process scanning the folder, for machines without /usr/bin/time. */
async function childPeakRss(): Promise<number> {
  const child = join(repoRoot, 'bench', 'scan-child.ts');
  const result = await runChecked(process.execPath, ['--import', 'tsx', child, dataPaths.modelsDir], [0], repoRoot);
  return (JSON.parse(result.stdout) as { maxRssKiB: number }).maxRssKiB;
}
