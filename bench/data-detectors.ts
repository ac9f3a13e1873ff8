/**
 * PII + secrets throughput over a synthetic CSV of mixed content (ids, UUIDs, timestamps, amounts,
 * hashes, versions, names, emails, phones, IPs, free-text comments with occasional personal data):
 * first end to end (`scanData` on the file written to bench/.data/data-detectors/, as the CLI runs it,
 * and the reader alone), then the detectors over the parsed cells in memory, all together and each
 * alone. Run: `npx tsx bench/data-detectors.ts [MB] [--reps N] [--all-only]` (default 20 MB, 5 reps;
 * `--all-only` skips the per-detector passes). The target: ≥ 20 MB/s of CSV on one core.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base, en, Faker } from '@faker-js/faker';
import { defaultDetectors } from '../src/data/detectors/index.js';
import { type Detector, mayMatch } from '../src/data/detectors/types.js';
import { scanData } from '../src/data/index.js';
import { dataDir } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { median } from './lib/stats.js';

/** mulberry32: a seeded 32-bit generator with integer arithmetic (no precision loss, full period). */
let seed = 42;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

// Names, e-mail addresses and phrases from a seeded faker, so values repeat about as often as in real
// data (thousands of given names and surnames) and a value cache cannot flatter the figure.
const faker = new Faker({ locale: [en, base] });
faker.seed(42);
const first = () => faker.person.firstName();
const last = () => faker.person.lastName();
const SENTENCES = [
  'The model converged after 12 epochs with a validation loss of 0.183 and accuracy 0.934.',
  'Customer reported that the checkout page was slow on mobile during the evening peak.',
  'Please see the attached notebook for the ablation on learning rate and warmup schedule.',
  'Shipment delayed because the warehouse in Rotterdam ran out of packaging material.',
  'Retrained with torch 2.1.0 and CUDA 12.1 on 8 A100 GPUs; throughput improved by 31 percent.',
  'Ticket closed: duplicate of INC-20240115-0042, root cause was a stale cache entry.',
  'The summary was fluent but hallucinated two citations that do not exist in the source.',
  'Label noise estimated at 4.2% in the sentiment subset; relabelling scheduled for Q3.',
];
const PII_SENTENCES = [
  () => `Spoke with Mr. ${last()} who asked us to call back on +44 20 7183 ${digits(4)}.`,
  () => `${first()} ${last()} moved to ${Math.floor(rand() * 900) + 1} Oak Street, Springfield IL 62704.`,
  () => `Refund issued to card 4539 1488 0343 6467 after the customer complained.`,
  () => `Contact ${faker.internet.email()} for the invoice.`,
  () => `Request came from 81.2.69.${Math.floor(rand() * 250)} at 2024-01-15T10:30:00Z.`,
];

