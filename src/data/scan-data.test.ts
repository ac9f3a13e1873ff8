import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanData } from './scan-data.js';
import { tokenDetector as token } from './test-support.js';

const testdata = join(import.meta.dirname, 'testdata');
// Reader tests: poisoning indicators off (they have their own tests).
const scan = (file: string) => scanData([join(testdata, file)], { detectors: [token], poisoning: false });
const where = (report: Awaited<ReturnType<typeof scan>>) =>
  report.findings
    .filter((f) => f.ruleId === 'secret.test-token')
    .map((f) => [f.location.row, f.location.column, f.location.span]);

describe('data scan readers', () => {
  it('reads CSV with a BOM, CRLF, quoted multi-line fields and escaped quotes; rows exclude the header', async () => {
    const report = await scan('people.csv');
    expect(report.files[0]?.formats).toEqual(['csv']);
    expect(where(report)).toEqual([
      [0, 'notes', [18, 27]],
      [2, 'notes', [0, 9]],
    ]);
  });

  it('reads TSV', async () => {
    expect(where(await scan('comments.tsv'))).toEqual([
      [1, 'comment', [4, 13]],
      [1, 'comment', [18, 27]],
    ]);
  });

  it('reads JSON arrays of nested records with JSON paths as columns', async () => {
    const report = await scan('users.json');
    expect(report.files[0]?.formats).toEqual(['json']);
    expect(where(report)).toEqual([
      [0, 'user.contact.email', [0, 9]],
      [0, 'tags[1]', [0, 9]],
    ]);
  });

  it('reads JSON Lines and scans a broken line as text, reporting it', async () => {
    const report = await scan('events.jsonl');
    expect(where(report)).toEqual([
      [0, 'text', [6, 15]],
      [1, undefined, [17, 26]],
      [2, 'meta.key', [0, 9]],
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'data.malformed-record').map((f) => f.location.row)).toEqual([1]);
    expect(report.files[0]?.status).toBe('partial');
  });

  it('reads text by line, with character spans', async () => {
    expect(where(await scan('notes.txt'))).toEqual([
      [1, undefined, [14, 23]],
      [3, undefined, [11, 20]],
    ]);
  });

  it('reports a Parquet file it cannot read instead of passing it', async () => {
    const report = await scan('table.parquet');
    expect(report.files[0]?.formats).toEqual(['parquet']);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['data.malformed-record']);
    expect(report.files[0]?.status).toBe('partial');
  });

  it('reads Parquet row groups with nested column paths', async () => {
    const report = await scanData([join(import.meta.dirname, 'readers/testdata/snappy.parquet')], {
      detectors: [],
      poisoning: false,
    });
    expect(report.files[0]?.formats).toEqual(['parquet']);
    expect(report.files[0]?.status).toBe('scanned');
  });

  it('masks matched values in evidence and carries the entity', async () => {
    const finding = (await scan('notes.txt')).findings[0];
    // Letters and digits are masked; punctuation keeps the shape recognisable.
    expect(finding?.evidence).toBe('TEST_TOKEN: T****-**3 (score 0.90)');
    expect(finding?.entity).toBe('TEST_TOKEN');
  });

  it('caps findings per file and counts the rest', async () => {
    const report = await scanData([join(testdata, 'comments.tsv')], {
      detectors: [token],
      maxFindingsPerFile: 1,
      poisoning: false,
    });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['secret.test-token', 'data.findings-truncated']);
    expect(report.findings[1]?.evidence).toBe('1 more matches of secret.test-token beyond the per-file limit');
  });

  it('is a data-scan report', async () => {
    const report = await scanData([testdata], { detectors: [token] });
    expect(report.kind).toBe('data-scan');
    expect(report.summary.files).toBe(6);
  });
});

describe('data scan at scale', () => {
  it('keeps every finding of a file with more findings than a call can take arguments', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'mlsecops-many-'));
    const file = join(dir, 'many.txt');
    await writeFile(file, 'TOKEN-123 '.repeat(200_000));
    const report = await scanData([file], { detectors: [token], maxFindingsPerFile: 1_000_000, poisoning: false });
    expect(report.findings).toHaveLength(200_000);
  });
});
