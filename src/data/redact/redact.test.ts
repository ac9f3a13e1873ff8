import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanData } from '../scan-data.js';
import { tokenDetector as token } from '../test-support.js';
import { RedactionError, redactDataset } from './redact-dataset.js';
import { applyMasks } from './spans.js';

const testdata = join(import.meta.dirname, '../testdata');
const files = ['people.csv', 'comments.tsv', 'users.json', 'events.jsonl', 'notes.txt'];
const digest = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const rowsOf = (report: Awaited<ReturnType<typeof scanData>>) => report.files.map((f) => f.formats[0]);

describe('redaction', () => {
  it('masks every finding, keeps format, rows and order, and leaves the originals alone', async () => {
    const before = await Promise.all(files.map((file) => digest(join(testdata, file))));
    const report = await scanData(
      files.map((file) => join(testdata, file)),
      { detectors: [token] },
    );
    const out = await mkdtemp(join(tmpdir(), 'mlsecops-redact-'));
    const result = await redactDataset(report, out);
    expect(result.written).toHaveLength(5);
    expect(await Promise.all(files.map((file) => digest(join(testdata, file))))).toEqual(before);
    const again = await scanData(
      result.written.map((entry) => entry.to),
      { detectors: [token] },
    );
    expect(again.findings.filter((f) => f.ruleId === 'secret.test-token')).toEqual([]);
    expect(rowsOf(again)).toEqual(rowsOf(report));
    const csv = await readFile(result.written[0]?.to as string, 'utf8');
    expect(csv).toContain('second [TEST_TOKEN] line');
    expect(csv.split('\n')[0]).toBe('id,name,notes');
    const text = await readFile(result.written[4]?.to as string, 'utf8');
    expect(text).toBe('line zero\nline one with [TEST_TOKEN] inside\n\nline three [TEST_TOKEN]\n');
    const jsonl = (await readFile(result.written[3]?.to as string, 'utf8')).split('\n');
    expect(jsonl[1]).toBe('{"id": 2, broken [TEST_TOKEN]');
    expect(JSON.parse(jsonl[2] as string)).toEqual({ id: 3, meta: { key: '[TEST_TOKEN]' } });
  });

  it('writes one file to the given path when one file was scanned', async () => {
    const report = await scanData([join(testdata, 'notes.txt')], { detectors: [token] });
    const out = join(await mkdtemp(join(tmpdir(), 'mlsecops-redact-')), 'notes.redacted.txt');
    expect((await redactDataset(report, out)).written).toEqual([{ from: join(testdata, 'notes.txt'), to: out }]);
  });

  it('refuses to overwrite an input', async () => {
    const report = await scanData([join(testdata, 'notes.txt')], { detectors: [token] });
    await expect(redactDataset(report, join(testdata, 'notes.txt'))).rejects.toBeInstanceOf(RedactionError);
  });

  it('merges overlapping spans', () => {
    expect(
      applyMasks('abcdefgh', [
        { start: 1, end: 4, entity: 'A' },
        { start: 2, end: 6, entity: 'B' },
      ]),
    ).toBe('a[A]gh');
  });
});
