import { join } from 'node:path';
import type { Report } from '../src/contracts/index.js';
import { dataDir } from './lib/data.js';
import { megabytes, ratio, seconds, spread } from './lib/format.js';
import { ensureFormatData, type FormatTargetMeta } from './lib/format-data.js';
import { checkClean, type FileBytes, kinds, perFileNote } from './lib/format-report.js';
import { readToNothing } from './lib/read-file.js';
import type { BenchResult, Row, Target } from './lib/result.js';
import { type ScanSample, scanOnce } from './lib/scan-once.js';
import { median, summarizeTimes, timed } from './lib/stats.js';

const targetMs = 1000;
/** Every file costs one 4 KiB sniff read before its scanner runs; the slack covers that and a little more. */
const slackPerFile = 8192;

interface TargetRun {
  readonly meta: FormatTargetMeta;
  readonly warmupMs: number;
  readonly scans: number[];
  readonly reads: number[];
  readonly bytesRead: (number | undefined)[];
  report: Report;
}

/**
 * (d) Headers only: a 2 GiB safetensors file, a 2 GiB ONNX model with external data and a folder of 20
 * safetensors shards must scan in well under a second each, because only headers are read. Each scan is
 * set against one warm read of the same files, and the bytes it read (/proc/self/io rchar) against the
 * header bytes.
 */
export async function benchFormatHeaders(reps: number): Promise<BenchResult> {
  const { targets, onnx } = await ensureFormatData();
  const runs: TargetRun[] = [];
  for (const meta of targets) {
    await readAll(meta); // warm the page cache
    const warmup = await scanOnce([join(dataDir, meta.target)]);
    checkClean(meta, warmup.report);
    runs.push({ meta, warmupMs: warmup.ms, scans: [], reads: [], bytesRead: [], report: warmup.report });
  }
  for (let rep = 0; rep < reps; rep++) {
    for (const run of runs) {
      await settle();
      const scan: ScanSample = await scanOnce([join(dataDir, run.meta.target)]);
      checkClean(run.meta, scan.report);
      run.scans.push(scan.ms);
      run.bytesRead.push(scan.bytesRead);
      run.report = scan.report;
      run.reads.push((await timed(() => readAll(run.meta))).ms);
    }
  }
  const perFile = await bytesPerFile(runs);
  const summaries = runs.map((run) => summarize(run, perFile.get(run.meta.target) ?? []));
  return {
    id: 'format-headers',
    title: `(d) Headers only — safetensors and ONNX (written by onnx ${onnx}), ${megabytes(
      targets.reduce((sum, target) => sum + target.bytes, 0),
    )} in all`,
    rows: summaries.flatMap((summary) => summary.rows),
    targets: summaries.flatMap((summary) => summary.targets),
    raw: Object.fromEntries(summaries.map((summary) => [summary.target, summary.raw])),
  };
}

/**
 * rchar is process-wide: the event loop's own wake-ups (8-byte eventfd reads) and V8 platform tasks count too.
 * A pause before each scan lets the tail of the previous read settle outside the measured window.
 */
function settle(): Promise<void> {
  return new Promise((done) => setTimeout(done, 20));
}

async function readAll(meta: FormatTargetMeta): Promise<number> {
  let total = 0;
  for (const file of meta.files) total += await readToNothing(join(dataDir, file.path));
  return total;
}

/** One untimed scan per file, after the timed ones: which file (and so which scanner) read how much. */
async function bytesPerFile(runs: readonly TargetRun[]): Promise<Map<string, FileBytes[]>> {
  const out = new Map<string, FileBytes[]>();
  for (const { meta } of runs) {
    const files: FileBytes[] = [];
    for (const file of meta.files) {
      await settle();
      const scan = await scanOnce([join(dataDir, file.path)]);
      const formats = scan.report.files[0]?.formats.join('+') || `${scan.report.files[0]?.status} (no format)`;
      files.push({ path: file.path, formats, bytesRead: scan.bytesRead, headerBytes: file.headerBytes });
    }
    out.set(meta.target, files);
  }
  return out;
}

interface Summary {
  readonly target: string;
  readonly rows: Row[];
  readonly targets: Target[];
  readonly raw: Record<string, unknown>;
}

function summarize(run: TargetRun, files: readonly FileBytes[]): Summary {
  const { meta, report } = run;
  const scan = summarizeTimes(run.scans);
  const read = summarizeTimes(run.reads);
  const known = run.bytesRead.filter((value): value is number => value !== undefined);
  const bytesRead = known.length === run.bytesRead.length ? median(known) : undefined;
  const budget = meta.headerBytes + slackPerFile * meta.files.length;
  const label = `${meta.target}${meta.files.length > 1 ? '/' : ''}`;
  const name = `${label} (${megabytes(meta.bytes)}, ${meta.files.length} file${meta.files.length > 1 ? 's' : ''})`;
  const n = (value: number) => `${value.toLocaleString('en-US')} B`;
  const varied = known.length > 0 ? `min ${n(Math.min(...known))}, max ${n(Math.max(...known))}; ` : '';
  const rows: Row[] = [
    {
      metric: `scanPaths on ${name}, median of ${run.scans.length}`,
      value: seconds(scan.median),
      note: `${spread(scan)}; first (warm-up) call ${seconds(run.warmupMs)}; ${kinds(report)}; ${report.findings.length} findings`,
    },
    {
      metric: `bytes read by one scan (/proc/self/io rchar), median of ${run.bytesRead.length}`,
      value: bytesRead === undefined ? 'n/a' : n(bytesRead),
      note: `${varied}headers ${n(meta.headerBytes)} of ${n(meta.bytes)} on disk; ${perFileNote(files)}`,
    },
    {
      metric: `read all ${meta.files.length > 1 ? `${meta.files.length} files` : 'of it'} once (createReadStream, warm cache), median of ${run.reads.length}`,
      value: seconds(read.median),
      note: `${spread(read)}; ${(meta.bytes / 1e9 / (read.median / 1000)).toFixed(2)} GB/s`,
    },
    {
      metric: 'ratio scan / read',
      value: ratio(scan.median / read.median),
      note: `the scan takes ${((scan.median / read.median) * 100).toFixed(2)}% of one read of the same files`,
    },
  ];
  const targets: Target[] = [
    {
      goal: `${label} (${megabytes(meta.bytes)}) scans in well under a second (< 1 s)`,
      measured: seconds(scan.median),
      met: scan.median < targetMs,
    },
    {
      goal: `${label}: only headers read (≤ header bytes + 8 KiB per file = ${n(budget)})`,
      measured: bytesRead === undefined ? 'n/a' : n(bytesRead),
      met: bytesRead !== undefined && bytesRead <= budget,
    },
  ];
  const raw = { meta, scanMs: scan, warmupScanMs: run.warmupMs, readMs: read, bytesRead: run.bytesRead, files };
  return { target: meta.target, rows, targets, raw };
}
