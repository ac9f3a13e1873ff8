import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32, openDataset } from '../data/index.js';
import type { ReferenceProfile } from './profile.js';
import { type ProfileDatasetOptions, profileDataset } from './profile-dataset.js';
import { profileDelimitedParallel } from './profile-parallel.js';
import { Declined, headerNames, MAX_LINE_BYTES, parseLines } from './profile-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'mlsecops-profile-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(text: string | Buffer, extension = 'csv'): string {
  const path = join(dir, `f${files++}.${extension}`);
  writeFileSync(path, text);
  return path;
}

/** Parallel on any size, two workers, many small ranges: every merge rule gets exercised. */
const parallel: ProfileDatasetOptions = { parallelFrom: 0, workers: 2, ranges: 9 };

interface Table {
  readonly rows: number;
  readonly newline?: string;
  readonly delimiter?: string;
  readonly trailingNewline?: boolean;
  readonly bom?: boolean;
}

/**
 * Rows that reach every rule of the merge: missing and infinite values, discrete numbers, 150
 * distinct numbers (counted across ranges), quoted categories with delimiters and quotes, two
 * columns whose type only the whole file decides (their non-numbers are all in the last tenth, 1.9%
 * and 2.1% of the rows: each side of profile.ts's 98%), a column that starts late, ragged rows,
 * empty lines and records without values, one of them last. `rows` a multiple of 1000.
 */
function table({ rows, newline = '\n', delimiter = ',', trailingNewline = true, bom = false }: Table): string {
  const random = mulberry32(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const header = ['x', 'level', 'code', 'colour', 'share981', 'share979', 'late', 'id'];
  const lines = [header.join(delimiter)];
  for (let row = 0; row < rows; row++) {
    const tail = row >= rows * 0.9;
    const x =
      row % 97 === 0
        ? pick(['', 'NA', 'null', ' nan '])
        : row % 89 === 0
          ? pick(['inf', '-Infinity', '+inf'])
          : (random() * 200 - 100).toFixed(1 + (row % 6));
    const colour = pick(['red', '"red"', 'blue', `"navy${delimiter} dark"`, '"say ""hi"""', '""', ' green ']);
    const share981 = tail && row % 100 < 19 ? 'n/a?' : String(row % 500);
    const share979 = tail && row % 100 < 21 ? 'junk' : String(row % 500);
    const late = row > rows / 2 ? (random() * 3).toFixed(2) : '';
    const fields = [x, String(row % 4), String(row % 150), colour, share981, share979, late, `"id ${row}"`];
    if (row % 53 === 52) fields.push('extra');
    if (row % 61 === 60) fields.length = 6;
    lines.push(fields.join(delimiter));
    if (row % 71 === 0) lines.push('');
    if (row % 83 === 0) lines.push(delimiter.repeat(7));
  }
  lines.push(delimiter.repeat(7));
  return (bom ? '\ufeff' : '') + lines.join(newline) + (trailingNewline ? newline : '');
}

/** A number equal to `value` to nine significant digits (sums in another order differ in the last bits). */
const near = (value: number) => expect.closeTo(value, Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(value) + 1))));

/** Equal exactly, but for means, deviations and co-moments (merged by Chan's update: to 1e-9). */
function expectSameProfile(actual: ReferenceProfile, expected: ReferenceProfile): void {
  const { joint } = expected;
  expect(actual).toEqual({
    ...expected,
    columns: expected.columns.map((column) =>
      column.type === 'number' ? { ...column, mean: near(column.mean), std: near(column.std) } : column,
    ),
    ...(joint
      ? {
          joint: {
            ...joint,
            mean: joint.mean.map(near),
            comoment: joint.comoment.map((row) => row.map(near)),
          },
        }
      : {}),
  });
  // Same column order, and the same keys in the same order (the JSON output is the same).
  expect(actual.columns.map((column) => Object.keys(column))).toEqual(
    expected.columns.map((column) => Object.keys(column)),
  );
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
}

async function both(path: string, options: ProfileDatasetOptions = {}) {
  const streamed = await profileDataset(path, { ...options, workers: 0 });
  const threaded = await profileDataset(path, { ...parallel, ...options });
  return { streamed, threaded };
}

