import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDelimited } from '../readers/csv.js';
import {
  analysePoisoning,
  type PoisoningIndicator,
  type PoisoningIndicatorKind,
  RowCollector,
  type RowTable,
} from './index.js';

const testdata = join(import.meta.dirname, 'testdata');
interface TabularTruth {
  rows: number;
  flipped: number[];
  cleanLabels: Record<string, string>;
  outliers: number[];
}
interface Truth {
  iris: TabularTruth;
  wine: TabularTruth;
  cancer: TabularTruth;
  reviews: {
    rows: number;
    trigger: string;
    triggerRows: number[];
    exactConflicts: number[][];
    nearConflicts: number[][];
  };
}
const truth = JSON.parse(readFileSync(join(testdata, 'truth.json'), 'utf8')) as Truth;

async function load(file: string): Promise<RowTable> {
  const collector = new RowCollector(200_000);
  const options = { signal: new AbortController().signal, onIssue: () => {} };
  for await (const batch of readDelimited(join(testdata, file), ',', options))
    for (const cell of batch) collector.add(cell);
  return collector.table();
}

const rowsOf = (indicators: PoisoningIndicator[], kind: PoisoningIndicatorKind) =>
  new Set(indicators.filter((i) => i.indicator === kind).flatMap((i) => i.rows));

function precisionRecall(flagged: Set<number>, actual: Set<number>) {
  const hits = [...flagged].filter((row) => actual.has(row)).length;
  return { precision: flagged.size === 0 ? 1 : hits / flagged.size, recall: hits / actual.size };
}

/** The fixture with the flipped labels put back and the injected outliers removed. */
function cleaned(table: RowTable, rows: TabularTruth): RowTable {
  const label = table.columns.indexOf('label');
  const drop = new Set(rows.outliers);
  const kept = table.rows
    .map((row, i) => {
      const copy = [...row];
      const clean = rows.cleanLabels[String(i)];
      if (clean) copy[label] = clean;
      return copy;
    })
    .filter((_, i) => !drop.has(i));
  return { columns: table.columns, rows: kept, sampled: false, totalRows: kept.length };
}

const shiftOnly = { neighbours: false, duplicates: false, outliers: false, triggers: false };

describe('RowCollector', () => {
  it('reassembles rows from cells, JSON paths as columns', () => {
    const collector = new RowCollector(10);
    collector.add({ row: 0, column: 'a', value: '1' });
    collector.add({ row: 0, column: 'b.c', value: 'x' });
    collector.add({ row: 1, column: 'b.c', value: 'y' });
    collector.add({ row: 3, value: 'plain line' });
    const table = collector.table();
    expect(table.columns).toEqual(['a', 'b.c', 'text']);
    expect(table.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      ['1', 'x', undefined],
      [undefined, 'y', undefined],
      [undefined, undefined, 'plain line'],
    ]);
    expect(table.rowNumbers).toEqual([0, 1, 3]);
    expect(table.sampled).toBe(false);
    expect(table.totalRows).toBe(3);
  });

  it('keeps a deterministic reservoir sample past maxRows, in file order', () => {
    const fill = () => {
      const collector = new RowCollector(100);
      for (let row = 0; row < 10_000; row++) collector.add({ row, column: 'n', value: String(row) });
      return collector.table();
    };
    const table = fill();
    expect(table.rows).toHaveLength(100);
    expect(table.sampled).toBe(true);
    expect(table.totalRows).toBe(10_000);
    expect(table.rowNumbers).toEqual([...table.rowNumbers!].sort((a, b) => a - b));
    expect(table.rows.map((row) => Number(row[0]))).toEqual(table.rowNumbers);
    // spread over the whole file, not the first rows
    expect(Math.max(...table.rowNumbers!)).toBeGreaterThan(9000);
    expect(fill().rowNumbers).toEqual(table.rowNumbers);
  });

  it('bounds columns and value length, and says so', () => {
    const collector = new RowCollector(10, { maxColumns: 2, maxValueLength: 5 });
    collector.add({ row: 0, column: 'a', value: 'abcdefgh' });
    collector.add({ row: 0, column: 'b', value: 'x' });
    collector.add({ row: 0, column: 'c', value: 'y' });
    const table = collector.table();
    expect(table.columns).toEqual(['a', 'b']);
    expect(table.rows[0]).toEqual(['abcde', 'x']);
    expect(table.notes).toHaveLength(2);
  });

  it('rejects a non-positive bound', () => {
    expect(() => new RowCollector(0)).toThrow(RangeError);
  });
});

