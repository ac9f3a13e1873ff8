import { type FileHandle, open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerProgram } from '../worker-program.js';
import { JOINT_SAMPLE_ROWS, JointMomentsBuilder } from './moments.js';
import type { ProfileOptions, ReferenceProfile } from './profile.js';
import { mergeRanges } from './profile-shards.js';
import {
  Declined,
  type Dialect,
  headerNames,
  MAX_LINE_BYTES,
  parseLines,
  type RangeJob,
  type RangeProfile,
  type RangeReply,
  type RangeSetup,
} from './profile-worker.js';

/**
 * Profiles a large CSV or TSV file on worker threads: the data after the header is cut into byte
 * ranges at line starts, each range is profiled by a worker that streams it through one buffer
 * (profile-worker.ts), and the range profiles are merged into the profile one pass would make
 * (profile-shards.ts). Memory is a buffer and a ProfileBuilder per worker, whatever the file's size.
 *
 * Lines are records here. A quoted field holding a line break, malformed quotes, mixed line endings
 * or an overlong line make a worker decline, and the caller reads the file with the streaming reader
 * (which also reports the issues). The dialect is checked against the streaming reader's first batch
 * of cells, so the two readers never disagree about the delimiter, the header or the line ending.
 */

export interface ParallelProfileOptions extends ProfileOptions {
  readonly signal?: AbortSignal;
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  /** Byte ranges to cut the data into (default: two per worker, each at least 2 MiB). */
  readonly ranges?: number;
}

export type ParallelOutcome =
  | { readonly ok: true; readonly profile: ReferenceProfile; readonly workers: number; readonly ranges: number }
  | { readonly ok: false; readonly reason: string };

/** A cell as the streaming reader gives it. */
export interface SampleCell {
  readonly row: number;
  readonly column?: string;
  readonly value: string;
}

/** Bytes of the file's head read first to find its dialect and header, and at most. */
const HEAD_BYTES = 256 << 10;
const MAX_HEAD_BYTES = 16 << 20;
/**
 * Each range costs a few profile builds (tens of milliseconds for 20 columns): two ranges per worker
 * balance uneven progress without paying that often.
 */
const MIN_RANGE_BYTES = 2 << 20;
/**
 * Wider files are streamed: every range's two readings of every column wait in memory for the merge,
 * which for thousands of columns would be many times what one ProfileBuilder holds.
 */
const MAX_COLUMNS = 512;
/** The delimiters the streaming reader detects (data/readers/sniff.ts). */
const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The profile of a delimited file read in parallel, or why the file must be streamed instead.
 * `sample` is the streaming reader's first batch of cells for the same file.
 */
export async function profileDelimitedParallel(
  path: string,
  sample: readonly SampleCell[],
  options: ParallelProfileOptions = {},
): Promise<ParallelOutcome> {
  const workers = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  let setup: RangeSetup;
  let cuts: number[] | string;
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let layout: Layout | string;
    // The head must hold the rows the joint moments choose their columns from.
    for (let bytes = HEAD_BYTES; ; bytes *= 4) {
      const head = Buffer.alloc(Math.min(bytes, size));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      layout = layoutOf(head.subarray(0, bytesRead), bytesRead === size, sample);
      if (typeof layout === 'string') return { ok: false, reason: layout };
      if (layout.rowsWithValues >= JOINT_SAMPLE_ROWS || bytesRead === size) break;
      if (bytes >= MAX_HEAD_BYTES) return { ok: false, reason: `fewer than ${JOINT_SAMPLE_ROWS} rows in the head` };
    }
    const joint = jointColumns(layout.rows, layout.header, options.types);
    setup = { path, dialect: layout.dialect, header: layout.header, alpha: options.alpha, joint, types: options.types };
    const data = size - layout.dataStart;
    const ranges = options.ranges ?? Math.min(workers * 2, Math.floor(data / MIN_RANGE_BYTES));
    cuts = await cutsAtLines(handle, layout.dataStart, size, Math.max(1, ranges));
  } finally {
    await handle.close();
  }
  if (typeof cuts === 'string') return { ok: false, reason: cuts };
  const results = await runWorkers(setup, cuts, Math.min(workers, cuts.length - 1), options.signal);
  if (!Array.isArray(results)) return { ok: false, reason: results.reason };
  const profile = mergeRanges(results, options.types, setup.joint);
  return { ok: true, profile, workers, ranges: results.length };
}

/**
 * The columns one pass takes for the joint moments: JointMomentsBuilder's choice over the first rows
 * (the head holds at least as many as it samples), all of them kept.
 */
function jointColumns(
  rows: readonly string[][],
  header: readonly string[],
  types: ProfileOptions['types'],
): readonly string[] {
  const builder = new JointMomentsBuilder(types);
  const names = new Set<string>();
  rows.forEach((record, row) => {
    record.forEach((value, index) => {
      if (value === '') return;
      const name = header[index] ?? `column_${index + 1}`;
      names.add(name);
      builder.add(row, name, value);
    });
  });
  return builder.build(names)?.columns ?? [];
}

interface Layout {
  readonly dialect: Dialect;
  readonly header: readonly string[];
  /** Byte offset of the first line after the header. */
  readonly dataStart: number;
  /** The data records of the head, and how many hold a value. */
  readonly rows: readonly string[][];
  readonly rowsWithValues: number;
}

/**
 * The dialect whose reading of the head gives exactly the streaming reader's first cells: one
 * delimiter must match, with a header of at least two columns. Line endings are the first line's.
 */