describe('profileDataset in parallel', () => {
  it.each([
    ['LF', { rows: 4000 }],
    ['CRLF', { rows: 4000, newline: '\r\n' }],
    ['no final line break', { rows: 3000, trailingNewline: false }],
    ['CRLF, no final line break, BOM', { rows: 3000, newline: '\r\n', trailingNewline: false, bom: true }],
    ['semicolons', { rows: 2000, delimiter: ';' }],
  ] satisfies [string, Table][])('gives the one-pass profile: %s', async (_name, spec) => {
    const { streamed, threaded } = await both(file(table(spec)));
    expect(threaded.workers).toBe(2);
    expect(threaded.issues).toEqual([]);
    expect(streamed.issues).toEqual([]);
    expectSameProfile(threaded.profile, streamed.profile);
    const byName = new Map(threaded.profile.columns.map((column) => [column.name, column]));
    // The cases the merge must decide over the whole file, as one pass does.
    expect(byName.get('share981')?.type).toBe('number');
    expect(byName.get('share979')?.type).toBe('category');
    expect(byName.get('level')).toMatchObject({ type: 'number', distinct: 4, values: { 0: expect.any(Number) } });
    expect(byName.get('code')).toMatchObject({ type: 'number', distinct: 150 });
    expect(byName.get('x')).toMatchObject({ type: 'number', infinite: expect.any(Number) });
    expect(byName.get('colour')?.type).toBe('category');
    expect(byName.has('column_9')).toBe(true);
    // Joint moments (equal above) over several columns and most rows: the comparison is not empty.
    expect(threaded.profile.joint?.columns.length).toBeGreaterThanOrEqual(3);
    expect(threaded.profile.joint?.count).toBeGreaterThan(spec.rows / 2);
  });

  it('gives the one-pass profile of a TSV file, and with column types given', async () => {
    const path = file(table({ rows: 3000, delimiter: '\t' }), 'tsv');
    const types = { share979: 'number', code: 'category', level: 'category' } as const;
    const { streamed, threaded } = await both(path, { types });
    expect(threaded.workers).toBe(2);
    expectSameProfile(threaded.profile, streamed.profile);
    expect(threaded.profile.columns.find((column) => column.name === 'share979')?.type).toBe('number');
  });

  it('keeps the exact values of a small file and the sketch of a larger one', async () => {
    for (const rows of [1000, 30_000]) {
      const { streamed, threaded } = await both(file(table({ rows })), { ranges: 5 });
      expectSameProfile(threaded.profile, streamed.profile);
      const x = threaded.profile.columns[0];
      expect(x?.type === 'number' && x.exact !== undefined).toBe(rows === 1000);
    }
  });

  it('streams a range through its buffer, long lines included', async () => {
    const long = 'v'.repeat(3 << 20);
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i},${i === 20_000 ? long : 'short'}`);
    const { streamed, threaded } = await both(file(`n,text\n${lines.join('\n')}\n`), { ranges: 1, workers: 1 });
    expect(threaded.workers).toBe(1);
    expectSameProfile(threaded.profile, streamed.profile);
  });

  it('keeps the most frequent of more than MAX_CATEGORIES categories, where one pass keeps the first seen', async () => {
    // The one documented difference (profile-shards.ts): ranges cannot tell which values came first.
    const lines = Array.from({ length: 3000 }, (_, i) => `${i},${i < 2000 ? `v${i}` : 'late'}`);
    const { streamed, threaded } = await both(file(`n,tag\n${lines.join('\n')}\n`));
    const tag = (result: typeof streamed) => result.profile.columns.find((column) => column.name === 'tag');
    expect(tag(streamed)).toMatchObject({ count: 3000, other: 2000 });
    expect(tag(threaded)).toMatchObject({ count: 3000, other: 1001, categories: { late: 1000 } });
  });

  it('counts joint moments as one pass, whichever rows of a range hold the joint columns', async () => {
    // `sparse` has values in the first rows, so one pass takes it for the joint moments. A range with
    // none of it adds no rows; a range where it shows up only late still counts those rows, because
    // every range uses the whole file's joint columns.
    for (const [again, workers] of [
      [Number.POSITIVE_INFINITY, 2],
      [5500, 2],
    ] as const) {
      const lines = Array.from({ length: 6000 }, (_, i) => `${i},${i % 7},${i < 1500 || i >= again ? i : ''}`);
      const { streamed, threaded } = await both(file(`a,b,sparse\n${lines.join('\n')}\n`), { ranges: 3 });
      expect(streamed.profile.joint).toMatchObject({
        columns: ['a', 'b', 'sparse'],
        count: again > 6000 ? 1500 : 2000,
      });
      expect(threaded.workers).toBe(workers);
      expectSameProfile(threaded.profile, streamed.profile);
    }
  });

  it('profiles a file of one header and empty records as one pass does', async () => {
    const { streamed, threaded } = await both(file(`a,b\n,\n,\n1,\n,\n`));
    expectSameProfile(threaded.profile, streamed.profile);
    expect(threaded.profile.rows).toBe(3);
  });
});

describe('profileDataset from the build', () => {
  const built = fileURLToPath(new URL('../../dist/drift/profile-dataset.js', import.meta.url));

  it.skipIf(!existsSync(built))('starts its workers from dist/ as from the sources', async () => {
    const path = file(table({ rows: 2000 }));
    const script = `const { profileDataset } = await import(${JSON.stringify(pathToFileURL(built).href)});
      const { workers, profile } = await profileDataset(${JSON.stringify(path)}, { parallelFrom: 0, workers: 2 });
      process.stdout.write(JSON.stringify({ workers, rows: profile.rows }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    const { profile } = await profileDataset(path, { workers: 0 });
    expect(JSON.parse(stdout)).toEqual({ workers: 2, rows: profile.rows });
  });
});

describe('parseLines', () => {
  it('reads any text as the streaming reader does, or declines it (fuzz)', async () => {
    const { default: fc } = await import('fast-check');
    const pieces = ['a', ',', '"', '\n', '\r\n', '\r', ' ', 'é', '""', '1', '-2.5', 'inf', 'NA', ',,'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { maxLength: 120 }), fc.boolean(), async (parts, bom) => {
        const text = parts.join('');
        const path = file(`${bom ? '\ufeff' : ''}${text}`);
        const streamed: { row: number; column?: string; value: string }[] = [];
        const opened = await openDataset(path, { signal: new AbortController().signal, onIssue: () => {} });
        for await (const batch of opened.cells ?? []) for (const cell of batch) streamed.push({ ...cell });
        const first = text.indexOf('\n');
        const newline = first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
        const records: string[][] = [[]];
        try {
          parseLines(
            text,
            { delimiter: ',', newline },
            {
              field: (_column, value) => void records.at(-1)!.push(value),
              endRecord: () => void records.push([]),
            },
          );
        } catch (error) {
          if (error instanceof Declined) return;
          throw error;
        }
        const [header, ...rows] = records.slice(0, -1);
        const names = headerNames(header ?? []);
        const cells = rows.flatMap((record, row) =>
          record.flatMap((value, i) => (value === '' ? [] : [{ row, column: names[i] ?? `column_${i + 1}`, value }])),
        );
        expect(cells).toEqual(streamed);
      }),
      { numRuns: 400 },
    );
  });
});

