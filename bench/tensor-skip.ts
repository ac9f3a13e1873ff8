import { dataPaths, readJson, type TorchMeta } from './lib/data.js';
import { megabytes, ratio, seconds, spread } from './lib/format.js';
import { readToNothing } from './lib/read-file.js';
import type { BenchResult } from './lib/result.js';
import { scanOnce } from './lib/scan-once.js';
import { summarizeTimes, timed } from './lib/stats.js';

const targetMs = 200;

/**
 * (a) Tensor data is never read: scanning a 1 GiB torch.save zip must cost about what reading its small
 * data.pkl member costs, not what reading the file costs. Full read, member read and scan alternate, page
 * cache warm for all three.
 */
export async function benchTensorSkip(reps: number): Promise<BenchResult> {
  const path = dataPaths.torch;
  const meta = readJson<TorchMeta>(dataPaths.torchMeta);
  const pkl = meta.members.find((member) => member.name.endsWith('/data.pkl'));
  if (!pkl) throw new Error(`${dataPaths.torchMeta}: no data.pkl member`);
  await readToNothing(path); // warm the page cache
  const warmup = await scanOnce([path]); // JIT and lazy module initialisation
  const scans: number[] = [];
  const fullReads: number[] = [];
  const memberReads: number[] = [];
  const bytesRead: (number | undefined)[] = [];
  let report = warmup.report;
  for (let rep = 0; rep < reps; rep++) {
    const scan = await scanOnce([path]);
    scans.push(scan.ms);
    bytesRead.push(scan.bytesRead);
    report = scan.report;
    fullReads.push((await timed(() => readToNothing(path))).ms);
    memberReads.push((await timed(() => readToNothing(path, pkl.dataOffset, pkl.dataOffset + pkl.size))).ms);
  }
  const scan = summarizeTimes(scans);
  const full = summarizeTimes(fullReads);
  const member = summarizeTimes(memberReads);
  const file = report.files[0];
  const read = bytesRead.every((value) => value !== undefined) ? Math.max(...(bytesRead as number[])) : undefined;
  return {
    id: 'tensor-skip',
    title: `(a) Tensor data is never read — torch-1gib.pt (${megabytes(meta.bytes)}, torch.save zip)`,
    rows: [
      {
        metric: `scanPaths on torch-1gib.pt, median of ${reps}`,
        value: seconds(scan.median),
        note: `${spread(scan)}; first (warm-up) call ${seconds(warmup.ms)}; status ${file?.status}, formats ${file?.formats.join('+')}, ${report.findings.length} findings`,
      },
      {
        metric: 'bytes read by one scan (/proc/self/io rchar)',
        value: read === undefined ? 'n/a' : `${read.toLocaleString('en-US')} B`,
        note: `of ${meta.bytes.toLocaleString('en-US')} B in the file`,
      },
      {
        metric: `read whole file once (createReadStream, warm cache), median of ${reps}`,
        value: seconds(full.median),
        note: `${spread(full)}; ${(meta.bytes / 1e9 / (full.median / 1000)).toFixed(2)} GB/s`,
      },
      {
        metric: `read only ${pkl.name} (${pkl.size} B), median of ${reps}`,
        value: seconds(member.median),
        note: spread(member),
      },
      {
        metric: 'ratio scan / whole-file read',
        value: ratio(scan.median / full.median),
        note: `the scan takes ${((scan.median / full.median) * 100).toFixed(2)}% of one read of the file`,
      },
    ],
    targets: [
      { goal: 'scan of a 1 GiB torch file < 0.2 s', measured: seconds(scan.median), met: scan.median < targetMs },
    ],
    raw: { file: meta, scanMs: scan, warmupScanMs: warmup.ms, fullReadMs: full, memberReadMs: member, bytesRead },
  };
}