function row(i: number): string[] {
  const comment = rand() < 0.1 ? pick(PII_SENTENCES)() : `${faker.hacker.phrase()} ${pick(SENTENCES)}`;
  const given = first();
  const family = last();
  return [
    String(100000 + i),
    `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 366 * 86_400_000)).toISOString(),
    `${given} ${family}`,
    faker.internet.email({ firstName: given, lastName: family }),
    `+1 ${200 + Math.floor(rand() * 700)} ${200 + Math.floor(rand() * 700)} ${digits(4)}`,
    (rand() * 1000).toFixed(2),
    `SKU-${digits(5)}-${pick(['S', 'M', 'L', 'XL'])}`,
    `${Math.floor(rand() * 3)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`,
    `10.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`,
    comment,
    rand().toFixed(6),
    hex(64),
    pick(['DE', 'GB', 'US', 'FR', 'JP']),
  ];
}

const HEADER = 'id,uuid,created_at,customer_name,email,phone,amount,sku,model_version,ip,comment,score,sha256,country';
const columns = HEADER.split(',');

/**
 * The other profile: a training table as most tabular models see it (an id, 24 numeric features, two
 * categoricals, a short free-text field that now and then holds personal data, a label).
 */
const FEATURE_COUNT = 24;
const FEATURES_HEADER = [
  'id',
  ...Array.from({ length: FEATURE_COUNT }, (_, i) => `f${i}`),
  'segment',
  'channel',
  'note',
  'label',
].join(',');

function featureRow(i: number): string[] {
  const features = Array.from({ length: FEATURE_COUNT }, (_, f) =>
    f % 4 === 3 ? String(Math.floor(rand() * 1000)) : ((rand() - 0.5) * 10).toFixed(4),
  );
  const note = rand() < 0.05 ? pick(PII_SENTENCES)() : faker.hacker.phrase();
  return [
    String(i),
    ...features,
    pick(['retail', 'wholesale', 'online']),
    pick(['A', 'B', 'C', 'D']),
    note,
    String(rand() < 0.3 ? 1 : 0),
  ];
}

/** One CSV record: fields holding a comma, quote or line break are quoted, quotes doubled. */
function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
}

function dataset(
  megabytes: number,
  make: (i: number) => string[] = row,
  header = HEADER,
): { rows: string[][]; bytes: number } {
  const rows: string[][] = [];
  let bytes = header.length + 1;
  for (let i = 0; bytes < megabytes * 1e6; i++) {
    const cells = make(i);
    rows.push(cells);
    bytes += Buffer.byteLength(csvLine(cells)) + 1;
  }
  return { rows, bytes };
}

function pass(rows: readonly string[][], detectors: readonly Detector[], found?: Map<string, number>): number {
  const started = performance.now();
  for (const cells of rows) {
    for (let c = 0; c < cells.length; c++) {
      const value = cells[c]!;
      const context = { column: columns[c]! };
      for (const detector of detectors) {
        if (!mayMatch(detector, value)) continue;
        for (const match of detector.detect(value, context)) {
          if (found && match.score >= 0.5) found.set(match.entity, (found.get(match.entity) ?? 0) + 1);
        }
      }
    }
  }
  return (performance.now() - started) / 1000;
}

const args = process.argv.slice(2);
const allOnly = args.includes('--all-only');
const reps = Number(args[args.indexOf('--reps') + 1] ?? 5) || 5;
const megabytes = Number(args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--reps') ?? 20);
const { rows, bytes } = dataset(megabytes);
const mb = bytes / 1e6;

// End to end first: each CSV on disk through `scanData`, as `mlsecops data scan --no-poisoning` runs
// it, and the reader alone; the two profiles and the reader alternate within each repetition.
const dir = join(dataDir, 'data-detectors');
mkdirSync(dir, { recursive: true });
const records = join(dir, `records-${megabytes}.csv`);
writeFileSync(records, `${HEADER}\n${rows.map(csvLine).join('\n')}\n`);
const featureTable = dataset(megabytes, featureRow, FEATURES_HEADER);
const features = join(dir, `features-${megabytes}.csv`);
writeFileSync(features, `${FEATURES_HEADER}\n${featureTable.rows.map(csvLine).join('\n')}\n`);
const scanOnce = async (csv: string, detectors?: readonly Detector[]): Promise<number> => {
  const started = performance.now();
  const report = await scanData([csv], { poisoning: false, ...(detectors ? { detectors } : {}) });
  if (report.files[0]?.status !== 'scanned') throw new Error(`scan of ${csv}: ${report.files[0]?.status}`);
  return (performance.now() - started) / 1000;
};
await scanOnce(records); // warm-up
await scanOnce(features);
const timed = { records: [] as number[], features: [] as number[], reader: [] as number[] };
for (let i = 0; i < reps; i++) {
  timed.records.push(await scanOnce(records));
  timed.features.push(await scanOnce(features));
  timed.reader.push(await scanOnce(records, []));
}
const rate = (seconds: readonly number[], size: number) => {
  const m = median(seconds);
  return `${m.toFixed(3)} s → ${(size / m).toFixed(1)} MB/s (samples ${seconds.map((t) => t.toFixed(2)).join(', ')})`;
};

pass(rows, defaultDetectors); // warm-up
const found = new Map<string, number>();
const seconds = pass(rows, defaultDetectors, found);
const lines = [
  `machine: ${JSON.stringify(machineInfo())}`,
  `customer records: ${mb.toFixed(1)} MB (10^6 B), ${rows.length} rows × ${columns.length} columns, ${rows.length * columns.length} cells`,
  `  scanData end to end (read, parse, ${defaultDetectors.length} detectors, findings), median of ${reps}: ${rate(timed.records, mb)}`,
  `  reader alone (scanData with no detectors), median of ${reps}: ${rate(timed.reader, mb)}`,
  `training table: ${(featureTable.bytes / 1e6).toFixed(1)} MB, ${featureTable.rows.length} rows × ${FEATURES_HEADER.split(',').length} columns`,
  `  scanData end to end, median of ${reps}: ${rate(timed.features, featureTable.bytes / 1e6)}`,
  `customer records, all ${defaultDetectors.length} detectors over the parsed cells in memory: ${seconds.toFixed(2)} s → ${(mb / seconds).toFixed(1)} MB/s`,
];
for (const detector of allOnly ? [] : defaultDetectors) {
  const alone = pass(rows, [detector]);
  lines.push(`  ${detector.id.padEnd(36)} alone ${alone.toFixed(3)} s (${(mb / alone).toFixed(0)} MB/s)`);
}
lines.push(`matches ≥ 0.5: ${JSON.stringify(Object.fromEntries(found))}`);
process.stdout.write(`${lines.join('\n')}\n`);
