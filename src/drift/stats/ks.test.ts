import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KS_EXACT_MAX_N, ksTwoSample, roundHalfEven } from './ks.js';
import { agrees, generate, reference } from './test-support.js';

// Measured: the statistics and exact p-values are scipy's to the bit; the asymptotic p-values within
// 8.4e-15 absolute and 1.2e-11 relative. The bounds leave room for platform differences in Math.log and Math.exp.
const ABS = 1e-12;
const REL = 1e-9;

describe(`ksTwoSample against scipy ${reference.scipy} ks_2samp`, () => {
  it.each(reference.ks.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = ksTwoSample(c.a, c.b);
    expect(result.statistic).toBe(c.statistic);
    expect(result.method).toBe(c.method);
    expect(agrees(result.pValue, c.pvalue, ABS, REL)).toBe(true);
  });

  it.each(reference.ksGenerated.map((c) => [c.name, c] as const))('%s (generated)', (_name, c) => {
    const result = ksTwoSample(generate(c.a), generate(c.b));
    expect(result.statistic).toBe(c.statistic);
    expect(result.method).toBe(c.method);
    expect(agrees(result.pValue, c.pvalue, ABS, REL)).toBe(true);
  });

  it('builds the generated samples as the Python generator does', () => {
    const check = [
      ...generate({ seed: 12345, n: 5, kind: 'uniform', shift: 0, scale: 1 }),
      ...generate({ seed: 12345, n: 5, kind: 'integers', modulus: 97, shift: -3 }),
    ];
    expect(check).toEqual(reference.lcgCheck);
  });
});

describe('ksTwoSample behaviour', () => {
  it('gives p = 1 and D = 0 for identical samples, exact or not', () => {
    const sample = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(ksTwoSample(sample, [...sample].reverse())).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
    const large = generate({ seed: 7, n: KS_EXACT_MAX_N + 1, kind: 'uniform', shift: 0, scale: 1 });
    expect(ksTwoSample(large, large)).toEqual({ statistic: 0, pValue: 1, method: 'asymptotic' });
  });

  it('gives D = 1 and the smallest p for samples that do not overlap', () => {
    const result = ksTwoSample([1, 2, 3], [10, 11, 12, 13]);
    expect(result.statistic).toBe(1);
    expect(result.pValue).toBeCloseTo(2 / 35, 15); // 2 of the C(7, 3) arrangements
  });

  it('is symmetric in its arguments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        (a, b) => {
          const ab = ksTwoSample(a, b);
          const ba = ksTwoSample(b, a);
          expect(ba.statistic).toBe(ab.statistic);
          expect(ba.method).toBe(ab.method);
          expect(Math.abs(ba.pValue - ab.pValue)).toBeLessThan(1e-15);
          expect(ab.pValue).toBeGreaterThanOrEqual(0);
          expect(ab.pValue).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts typed arrays and leaves its inputs alone', () => {
    const a = [0.3, -1.2, 2.5, 0.7];
    const b = [1.1, 0.2, 3.3];
    const result = ksTwoSample(a, b);
    expect(a).toEqual([0.3, -1.2, 2.5, 0.7]);
    expect(ksTwoSample(Float64Array.from(a), Float64Array.from(b))).toEqual(result);
  });

  it.each([
    [[], [1]],
    [[1], []],
  ])('rejects an empty sample', (a, b) => {
    expect(() => ksTwoSample(a, b)).toThrow(RangeError);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('rejects %s', (bad) => {
    expect(() => ksTwoSample([1, 2, 3], [1, bad])).toThrow(
      new RangeError(`ksTwoSample needs finite numbers, got ${bad} at index 1 of b`),
    );
  });

  it('handles ten million values per sample in seconds', () => {
    const a = generate({ seed: 1, n: 10_000_000, kind: 'uniform', shift: 0, scale: 1 });
    const b = generate({ seed: 2, n: 10_000_000, kind: 'uniform', shift: 0.001, scale: 1 });
    const started = performance.now();
    const result = ksTwoSample(a, b);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.method).toBe('asymptotic');
    expect(result.statistic).toBeGreaterThan(0.0005);
    expect(result.pValue).toBeLessThan(1e-6);
  });
});

describe('roundHalfEven', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [10000.5, 10000],
    [2.4999, 2],
    [2.5001, 3],
    [7, 7],
  ])('rounds %s to %s like numpy', (x, rounded) => {
    expect(roundHalfEven(x)).toBe(rounded);
  });
});
