/**
 * Model hashing speed against `sha256sum`, side by side in one run, from the page cache:
 *   - a 4 GiB folder of 8 files: `mlsecops digest` (files mode) vs one `sha256sum` over the 8 files;
 *   - one 4 GiB file: `mlsecops digest` in file mode and in shard mode (1 GB shards) vs `sha256sum`.
 * The issue's targets: folder ≥ 1.6× a single sha256sum on this 2-core machine, one file in file mode
 * ≥ 0.9×. Each repetition runs every measurement in turn, so load changes hit all of them alike.
 * `openssl dgst -sha256` on the one file is timed too, as a stricter one-core reference.
 * Run: `npx tsx bench/integrity-hash.ts [--reps N] [--gib G]` (default 3 reps, 4 GiB).
 * Data goes to bench/.data/integrity/ (8 GiB with the defaults).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { computeManifest, serializationFor } from '../src/integrity/index.js';
import { dataDir } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { median } from './lib/stats.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const reps = option('--reps', 3);
const gib = option('--gib', 4);
const total = gib * 2 ** 30;

const dir = join(dataDir, 'integrity');
const folder = join(dir, `folder-${gib}gib`);
const single = join(dir, `single-${gib}gib.bin`);

/** Writes `size` bytes of incompressible data (a random 16 MiB block, each copy with a changed head). */
function writeData(path: string, size: number): void {
  if (existsSync(path) && statSync(path).size === size) return;
  const block = randomBytes(16 << 20);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0, n = 0; written < size; n++) {
      block.writeUInt32LE(n, 0);
      const length = Math.min(block.length, size - written);
      writeSync(fd, block, 0, length);
      written += length;
    }
  } finally {
    closeSync(fd);
  }
}

mkdirSync(folder, { recursive: true });
for (let i = 0; i < 8; i++) writeData(join(folder, `model-${String(i + 1).padStart(5, '0')}-of-00008.bin`), total / 8);
writeData(single, total);
const folderFiles = readdirSync(folder).map((name) => join(folder, name));

// Page cache: read everything once, then check it stayed cached (a second read at memory speed).
for (const path of [...folderFiles, single]) execFileSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'] });

const seconds = async (run: () => unknown | Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
};
const sha256sum = (paths: string[]) => {
  const result = spawnSync('sha256sum', paths, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('sha256sum failed');
};

/** A stronger one-core baseline than coreutils: OpenSSL's SHA-256 (SHA extensions where the CPU has them). */
const opensslDigest = (path: string) => {
  const result = spawnSync('openssl', ['dgst', '-sha256', path], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('openssl dgst failed');
};

const times = {
  folderDigest: [] as number[],
  folderSum: [] as number[],
  singleFiles: [] as number[],
  singleShards: [] as number[],
  singleSum: [] as number[],
  singleOpenssl: [] as number[],
};
const rss: number[] = [];
await computeManifest(folder, serializationFor()); // warm-up: workers, JIT
for (let i = 0; i < reps; i++) {
  times.folderDigest.push(await seconds(() => computeManifest(folder, serializationFor())));
  times.folderSum.push(await seconds(() => sha256sum(folderFiles)));
  times.singleFiles.push(await seconds(() => computeManifest(single, serializationFor())));
  times.singleShards.push(await seconds(() => computeManifest(single, serializationFor({ method: 'shards' }))));
  times.singleSum.push(await seconds(() => sha256sum([single])));
  times.singleOpenssl.push(await seconds(() => opensslDigest(single)));
  rss.push(process.memoryUsage().rss);
}

const gb = total / 1e9;
const line = (label: string, samples: number[], against?: number[]) => {
  const m = median(samples);
  const ratio = against ? ` — ${(median(against) / m).toFixed(2)}× sha256sum` : '';
  return `| ${label} | ${m.toFixed(2)} s | ${(gb / m).toFixed(2)} GB/s${ratio} | ${samples.map((t) => t.toFixed(2)).join(', ')} |`;
};
const report = [
  `machine: ${JSON.stringify(machineInfo())}`,
  `data: ${gib} GiB folder of 8 files, one ${gib} GiB file; medians of ${reps}`,
  '',
  '| Measure | Median | Throughput | Samples (s) |',
  '| --- | ---: | --- | --- |',
  line('folder: mlsecops digest (files)', times.folderDigest, times.folderSum),
  line('folder: sha256sum of the 8 files', times.folderSum),
  line('one file: mlsecops digest (file mode)', times.singleFiles, times.singleSum),
  line('one file: mlsecops digest (shards of 1 GB)', times.singleShards, times.singleSum),
  line('one file: sha256sum', times.singleSum),
  line('one file: openssl dgst -sha256 (one core, for reference)', times.singleOpenssl, times.singleSum),
  '',
  `process RSS after each repetition: ${rss.map((bytes) => `${Math.round(bytes / 2 ** 20)} MiB`).join(', ')}`,
];
process.stdout.write(`${report.join('\n')}\n`);
