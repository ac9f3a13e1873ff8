import { describe, expect, it } from 'vitest';
import { agrees, generate, reference } from './test-support.js';
import { wassersteinDistance, wassersteinNormalized } from './wasserstein.js';

// Measured: within 4e-16 absolute, 1e-15 relative (scipy sums pairwise, this compensated).
const ABS = 1e-12;
const REL = 1e-9;

describe(`wassersteinDistance against scipy ${reference.scipy} wasserstein_distance`, () => {
  it.each(reference.wasserstein.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const weights = c.uWeights === undefined ? {} : { uWeights: c.uWeights, vWeights: c.vWeights };
    expect(agrees(wassersteinDistance(c.u, c.v, weights), c.distance, ABS, REL)).toBe(true);
    if (c.uWeights === undefined) {
      const result = wassersteinNormalized(c.u, c.v);
      expect(agrees(result.distance, c.distance, ABS, REL)).toBe(true);
      expect(agrees(result.referenceStd, c.referenceStd, ABS, REL)).toBe(true);
    }
  });

  it.each(reference.wassersteinGenerated.map((c) => [c.name, c] as const))('%s (generated)', (_name, c) => {
    const result = wassersteinNormalized(generate(c.uSpec), generate(c.vSpec));
    expect(agrees(result.distance, c.distance, ABS, REL)).toBe(true);
    expect(agrees(result.referenceStd, c.referenceStd, ABS, REL)).toBe(true);
    expect(result.normalized).toBe(result.distance / result.referenceStd);
  });
});

describe('wassersteinNormalized with a constant reference', () => {
  it('is 0 when nothing moved and Infinity when something did', () => {
    expect(wassersteinNormalized([5, 5, 5], [5, 5])).toEqual({ distance: 0, referenceStd: 0, normalized: 0 });
    expect(wassersteinNormalized([5, 5, 5], [5, 6])).toEqual({
      distance: 0.5,
      referenceStd: 0,
      normalized: Number.POSITIVE_INFINITY,
    });
  });

  it('calls a constant reference exactly constant, where numpy’s rounding says std ≈ 1e-17', () => {
    expect(wassersteinNormalized([0.1, 0.1, 0.1], [0.1]).referenceStd).toBe(0);
  });
});

describe('wassersteinDistance behaviour', () => {
  it('is the shift between a sample and its translate', () => {
    const u = [0.5, 1.5, 4, 7, 7];
    const shifted = u.map((x) => x + 2.5);
    expect(wassersteinDistance(u, shifted)).toBeCloseTo(2.5, 14);
  });

  it('gives equal weights the result of no weights, and zero weights no say', () => {
    const u = [1, 4, 2, 8];
    const v = [3, 3, 9];
    expect(wassersteinDistance(u, v, { uWeights: [2, 2, 2, 2], vWeights: [0.5, 0.5, 0.5] })).toBeCloseTo(
      wassersteinDistance(u, v),
      14,
    );
    expect(wassersteinDistance([1, 100], [2], { uWeights: [1, 0] })).toBe(1);
  });

  it('handles a million values per sample quickly', () => {
    const u = generate({ seed: 5, n: 1_000_000, kind: 'uniform', shift: 0, scale: 1 });
    const v = generate({ seed: 6, n: 1_000_000, kind: 'uniform', shift: 0.1, scale: 1 });
    const weights = new Float64Array(1_000_000).fill(1);
    const started = performance.now();
    const weighted = wassersteinDistance(u, v, { uWeights: weights, vWeights: weights });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(weighted).toBeCloseTo(wassersteinDistance(u, v), 12);
    expect(weighted).toBeCloseTo(0.1, 2);
  });

  it.each([
    ['an empty sample', [], [1], {}],
    ['a NaN', [1, Number.NaN], [1], {}],
    ['an infinite value', [1], [Number.NEGATIVE_INFINITY], {}],
    ['a negative weight', [1, 2], [1], { uWeights: [1, -1] }],
    ['weights of another length', [1, 2], [1], { vWeights: [1, 1] }],
    ['weights summing to 0', [1, 2], [1], { uWeights: [0, 0] }],
    ['an infinite weight', [1, 2], [1], { uWeights: [1, Number.POSITIVE_INFINITY] }],
  ])('rejects %s', (_what, u, v, weights) => {
    expect(() => wassersteinDistance(u, v, weights)).toThrow(RangeError);
  });

  it('rejects empty samples for the normalised variant too', () => {
    expect(() => wassersteinNormalized([], [1])).toThrow(
      new RangeError('wassersteinNormalized needs a non-empty reference'),
    );
  });
});
