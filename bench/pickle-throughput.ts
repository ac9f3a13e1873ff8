import { dataPaths, debianPython, type PickleMeta, readJson } from './lib/data.js';
import { megabytes, millions, ratio, seconds, spread } from './lib/format.js';
import { runChecked } from './lib/proc.js';
import type { BenchResult } from './lib/result.js';
import { scanOnce } from './lib/scan-once.js';
import { summarizeTimes } from './lib/stats.js';

/** What picklescan and modelscan do first on every file; fickling builds its AST on top of it. */
export const genopsScript = [
  'import pickletools, sys',
  'n = 0',
  "for _ in pickletools.genops(open(sys.argv[1], 'rb')):",
  '    n += 1',
  'print(n)',
].join('\n');

/** The same walk over bytes already in memory: no per-opcode file reads, a stricter (faster) baseline. */
export const genopsInMemoryScript = genopsScript.replace("open(sys.argv[1], 'rb')", "open(sys.argv[1], 'rb').read()");

/** Published figures from the issue for a ~20 MB / ~8 M-opcode pickle; NOT measured here. */
export const externalFigures = { picklescanMs: 10_000, modelscanMs: 10_000, ficklingMs: 50_000 } as const;

const targetMs = 500;

/**
 * (b) Pickle analysis throughput: the scanner's full analysis of an 8 M-opcode pickle against Python merely
 * walking its opcodes with pickletools.genops (a lower bound for picklescan, modelscan and fickling).
 * The three measurements alternate within each repetition so machine noise hits them alike.
 */
export async function benchPickle(reps: number): Promise<BenchResult> {
  const path = dataPaths.pickle;
  const meta = readJson<PickleMeta>(dataPaths.pickleMeta);
  const warmup = await scanOnce([path]);
  const genopsCount = Number((await runChecked(debianPython, ['-c', genopsScript, path])).stdout.trim());
  if (genopsCount !== meta.opcodes) throw new Error(`genops counted ${genopsCount}, expected ${meta.opcodes}`);
  const scans: number[] = [];
  const genops: number[] = [];
  const startups: number[] = [];
  const imports: number[] = [];
  const inMemory: number[] = [];
  let report = warmup.report;
  for (let rep = 0; rep < reps; rep++) {
    const scan = await scanOnce([path]);
    scans.push(scan.ms);
    report = scan.report;
    genops.push((await runChecked(debianPython, ['-c', genopsScript, path])).ms);
    inMemory.push((await runChecked(debianPython, ['-c', genopsInMemoryScript, path])).ms);
    startups.push((await runChecked(debianPython, ['-c', 'pass'])).ms);
    imports.push((await runChecked(debianPython, ['-c', 'import pickletools, sys'])).ms);
  }
  const scan = summarizeTimes(scans);
  const raw = summarizeTimes(genops);
  const startup = summarizeTimes(startups);
  const withImport = summarizeTimes(imports);
  const memory = summarizeTimes(inMemory);
  const memoryNetMs = memory.median - startup.median;
  const netMs = raw.median - startup.median;
  const perSecond = (ms: number) => `${millions(meta.opcodes / (ms / 1000))} opcodes/s`;
  const file = report.files[0];
  return {
    id: 'pickle-throughput',
    title: `(b) Pickle analysis throughput — pickle-8m-ops.pkl (${megabytes(meta.bytes)}, ${millions(meta.opcodes)} opcodes, protocol 4)`,
    rows: [
      {
        metric: `mlsecops scanPaths, median of ${reps}`,
        value: seconds(scan.median),
        note: `${perSecond(scan.median)}; ${spread(scan)}; first (warm-up) call ${seconds(warmup.ms)}; status ${file?.status}, ${report.findings.length} findings`,
      },
      {
        metric: `python pickletools.genops walk, raw process time, median of ${reps}`,
        value: seconds(raw.median),
        note: `${perSecond(raw.median)}; ${spread(raw)}`,
      },
      {
        metric: `python startup (\`-c pass\`), median of ${reps}`,
        value: seconds(startup.median),
        note: `\`-c "import pickletools, sys"\`: ${seconds(withImport.median)}`,
      },
      { metric: 'python genops walk, net of startup', value: seconds(netMs), note: perSecond(netMs) },
      {
        metric: 'ratio genops net / mlsecops',
        value: ratio(netMs / scan.median),
        note: `raw: ${ratio(raw.median / scan.median)}; >1 means mlsecops (full analysis) is faster than the bare opcode walk`,
      },
      {
        metric: `python genops over the bytes read into memory first (stricter baseline), net, median of ${reps}`,
        value: seconds(memoryNetMs),
        note: `${perSecond(memoryNetMs)}; raw ${seconds(memory.median)}, ${spread(memory)}; ratio to mlsecops ${ratio(memoryNetMs / scan.median)}`,
      },
      {
        metric: 'external: picklescan / modelscan ~10 s, fickling ~50 s (issue figures, not measured)',
        value: ratio(externalFigures.picklescanMs / scan.median),
        note: `implied speed-up vs ~10 s; vs fickling ~50 s: ${ratio(externalFigures.ficklingMs / scan.median)}`,
      },
    ],
    targets: [
      {
        goal: '8 M-opcode pickle ≤ 0.5 s (≥ 20× the ~10 s of picklescan)',
        measured: seconds(scan.median),
        met: scan.median <= targetMs,
      },
    ],
    raw: {
      file: meta,
      scanMs: scan,
      warmupScanMs: warmup.ms,
      genopsRawMs: raw,
      pythonStartupMs: startup,
      pythonImportPickletoolsMs: withImport,
      genopsNetMs: netMs,
      genopsInMemoryRawMs: memory,
      genopsInMemoryNetMs: memoryNetMs,
      externalFigures,
    },
  };
}
