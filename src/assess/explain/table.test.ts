import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTable, rowMajor } from './table.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-explain-table-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};
const limits = { maxRows: 1000, maxColumns: 100 };

describe('readTable', () => {
  it('reads numeric columns and labels, features in file order without the label', async () => {
    const path = file('ok.csv', '\ufeffa,label,b\r\n1,0,2.5\r\n\r\n"3",1,-4e2\r\n');
    const table = await readTable(path, { label: 'label' }, limits);
    expect(table.features).toEqual(['a', 'b']);
    expect(table.rows).toBe(2);
    expect(Array.from(table.labels!)).toEqual([0, 1]);
    expect(Array.from(rowMajor(table))).toEqual([1, 2.5, 3, -400]);
    expect(table.truncated).toBe(false);
  });

  it('takes chosen features in the chosen order', async () => {
    const table = await readTable(file('pick.csv', 'a,b,c\n1,2,3\n'), { features: ['c', 'a'] }, limits);
    expect(Array.from(rowMajor(table))).toEqual([3, 1]);
  });

  it('stops at --max-rows and says so', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i * 2}`).join('\n');
    const table = await readTable(file('long.csv', `a,b\n${rows}\n`), {}, { maxRows: 10, maxColumns: 10 });
    expect(table.rows).toBe(10);
    expect(table.truncated).toBe(true);
  });

  it.each([
    ['an unterminated quote', 'a,b\n1,"2\n3,4\n', {}, /row 1: .*quote/i],
    ['a ragged row', 'a,b\n1,2\n3\n', {}, /row 2 has 1 fields, the header has 2/],
    ['a non-number', 'a,b\n1,2\n3,abc\n', {}, /row 2, column b: "abc" is not a number/],
    ['an empty cell', 'a,b\n1,\n', {}, /row 1, column b: "" is not a number/],
    ['a missing label column', 'a,b\n1,2\n', { label: 'y' }, /no label column y/],
    ['a bad label', 'a,y\n1,0.5\n', { label: 'y' }, /label y: "0.5" is not a class index/],
    ['a missing feature', 'a,b\n1,2\n', { features: ['a', 'z'] }, /no column z/],
    ['a repeated header', 'a,a\n1,2\n', {}, /repeats the column a/],
    ['no data rows', 'a,b\n', {}, /no data rows/],
    ['an empty file', '', {}, /empty file/],
  ])('rejects %s with a clear message', async (name, text, choice, message) => {
    await expect(readTable(file(`${name}.csv`, text), choice, limits)).rejects.toThrow(message);
  });

  it('rejects more columns than --max-columns', async () => {
    await expect(readTable(file('wide.csv', 'a,b,c\n1,2,3\n'), {}, { maxRows: 10, maxColumns: 2 })).rejects.toThrow(
      /3 columns, more than 2/,
    );
  });

  it('reports a missing file as unreadable', async () => {
    await expect(readTable(join(scratch, 'nope.csv'), {}, limits)).rejects.toMatchObject({ code: 'CSV_UNREADABLE' });
  });
});
