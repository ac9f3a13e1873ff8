import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { asyncBufferFromFile, parquetMetadata, parquetMetadataAsync } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParquetLimits, readParquet, readParquetWithin } from './parquet.js';
import type { Cell, ReadIssue } from './types.js';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const fixture = (name: string) => join(testdata, name);

async function read(path: string, limits?: Partial<ParquetLimits>, signal = new AbortController().signal) {
  const cells: Cell[] = [];
  const issues: ReadIssue[] = [];
  const options = { signal, onIssue: (issue: ReadIssue) => issues.push(issue) };
  const generator = limits
    ? readParquetWithin(path, options, {
        maxFooterBytes: 256 << 20,
        maxReadBytes: 1 << 30,
        maxPageBytes: 256 << 20,
        maxValuesPerRead: 1 << 26,
        maxKeptBytes: 64 << 20,
        sliceBytes: 64 << 20,
        ...limits,
      })
    : readParquet(path, options);
  for await (const cell of generator) cells.push(cell);
  return { cells, issues };
}

const triple = (cell: Cell): [number, string, string] => [cell.row, cell.column ?? '', cell.value];
const sorted = (cells: Cell[]) => cells.map(triple).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Every string and number in the fixtures (generate-parquet.ts); nulls, '' and booleans yield nothing. */
const expected: [number, string, string][] = [
  [0, 'name', 'Alice'],
  [1, 'name', 'Bob'],
  [3, 'name', 'Dora'],
  [4, 'name', 'Eve'],
  [0, 'email', 'alice@example.com'],
  [2, 'email', 'carol@example.net'],
  [4, 'email', 'eve@example.org'],
  [0, 'age', '34'],
  [2, 'age', '51'],
  [3, 'age', '28'],
  [4, 'age', '45'],
  [0, 'balance', '1'],
  [1, 'balance', '-2'],
  [3, 'balance', '9007199254740993'],
  [4, 'balance', '0'],
  [0, 'score', '0.5'],
  [1, 'score', '1.25'],
  [3, 'score', '-3.75'],
  [4, 'score', '100'],
  [0, 'created', '2024-01-02T03:04:05.000Z'],
  [2, 'created', '2023-12-31T23:59:59.999Z'],
  [0, 'user.name', 'Alice A'],
  [0, 'user.contact.email', 'alice.a@example.org'],
  [2, 'user.name', 'Carol C'],
  [3, 'user.contact.email', 'dora@example.com'],
  [0, 'events[0].kind', 'login'],
  [0, 'events[0].ip', '10.0.0.1'],
  [3, 'events[0].kind', 'login'],
  [3, 'events[0].ip', '192.168.1.7'],
  [3, 'events[1].kind', 'logout'],
  [3, 'events[2].kind', 'login'],
  [3, 'events[2].ip', '2001:db8::1'],
];
const expectedSorted = [...expected].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('readParquet', () => {
  it.each([
    ['snappy.parquet', 'SNAPPY'],
    ['gzip.parquet', 'GZIP'],
    ['zstd.parquet', 'ZSTD'],
    ['uncompressed.parquet', 'UNCOMPRESSED'],
  ])('reads every value with its row and column path from %s', async (name, codec) => {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(fixture(name)));
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([3, 2]);
    const codecs = new Set(metadata.row_groups.flatMap((group) => group.columns.map((c) => c.meta_data?.codec)));
    expect([...codecs]).toEqual([codec]);

    const { cells, issues } = await read(fixture(name));
    expect(issues).toEqual([]);
    expect(sorted(cells)).toEqual(expectedSorted);
  });

  // Written by DuckDB (generate-duckdb-parquet.mjs) as most producers write Parquet: version-1 data
  // pages with run-length levels, dictionary pages, dictionary and delta encodings, lists and structs.
  it.each(['v1-dictionary.parquet', 'v1-delta.parquet'])('reads version-1 pages from %s', async (name) => {
    const { cells, issues } = await read(fixture(name));
    expect(issues).toEqual([]);
    // The table generate-duckdb-parquet.mjs writes, row by row.
    const want: [number, string, string][] = [];
    for (let i = 0; i < 600; i++) {
      want.push([i, 'id', String(i)]);
      if (i % 7 !== 0) want.push([i, 'name', `user${i % 13}`]);
      if (i % 5 !== 0) want.push([i, 'grp', String(i % 3)]);
      if (i % 11 !== 0) want.push([i, 'tags[0]', String(i % 4)], [i, 'tags[1]', String(i % 9)]);
      want.push([i, 'contact.email', `u${i % 17}@example.com`], [i, 'contact.n', String(i)]);
    }
    expect(sorted(cells)).toEqual(want.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it('counts rows across row groups and names nested columns', async () => {
    const { cells } = await read(fixture('snappy.parquet'));
    // Row group 1 starts at row 3.
    expect(cells).toContainEqual({ row: 3, column: 'name', value: 'Dora' });
    expect(cells).toContainEqual({ row: 4, column: 'email', value: 'eve@example.org' });
    expect(cells).toContainEqual({ row: 3, column: 'user.contact.email', value: 'dora@example.com' });
    expect(cells).toContainEqual({ row: 3, column: 'events[2].ip', value: '2001:db8::1' });
    expect(cells.some((cell) => cell.column === 'active')).toBe(false);
    expect(cells.every((cell) => cell.value !== '')).toBe(true);
  });

  it('reads large column chunks in row ranges through the offset index with the same result', async () => {
    const { cells, issues } = await read(fixture('snappy.parquet'), { sliceBytes: 1 });
    expect(issues).toEqual([]);
    expect(sorted(cells)).toEqual(expectedSorted);
    expect(cells.map(triple)).toEqual((await read(fixture('snappy.parquet'))).cells.map(triple));
  });

  it.each([
    'snappy.parquet',
    'v1-dictionary.parquet',
    'v1-delta.parquet',
  ])('gives the same cells from %s whether checked pages are kept for the decode or decompressed again', async (name) => {
    const kept = await read(fixture(name), {});
    const again = await read(fixture(name), { maxKeptBytes: 0 });
    expect(again.issues).toEqual([]);
    expect(kept.cells.length).toBeGreaterThan(0);
    expect(again.cells).toEqual(kept.cells);
  });

  it('reports a truncated file without throwing', async () => {
    const { cells, issues } = await read(fixture('truncated.parquet'));
    expect(cells).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/^Parquet file not read: .*truncated/);
  });

  it('reports a damaged column chunk and reads the others', async () => {
    const { cells, issues } = await read(fixture('damaged-chunk.parquet'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 0 });
    expect(issues[0]?.message).toMatch(/^Parquet column "name" of row group 0 not read: /);
    const rest = expectedSorted.filter(([row, column]) => !(column === 'name' && row < 3));
    expect(sorted(cells)).toEqual(rest);
  });

  it('refuses pages that declare more values than the limit, as a decompression-bomb guard', async () => {
    const { cells, issues } = await read(fixture('snappy.parquet'), { maxValuesPerRead: 1 });
    expect(cells).toEqual([]);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.message).toMatch(/decompression bomb/);
  });

  it('refuses pages larger than the page limit', async () => {
    const { issues } = await read(fixture('snappy.parquet'), { maxPageBytes: 4 });
    expect(issues[0]?.message).toMatch(/beyond the 4-byte limit/);
  });

  it('refuses a page whose run-length levels overrun it, which would abort the process', async () => {
    // The definition levels of the "balance" page in gzip.parquet (version 2: levels are stored
    // uncompressed right after the page header) become one run of 2^29 values for a page of 3.
    const bytes = new Uint8Array(await readFile(fixture('gzip.parquet')));
    const metadata = parquetMetadata(bytes.buffer);
    const chunk = metadata.row_groups[0]!.columns.find((column) => column.meta_data?.path_in_schema[0] === 'balance')!;
    const start = Number(chunk.meta_data!.data_page_offset);
    const reader = { view: new DataView(bytes.buffer, start), offset: 0 };
    const header = parquetHeader(reader);
    expect(header.data_page_header_v2?.definition_levels_byte_length).toBeGreaterThan(0);
    bytes.set([0x80, 0x80, 0x80, 0x80, 0x04], start + reader.offset);
    const dir = await mkdtemp(join(tmpdir(), 'parquet-runs-'));
    try {
      await writeFile(join(dir, 'overrun.parquet'), bytes);
      const { cells, issues } = await read(join(dir, 'overrun.parquet'));
      expect(issues).toEqual([
        {
          row: 0,
          message:
            'Parquet column "balance" of row group 0 not read: DATA_PAGE_V2 refused: a run of 536870912 values overruns the 3 the page holds',
        },
      ]);
      expect(sorted(cells)).toEqual(expectedSorted.filter(([row, column]) => !(column === 'balance' && row < 3)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file that is not Parquet', async () => {
    const { cells, issues } = await read(fileURLToPath(import.meta.url));
    expect(cells).toEqual([]);
    expect(issues[0]?.message).toMatch(/^Parquet file not read: no PAR1 magic/);
  });

  it('reports a missing file as an issue', async () => {
    const { issues } = await read(fixture('does-not-exist.parquet'));
    expect(issues[0]?.message).toMatch(/ENOENT/);
  });

  it('throws when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(read(fixture('snappy.parquet'), undefined, controller.signal)).rejects.toThrow();
  });

  describe('mutated files', () => {
    const names = [
      'snappy.parquet',
      'gzip.parquet',
      'zstd.parquet',
      'uncompressed.parquet',
      'v1-dictionary.parquet',
      'v1-delta.parquet',
    ];
    const originals = new Map<string, { bytes: Uint8Array; dataEnd: number }>();
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'parquet-fuzz-'));
      for (const name of names) {
        const metadata = await parquetMetadataAsync(await asyncBufferFromFile(fixture(name)));
        const bytes = new Uint8Array(await readFile(fixture(name)));
        originals.set(name, { bytes, dataEnd: bytes.length - metadata.metadata_length - 8 });
      }
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    type Mutation =
      | { kind: 'set'; at: number; bytes: Uint8Array }
      | { kind: 'cut'; at: number }
      | { kind: 'insert'; at: number; bytes: Uint8Array };
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
    );

    function mutate(bytes: Uint8Array, steps: readonly Mutation[]): Uint8Array {
      let out = Uint8Array.from(bytes);
      for (const step of steps) {
        const at = step.at % (out.length + 1);
        if (step.kind === 'set') {
          out.set(step.bytes.subarray(0, Math.max(0, out.length - at)), at);
        } else if (step.kind === 'cut') {
          out = out.slice(0, at);
        } else {
          out = Uint8Array.from([...out.subarray(0, at), ...step.bytes, ...out.subarray(at)]);
        }
      }
      return out;
    }

    it('never throws and yields only well-formed cells', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names),
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          async (name, steps) => {
            const path = join(dir, `mutated-${run++}.parquet`);
            await writeFile(path, mutate(originals.get(name)!.bytes, steps));
            const { cells } = await read(path);
            for (const cell of cells) {
              expect(Number.isSafeInteger(cell.row) && cell.row >= 0).toBe(true);
              expect(typeof cell.value).toBe('string');
              expect(cell.value).not.toBe('');
            }
            await rm(path);
          },
        ),
        { numRuns: 400 },
      );
    });

    it('never throws when the footer is intact and only column chunk bytes change', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names),
          fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          fc.uint8Array({ minLength: 1, maxLength: 4 }),
          async (name, where, bytes) => {
            const { bytes: original, dataEnd } = originals.get(name)!;
            const at = 4 + Math.floor(where * (dataEnd - 4));
            const mutated = Uint8Array.from(original);
            mutated.set(bytes.subarray(0, dataEnd - at), at);
            const path = join(dir, `chunk-${run++}.parquet`);
            await writeFile(path, mutated);
            const { cells, issues } = await read(path);
            // Whatever the damage, it is either reported or harmless to what was read.
            expect(issues.length > 0 || cells.length > 0).toBe(true);
            await rm(path);
          },
        ),
        { numRuns: 400 },
      );
    });
  });
});