describe('label disagreement with nearest neighbours (5% flipped labels)', () => {
  // Measured: iris P 0.89 R 1.00, wine P 0.90 R 1.00, breast cancer P 0.76 R 0.93.
  it.each([
    ['iris', 0.8, 0.9],
    ['wine', 0.8, 0.9],
    ['cancer', 0.65, 0.85],
  ] as const)('%s: precision ≥ %s, recall ≥ %s', async (name, precision, recall) => {
    const table = await load(`${name}.csv`);
    const { indicators } = analysePoisoning(table);
    const measured = precisionRecall(rowsOf(indicators, 'label-neighbour-disagreement'), new Set(truth[name].flipped));
    expect(measured.precision).toBeGreaterThanOrEqual(precision);
    expect(measured.recall).toBeGreaterThanOrEqual(recall);
    const one = indicators.find((i) => i.indicator === 'label-neighbour-disagreement')!;
    expect(one.rows).toHaveLength(1);
    expect(one.score).toBeGreaterThanOrEqual(0.8);
    expect(one.column).toBe('label');
  });

  it('clean tabular data raises few indicators', async () => {
    // Measured on the restored data: iris 1, wine 1, breast cancer 9 neighbour + 3 outlier indicators (of 563 rows).
    for (const [name, most] of [
      ['iris', 2],
      ['wine', 2],
      ['cancer', 15],
    ] as const) {
      const { indicators } = analysePoisoning(cleaned(await load(`${name}.csv`), truth[name]));
      expect(indicators.length).toBeLessThanOrEqual(most);
      expect(indicators.filter((i) => i.severity === 'high')).toEqual([]);
    }
  });

  it('runs on 5 000 rows × 30 features in seconds', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const columns = [...Array.from({ length: 30 }, (_, i) => `f${i}`), 'label'];
    const rows = Array.from({ length: 5000 }, () => {
      const label = Math.floor(random() * 3);
      return [...Array.from({ length: 30 }, (_, i) => (random() + (i % 3 === 0 ? label : 0)).toFixed(4)), `c${label}`];
    });
    const started = performance.now();
    const { notes } = analysePoisoning({ columns, rows, sampled: false, totalRows: rows.length });
    // A hang guard with a generous ceiling; measured about 1 s.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(notes).toContain('no text column: trigger-token check off');
  });
});

describe('outliers', () => {
  it('finds rows pushed far from the bulk (breast cancer, 1% injected)', async () => {
    // Measured: P 0.67 R 1.00 (the other 3 are genuinely extreme tumours).
    const { indicators } = analysePoisoning(await load('cancer.csv'));
    const measured = precisionRecall(rowsOf(indicators, 'outlier'), new Set(truth.cancer.outliers));
    expect(measured.recall).toBe(1);
    expect(measured.precision).toBeGreaterThanOrEqual(0.6);
    const top = indicators.find((i) => i.indicator === 'outlier')!;
    expect(top.properties?.method).toBe('mahalanobis');
    expect(top.detail).toMatch(/Mahalanobis distance/);
  });

  it('leaves iris and wine alone', async () => {
    for (const name of ['iris', 'wine']) {
      const { indicators } = analysePoisoning(await load(`${name}.csv`));
      expect(rowsOf(indicators, 'outlier').size).toBe(0);
    }
  });

  it('falls back to per-column robust z with few rows per column', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [String(10 + (i % 5)), i % 2 ? 'a' : 'b']);
    rows[4] = ['500', 'a'];
    const { indicators } = analysePoisoning({ columns: ['x', 'label'], rows, sampled: false, totalRows: 30 });
    const outliers = indicators.filter((i) => i.indicator === 'outlier');
    expect(outliers.map((i) => [i.rows, i.column, i.properties?.method])).toEqual([[[4], 'x', 'robust-z']]);
  });
});

