import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/index.js';
import { compareColumn, defaultTest } from './compare.js';
import { driftReport } from './drift-report.js';
import { ProfileBuilder, type ReferenceProfile } from './profile.js';
import { ksTwoSample } from './stats/ks.js';
import { wassersteinNormalized } from './stats/wasserstein.js';

/** A profile of named columns given as arrays of cell texts or numbers. */
function profile(columns: Record<string, readonly (string | number)[]>, types?: Record<string, 'number' | 'category'>) {
  const builder = new ProfileBuilder({ types });
  for (const [name, values] of Object.entries(columns)) {
    values.forEach((value, row) => {
      builder.add(row, name, String(value));
    });
  }
  return builder.build();
}
const column = (p: ReferenceProfile, name: string) => p.columns.find((c) => c.name === name)!;

function normal(seed: number, n: number, mean = 0, sd = 1): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
}

describe('default test choice (small references: p-value tests; large: distances)', () => {
  it.each([
    { name: 'numbers, 500 values', values: normal(1, 500), test: 'ks' },
    { name: 'numbers, 5000 values', values: normal(1, 5000), test: 'wasserstein' },
    {
      name: 'two categories, 500 values',
      values: Array.from({ length: 500 }, (_, i) => (i % 3 ? 'yes' : 'no')),
      test: 'z',
    },
    {
      name: 'four categories, 500 values',
      values: Array.from({ length: 500 }, (_, i) => `c${i % 4}`),
      test: 'chisquare',
    },
    {
      name: 'four categories, 5000 values',
      values: Array.from({ length: 5000 }, (_, i) => `c${i % 4}`),
      test: 'jensenshannon',
    },
    {
      name: 'numbers with three values, 500 rows',
      values: Array.from({ length: 500 }, (_, i) => i % 3),
      test: 'chisquare',
    },
    {
      name: 'numbers with two values, 5000 rows',
      values: Array.from({ length: 5000 }, (_, i) => i % 2),
      test: 'jensenshannon',
    },
  ])('$name → $test', ({ values, test }) => {
    expect(defaultTest(column(profile({ x: values }), 'x')).test).toBe(test);
  });
});

describe('exact statistics while profiles keep every value', () => {
  it('gives the two-sample KS of the values themselves (scipy-checked in stats/ks.test.ts)', () => {
    const a = normal(2, 300);
    const b = normal(3, 400, 0.3);
    const result = compareColumn(column(profile({ x: a }), 'x'), column(profile({ x: b }), 'x'));
    const expected = ksTwoSample(a, b);
    expect(result).toMatchObject({
      test: 'ks',
      statistic: expected.statistic,
      pValue: expected.pValue,
      approximate: false,
    });
    expect(result.drifted).toBe(expected.pValue < 0.05);
  });

  it('gives the normalised Wasserstein distance of the values when asked', () => {
    const a = normal(4, 2000);
    const b = normal(5, 2000, 0.5, 2);
    const result = compareColumn(column(profile({ x: a }), 'x'), column(profile({ x: b }), 'x'), {
      test: 'wasserstein',
    });
    expect(result.statistic).toBeCloseTo(wassersteinNormalized(a, b).normalized, 10);
    expect(result).toMatchObject({ drifted: true, approximate: false, threshold: 0.1 });
  });
});