function layoutOf(head: Buffer, whole: boolean, sample: readonly SampleCell[]): Layout | string {
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const lastLine = head.lastIndexOf(10);
  const firstLine = head.indexOf(10, bom);
  if (firstLine === -1) return `no line break in the first ${head.length} bytes`;
  const newline = firstLine > bom && head[firstLine - 1] === 13 ? '\r\n' : '\n';
  // The header is the first record: lines of nothing or of just `""` give none (parseLines).
  let headerEnd = bom - 1;
  for (let blank = true; blank; ) {
    const start = headerEnd + 1;
    headerEnd = head.indexOf(10, start);
    if (headerEnd === -1) return `no header line in the first ${head.length} bytes`;
    const line = head.toString('latin1', start, newline === '\r\n' ? Math.max(start, headerEnd - 1) : headerEnd);
    blank = line === '' || line === '""';
  }
  const text = head.toString('utf8', bom, whole ? head.length : lastLine + 1);
  const matches: Layout[] = [];
  for (const delimiter of DELIMITERS) {
    const dialect: Dialect = { delimiter, newline };
    const records: string[][] = [];
    let record: string[] = [];
    try {
      parseLines(text, dialect, {
        field: (_column, value) => void record.push(value),
        endRecord: () => {
          records.push(record);
          record = [];
        },
      });
    } catch (error) {
      if (error instanceof Declined) continue;
      throw error;
    }
    const [first, ...rows] = records;
    if (!first || first.length < 2 || first.length > MAX_COLUMNS) continue;
    const header = headerNames(first);
    const rowsWithValues = rows.filter((record) => record.some((value) => value !== '')).length;
    if (sameCells(cellsOf(rows, header), sample))
      matches.push({ dialect, header, dataStart: headerEnd + 1, rows, rowsWithValues });
  }
  if (matches.length !== 1)
    return matches.length === 0
      ? `no delimiter reads the head as the streaming reader does, with 2 to ${MAX_COLUMNS} columns`
      : 'ambiguous delimiter';
  return matches[0]!;
}

function cellsOf(rows: readonly string[][], header: readonly string[]): SampleCell[] {
  return rows.flatMap((record, row) =>
    record.flatMap((value, index) =>
      value === '' ? [] : [{ row, column: header[index] ?? `column_${index + 1}`, value }],
    ),
  );
}

/** Equal over the cells both have, and they have some. */
function sameCells(mine: readonly SampleCell[], sample: readonly SampleCell[]): boolean {
  const overlap = Math.min(mine.length, sample.length);
  if (overlap === 0) return false;
  for (let i = 0; i < overlap; i++) {
    const a = mine[i]!;
    const b = sample[i]!;
    if (a.row !== b.row || a.column !== b.column || a.value !== b.value) return false;
  }
  return true;
}

/** `ranges + 1` offsets or fewer, each (but the first and last) just after a line feed. */
async function cutsAtLines(
  handle: FileHandle,
  start: number,
  size: number,
  ranges: number,
): Promise<number[] | string> {
  const cuts = [start];
  const block = Buffer.allocUnsafe(64 << 10);
  for (let i = 1; i < ranges; i++) {
    const nominal = start + Math.floor(((size - start) * i) / ranges);
    let from = Math.max(nominal - 1, cuts.at(-1)!);
    let cut = -1;
    while (cut === -1 && from < size) {
      if (from - nominal > MAX_LINE_BYTES) return `a line longer than ${MAX_LINE_BYTES} bytes`;
      const { bytesRead } = await handle.read(block, 0, block.length, from);
      if (bytesRead === 0) break;
      const at = block.subarray(0, bytesRead).indexOf(10);
      if (at === -1) from += bytesRead;
      else cut = from + at + 1;
    }
    if (cut === -1 || cut >= size) break;
    if (cut > cuts.at(-1)!) cuts.push(cut);
  }
  cuts.push(size);
  return cuts;
}

/**
 * Profiles ranges `[cuts[i], cuts[i + 1])` on `count` workers, handing out the next range to whichever
 * worker is free; the first decline, error or abort stops them all.
 */
function runWorkers(
  setup: RangeSetup,
  cuts: readonly number[],
  count: number,
  signal: AbortSignal | undefined,
): Promise<RangeProfile[] | { reason: string }> {
  const results: RangeProfile[] = new Array(cuts.length - 1);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let settled = false;
  return new Promise((resolve) => {
    const finish = (outcome: RangeProfile[] | { reason: string }): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', aborted);
      void Promise.allSettled(workers.map((worker) => worker.terminate())).then(() => resolve(outcome));
    };
    const aborted = (): void => finish({ reason: 'aborted' });
    if (signal?.aborted) return finish({ reason: 'aborted' });
    signal?.addEventListener('abort', aborted, { once: true });
    const dispatch = (worker: Worker): void => {
      if (next >= results.length) return;
      const index = next++;
      worker.postMessage({ index, start: cuts[index]!, end: cuts[index + 1]! } satisfies RangeJob);
    };
    try {
      const source = workerProgram(import.meta.url, './profile-worker', 'serveProfileWorker');
      for (let i = 0; i < count; i++) {
        const worker = new Worker(source, { eval: true, workerData: setup });
        workers.push(worker);
        worker.on('message', (reply: RangeReply) => {
          if (settled) return;
          if (!reply.ok) return finish({ reason: reply.reason });
          results[reply.index] = reply.result;
          if (++done === results.length) return finish(results);
          dispatch(worker);
        });
        worker.on('error', (error) => finish({ reason: `worker failed: ${error.message}` }));
        worker.on('exit', (code) => finish({ reason: `worker stopped with exit code ${code}` }));
        dispatch(worker);
      }
    } catch (error) {
      finish({ reason: `cannot start workers: ${(error as Error).message}` });
    }
  });
}