describe('files whose lines are not records go to the streaming reader', () => {
  /** Two megabytes of plain rows, so the streaming reader's first batch ends before `tail`. */
  const padded = (tail: string, newline = '\n') =>
    `a,b,c${newline}${Array.from({ length: 150_000 }, (_, i) => `${i},${i % 7},x${i % 3}`).join(newline)}${newline}${tail}`;

  it.each([
    ['a quoted line break', padded('1,"two\nlines",3\n4,5,6\n'), /does not close on its line/, false],
    ['text after a closing quote', padded('1,"x"y,3\n4,5,6\n'), /after the closing quote/, true],
    ['a quote left open at the end', padded('1,"open,3\n4,5,6\n'), /does not close/, true],
    ['a CRLF line in an LF file', padded('1,2,3\r\n4,5,6\n'), /CR in a file with LF/, false],
    ['an LF line in a CRLF file', padded('1,2,3\n4,5,6\r\n', '\r\n'), /other than CRLF/, false],
    ['an overlong line', padded(`1,${'z'.repeat(MAX_LINE_BYTES + 10)},3\n`), /longer than/, false],
  ])('%s: the same profile and issues as the streaming reader', async (_name, text, reason, malformed) => {
    const path = file(text);
    const opened = await openDataset(path, { signal: new AbortController().signal, onIssue: () => {} });
    const batches = opened.cells![Symbol.asyncIterator]();
    const first = await batches.next();
    const outcome = await profileDelimitedParallel(path, first.value, { workers: 2, ranges: 4 });
    await batches.return?.();
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    const { streamed, threaded } = await both(path);
    expect(threaded.workers).toBe(0);
    expect(threaded.issues).toEqual(streamed.issues);
    expect(threaded.issues.length > 0).toBe(malformed);
    expect(threaded.profile).toEqual(streamed.profile);
  });

  it('leaves small files and other formats to the streaming reader', async () => {
    const csv = file(table({ rows: 1000 }));
    expect((await profileDataset(csv, { workers: 2 })).workers).toBe(0);
    const jsonl = file(Array.from({ length: 50_000 }, (_, i) => `{"a":${i},"b":"x${i % 3}"}`).join('\n'), 'jsonl');
    expect((await profileDataset(jsonl, { ...parallel })).workers).toBe(0);
  });

  it('declines CR line endings, single columns and a head that reads differently', async () => {
    for (const text of ['a,b\r1,2\r3,4\r', 'a\n1\n2\n', 'a,b\n1,2\n']) {
      const path = file(text);
      const opened = await openDataset(path, { signal: new AbortController().signal, onIssue: () => {} });
      const batches = opened.cells![Symbol.asyncIterator]();
      const first = await batches.next();
      // The last sample is one the streaming reader did not give: the head must read the same.
      const sample = text === 'a,b\n1,2\n' ? [{ row: 0, column: 'a', value: '9' }] : (first.value ?? []);
      expect(await profileDelimitedParallel(path, sample, { workers: 1 })).toMatchObject({ ok: false });
      await batches.return?.();
    }
  });

  it('stops its workers when aborted, as the streaming reader stops', async () => {
    const path = file(table({ rows: 20_000 }));
    const controller = new AbortController();
    const running = profileDataset(path, { ...parallel, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 5);
    await expect(running).rejects.toThrow('stop');
  });
});