describe('statistics from sketches beyond the exact limit', () => {
  const a = normal(6, 60_000, 10, 3);
  const b = normal(7, 50_000, 10.3, 3.2);
  const ref = column(profile({ x: a }), 'x');
  const cur = column(profile({ x: b }), 'x');
  it.each([
    ['ks', ksTwoSample(a, b).statistic, 0.003],
    ['wasserstein', wassersteinNormalized(a, b).normalized, 0.002],
  ] as const)('%s is within the sketch accuracy of the exact value', (test, exact, tolerance) => {
    const result = compareColumn(ref, cur, { test });
    expect(result.approximate).toBe(true);
    expect(Math.abs(result.statistic! - exact)).toBeLessThan(tolerance);
  });

  it('flags a shift and passes a sample of the same distribution', () => {
    const same = column(profile({ x: normal(8, 50_000, 10, 3) }), 'x');
    for (const test of ['ks', 'wasserstein', 'psi', 'jensenshannon'] as const) {
      expect(compareColumn(ref, same, { test }).drifted, test).toBe(false);
    }
    expect(compareColumn(ref, cur, { test: 'ks' }).drifted).toBe(true);
    expect(compareColumn(ref, cur, { test: 'wasserstein' }).drifted).toBe(true);
  });
});

describe('hostile and awkward columns never give NaN', () => {
  it('counts missing and infinite values and tests the rest', () => {
    const ref = profile({ x: [...normal(9, 200), '', 'NaN', 'inf'] });
    const cur = profile({ x: [...normal(10, 200), '-Infinity', 'null', 'null'] });
    const result = compareColumn(column(ref, 'x'), column(cur, 'x'));
    expect(result.reference).toEqual({ count: 203, missing: 2, infinite: 1 });
    expect(result.current).toEqual({ count: 203, missing: 2, infinite: 1 });
    expect(Number.isFinite(result.statistic)).toBe(true);
  });

  it('reports a constant reference without dividing by zero', () => {
    const ref = column(profile({ x: Array(3000).fill(5) }), 'x');
    const moved = column(profile({ x: Array(3000).fill(6) }), 'x');
    expect(compareColumn(ref, ref, { test: 'wasserstein' })).toMatchObject({ statistic: 0, drifted: false });
    expect(compareColumn(ref, moved, { test: 'wasserstein' })).toMatchObject({
      statistic: Number.POSITIVE_INFINITY,
      drifted: true,
    });
  });

  it('tests new categories explicitly', () => {
    const ref = column(profile({ c: Array.from({ length: 300 }, (_, i) => ['a', 'b', 'c'][i % 3]!) }), 'c');
    const cur = column(profile({ c: Array.from({ length: 300 }, (_, i) => ['a', 'b', 'c', 'zz'][i % 4]!) }), 'c');
    const result = compareColumn(ref, cur);
    expect(result).toMatchObject({ test: 'chisquare', drifted: true });
    expect(result.notes.join(' ')).toMatch(/new categories: zz/);
  });

  it('says when a column is absent or empty', () => {
    const ref = profile({ a: [1, 2, 3], b: ['x', 'y', 'x'] });
    const cur = profile({ a: ['', '', ''] });
    const report = driftReport(ref, cur);
    expect(report.columns.map((c) => [c.column, c.status, c.drifted])).toEqual([
      ['a', 'empty', false],
      ['b', 'absent', true],
    ]);
    expect(report.dataset).toMatchObject({ share: 1, drifted: true });
  });
});

describe('driftReport', () => {
  const ref = profile({ a: normal(11, 500), b: normal(12, 500), c: normal(13, 500), d: normal(14, 500) });
  it('drifts the dataset at the share threshold and emits findings for --fail-on', () => {
    const cur = profile({ a: normal(15, 500, 1), b: normal(16, 500, 1), c: normal(17, 500), d: normal(18, 500) });
    const report = driftReport(ref, cur);
    expect(report.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['a', 'b']);
    expect(report.dataset).toMatchObject({ share: 0.5, threshold: 0.5, drifted: true });
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['drift.column', 'medium'],
      ['drift.column', 'medium'],
      ['drift.dataset', 'high'],
    ]);
    expect(driftReport(ref, cur, { shareThreshold: 0.75 }).dataset.drifted).toBe(false);
    expect(driftReport(ref, cur, { columns: ['c', 'd'] }).columns).toHaveLength(2);
    expect(() => driftReport(ref, cur, { columns: ['zz'] })).toThrow(/not in the reference: zz/);
  });
});