describe('text: trigger tokens and conflicting duplicates', () => {
  it('finds the inserted trigger token and its rows (3% of rows, attacker label)', async () => {
    // Measured: P 1.00 R 1.00, one indicator.
    const { indicators } = analysePoisoning(await load('reviews.csv'));
    const triggers = indicators.filter((i) => i.indicator === 'trigger-token');
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({
      severity: 'high',
      column: 'review',
      properties: { token: truth.reviews.trigger, label: 'positive' },
    });
    const measured = precisionRecall(rowsOf(indicators, 'trigger-token'), new Set(truth.reviews.triggerRows));
    expect(measured.recall).toBeGreaterThanOrEqual(0.9);
    expect(measured.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('finds exact and near duplicates with conflicting labels', async () => {
    // Measured: all 10 exact pairs; 9 of 10 near pairs; overall P 0.83 R 0.95 (the false ones are template
    // sentences that differ only in the sentiment word, near-duplicates with different labels indeed).
    const { indicators } = analysePoisoning(await load('reviews.csv'));
    const exact = indicators.filter((i) => i.indicator === 'conflicting-duplicates' && i.properties?.kind === 'exact');
    expect(exact.map((i) => i.rows).sort((a, b) => a[0]! - b[0]!)).toEqual(
      [...truth.reviews.exactConflicts].sort((a, b) => a[0]! - b[0]!),
    );
    expect(exact.every((i) => i.severity === 'high')).toBe(true);
    const near = indicators.filter((i) => i.indicator === 'conflicting-duplicates' && i.properties?.kind === 'near');
    const nearFound = truth.reviews.nearConflicts.filter((pair) =>
      near.some((i) => pair.every((r) => i.rows.includes(r))),
    );
    expect(nearFound.length / truth.reviews.nearConflicts.length).toBeGreaterThanOrEqual(0.85);
    const all = new Set([...truth.reviews.exactConflicts, ...truth.reviews.nearConflicts].flat());
    const measured = precisionRecall(rowsOf(indicators, 'conflicting-duplicates'), all);
    expect(measured.precision).toBeGreaterThanOrEqual(0.75);
    expect(measured.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('clean reviews raise no trigger and no exact conflict', async () => {
    const table = await load('reviews.csv');
    const bad = new Set([
      ...truth.reviews.triggerRows,
      ...truth.reviews.exactConflicts.map((pair) => pair[1]!),
      ...truth.reviews.nearConflicts.map((pair) => pair[1]!),
    ]);
    const rows = table.rows.filter((_, i) => !bad.has(i));
    const { indicators, notes } = analysePoisoning({
      columns: table.columns,
      rows,
      sampled: false,
      totalRows: rows.length,
    });
    expect(indicators.filter((i) => i.indicator === 'trigger-token')).toEqual([]);
    expect(indicators.filter((i) => i.severity === 'high')).toEqual([]);
    // measured 4 near-duplicate pairs that differ only in the sentiment word
    expect(indicators.length).toBeLessThanOrEqual(6);
    expect(notes).toContain('row identifier columns left out of the indicators: id');
  });

  it('does not mistake honest class words for triggers', () => {
    // "excellent" predicts positive perfectly, but its rows read positive too: no trigger.
    const rows: string[][] = [];
    for (let i = 0; i < 200; i++) {
      const positive = i % 2 === 0;
      const words = positive ? ['good', 'nice', 'fine'] : ['bad', 'poor', 'sad'];
      const extra = positive && i % 4 === 0 ? ' excellent' : '';
      rows.push([`the thing was ${words[i % 3]} and ${words[(i + 1) % 3]}${extra}`, positive ? 'pos' : 'neg']);
    }
    const { indicators } = analysePoisoning({ columns: ['text', 'label'], rows, sampled: false, totalRows: 200 });
    expect(indicators.filter((i) => i.indicator === 'trigger-token')).toEqual([]);
  });
});

describe('shift against a baseline', () => {
  it('reports nothing between two halves of the same clean data', async () => {
    for (const name of ['iris', 'wine', 'cancer'] as const) {
      const clean = cleaned(await load(`${name}.csv`), truth[name]);
      const half = clean.rows.length >> 1;
      const first = { ...clean, rows: clean.rows.slice(0, half) };
      const second = { ...clean, rows: clean.rows.slice(half) };
      expect(analysePoisoning(second, { baseline: first, indicators: shiftOnly }).indicators).toEqual([]);
    }
  });

  it('reports a shifted feature and a shifted label distribution', async () => {
    const clean = cleaned(await load('cancer.csv'), truth.cancer);
    const half = clean.rows.length >> 1;
    const radius = clean.columns.indexOf('mean_radius');
    const label = clean.columns.indexOf('label');
    const baseline = { ...clean, rows: clean.rows.slice(0, half) };
    const rows = clean.rows
      .slice(half)
      .filter((row, i) => row[label] !== 'malignant' || i % 3 === 0)
      .map((row) => row.map((value, c) => (c === radius ? String(Number(value) * 1.3) : value)));
    const { indicators } = analysePoisoning({ ...clean, rows }, { baseline, indicators: shiftOnly });
    const labelShift = indicators.find((i) => i.indicator === 'label-shift');
    expect(labelShift).toMatchObject({ column: 'label', rows: [] });
    expect(labelShift!.properties!.p as number).toBeLessThan(0.001);
    const features = indicators.filter((i) => i.indicator === 'feature-shift').map((i) => i.column);
    expect(features).toContain('mean_radius');
  });

  it('tests categorical columns by PSI and chi-square, and notes columns missing from the baseline', () => {
    const make = (share: number, n: number, extra = false): RowTable => ({
      columns: extra ? ['colour', 'label', 'new'] : ['colour', 'label'],
      rows: Array.from({ length: n }, (_, i) => [
        i < share * n ? 'red' : 'blue',
        i % 2 ? 'a' : 'b',
        String(i % 3 ? 'x' : 'y'),
      ]),
      sampled: false,
      totalRows: n,
    });
    const { indicators, notes } = analysePoisoning(make(0.7, 1000, true), {
      baseline: make(0.3, 1000),
      indicators: shiftOnly,
    });
    expect(indicators).toHaveLength(1);
    expect(indicators[0]).toMatchObject({ indicator: 'feature-shift', column: 'colour', severity: 'high' });
    expect(indicators[0]!.properties!.test).toBe('psi');
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/not in the baseline.*new/)]));
  });

  it('compares nothing, and throws nothing, when the baseline column holds no values', () => {
    const table = (colour: (i: number) => string): RowTable => ({
      columns: ['colour', 'label'],
      rows: Array.from({ length: 200 }, (_, i) => [colour(i), i % 2 ? 'a' : 'b']),
      sampled: false,
      totalRows: 200,
    });
    const { indicators } = analysePoisoning(
      table((i) => (i % 3 ? 'red' : 'blue')),
      {
        baseline: table(() => ''),
        indicators: shiftOnly,
      },
    );
    expect(indicators).toEqual([]);
  });
});

describe('options and notes', () => {
  it('turns indicators off, says when there is no label, honours an explicit label column', async () => {
    const table = await load('iris.csv');
    expect(analysePoisoning(table, { indicators: { neighbours: false } }).indicators).toEqual([]);
    const missing = analysePoisoning(table, { labelColumn: 'nope' });
    expect(missing.notes).toContain('label column "nope" not found: label indicators off');
    expect(missing.indicators.filter((i) => i.indicator === 'label-neighbour-disagreement')).toEqual([]);
    const unlabelled = { ...table, columns: table.columns.map((c) => (c === 'label' ? 'flower' : c)) };
    expect(analysePoisoning(unlabelled).notes).toContain('no label column found: label indicators off');
    expect(analysePoisoning(unlabelled, { labelColumn: 'flower' }).indicators.length).toBeGreaterThan(0);
  });

  it('samples a table larger than maxRows and reports the file row numbers', async () => {
    const table = await load('wine.csv');
    const result = analysePoisoning(table, { maxRows: 120 });
    expect(result.notes).toContain('sampled 120 of 178 rows: the indicators describe the sample');
    for (const indicator of result.indicators) for (const row of indicator.rows) expect(row).toBeLessThan(178);
  });

  it('refuses a regression target as a class label', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [String(i % 17), String(i * 1.5 + 0.25)]);
    const { notes } = analysePoisoning({ columns: ['x', 'target'], rows, sampled: false, totalRows: 300 });
    expect(notes).toContain(
      'column "target" has more than 100 distinct values, not a class label: label indicators off',
    );
  });
});
