import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDelimited, readRecords } from './csv.js';
import type { ReadIssue } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'mlsecops-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string): string {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, content);
  return path;
}

const defaults = { maxRecordChars: 64 << 20, chunkChars: 1 << 20 };

async function records(
  path: string,
  limits = defaults,
  delimiter = ',',
): Promise<{ records: string[][]; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const out: string[][] = [];
  const options = { signal: new AbortController().signal, onIssue: (issue: ReadIssue) => issues.push(issue) };
  for await (const batch of readRecords(path, delimiter, options, limits)) for (const record of batch) out.push(record);
  return { records: out, issues };
}

describe('readRecords', () => {
  it('reads a BOM, quoted fields with delimiters, quotes and line breaks, and skips empty lines', async () => {
    const path = file('\ufeffname,note\r\n"Doe, Jane","said ""hi""\r\nthen left"\r\n\r\nBob,plain\r\n');
    expect((await records(path)).records).toEqual([
      ['name', 'note'],
      ['Doe, Jane', 'said "hi"\r\nthen left'],
      ['Bob', 'plain'],
    ]);
  });

  it('reads CR-only line endings and CRLF lines inside an LF file', async () => {
    expect((await records(file('a,b\r1,2\r3,4\r'))).records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect((await records(file('a,b\n1,2\r\n3,4\n'))).records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps ragged rows and tab-separated values', async () => {
    expect((await records(file('a\tb\n1\n2\t3\t4\n'), defaults, '\t')).records).toEqual([
      ['a', 'b'],
      ['1'],
      ['2', '3', '4'],
    ]);
  });

  it('joins a quoted multi-line field split across many small chunks', async () => {
    const long = `line one\n${'x'.repeat(5000)}\nline three`;
    const path = file(`id,text\n1,"${long}"\n2,after\n`);
    const { records: out, issues } = await records(path, { maxRecordChars: 1 << 20, chunkChars: 64 });
    expect(out).toEqual([
      ['id', 'text'],
      ['1', long],
      ['2', 'after'],
    ]);
    expect(issues).toEqual([]);
  });

  it('reports a quote that does not close its field, and loses no text', async () => {
    // `"x"y` opens a quoted field whose quote never closes it: the rest of the file is that field's
    // text. Nothing goes unscanned: the detectors still see every character, under the one field.
    const { records: out, issues } = await records(file('a,b\n1,2\n"x"y,3\n4,5\n'));
    expect(out.slice(0, 2)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(out[2]?.join(',')).toContain('y,3\n4,5');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.row).toBe(1);
  });

  it('reports a quote left open at the end of the file and keeps the rest as the last field', async () => {
    const { records: out, issues } = await records(file('a,b\n1,"open\n2,3\n'));
    expect(out[1]?.[0]).toBe('1');
    expect(out[1]?.[1]).toContain('2,3');
    expect(issues.some((issue) => /quote/i.test(issue.message))).toBe(true);
  });

  it('stops at a record over the limit, in linear time and bounded memory, and says so', async () => {
    // An unterminated quote near the start of 8 MB of text full of quote pairs: re-parsing the open
    // record for every chunk would be quadratic; the reader re-parses it only as it doubles.
    const path = file(`a,b\n1,"${'ab""'.repeat(2_000_000)}`);
    const started = performance.now();
    const { records: out, issues } = await records(path, { maxRecordChars: 1 << 20, chunkChars: 1 << 14 });
    expect(performance.now() - started).toBeLessThan(20_000); // a hang guard, not a speed test
    expect(out).toEqual([['a', 'b']]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/record longer than 1048576 characters/);
    expect(issues[0]?.row).toBe(0);
  });
});

describe('readDelimited', () => {
  it('yields cells by header name and 0-based data row, skipping empty values', async () => {
    const path = file('name,email,\nJane,jane@example.org,x\n,bob@example.org\n');
    const cells: { row: number; column?: string; value: string }[] = [];
    const options = { signal: new AbortController().signal, onIssue: () => {} };
    // Cells are reused from batch to batch: copy them.
    for await (const batch of readDelimited(path, ',', options)) for (const cell of batch) cells.push({ ...cell });
    expect(cells).toEqual([
      { row: 0, column: 'name', value: 'Jane' },
      { row: 0, column: 'email', value: 'jane@example.org' },
      { row: 0, column: 'column_3', value: 'x' },
      { row: 1, column: 'email', value: 'bob@example.org' },
    ]);
  });
});

describe('readRecords on arbitrary bytes (fuzz)', () => {
  it('never throws, always ends, and reports problems as issues', async () => {
    const { default: fc } = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '\u0000', 'é', '\ufeff', '""', '\t'), {
          maxLength: 400,
        }),
        fc.constantFrom(',', '\t', ';'),
        async (parts, delimiter) => {
          const path = file(parts.join(''));
          const issues: ReadIssue[] = [];
          const options = { signal: new AbortController().signal, onIssue: (issue: ReadIssue) => issues.push(issue) };
          let count = 0;
          for await (const batch of readRecords(path, delimiter, options, { maxRecordChars: 256, chunkChars: 16 })) {
            for (const record of batch) {
              expect(Array.isArray(record)).toBe(true);
              count++;
            }
          }
          expect(count).toBeGreaterThanOrEqual(0);
          for (const issue of issues) expect(typeof issue.message).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });
});
