import { describe, expect, it } from 'vitest';
import { equalWidthEdges, quantileEdges } from './bin-edges.js';
import { PSI_EPSILON, psi, psiOfSamples } from './psi.js';
import { agrees, generate, reference } from './test-support.js';

// Measured: within 1e-16 absolute (the same bins, the same sum up to its order).
const ABS = 1e-12;
const REL = 1e-9;
const edgesFor = (method: string) => (method === 'quantile' ? quantileEdges : equalWidthEdges);

describe(`psi against numpy ${reference.numpy}`, () => {
  it.each(reference.psi.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(agrees(psi(c.referenceCounts, c.currentCounts), c.psi, ABS, REL)).toBe(true);
    const result = psiOfSamples(c.reference!, c.current!, edgesFor(c.method)(c.reference!, c.bins));
    expect(agrees(result.psi, c.psi, ABS, REL)).toBe(true);
  });

  it.each(reference.psiGenerated.map((c) => [c.name, c] as const))('%s (generated)', (_name, c) => {
    const sample = generate(c.referenceSpec);
    const result = psiOfSamples(sample, generate(c.currentSpec), edgesFor(c.method)(sample, c.bins));
    expect(agrees(result.psi, c.psi, ABS, REL)).toBe(true);
  });
});

describe('psi behaviour', () => {
  it('is 0 for equal shares, whatever the totals', () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBe(0);
  });

  it(`replaces an empty share by ${PSI_EPSILON}, unnormalised`, () => {
    const expected = (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON) + (0.5 - 1) * Math.log(0.5 / 1);
    expect(psi([0, 10], [5, 5])).toBeCloseTo(expected, 14);
    expect(psi([0, 10, 0], [5, 5, 0])).toBeCloseTo(expected, 14);
  });

  it('is symmetric and non-negative', () => {
    const a = [3, 8, 1, 0, 12];
    const b = [5, 2, 2, 4, 7];
    expect(psi(a, b)).toBeCloseTo(psi(b, a), 14);
    expect(psi(a, b)).toBeGreaterThan(0);
  });

  it('sees drift beyond the reference range instead of dropping it', () => {
    const reference = [0, 0.25, 0.5, 0.75, 1];
    const edges = equalWidthEdges(reference, 4);
    expect(psiOfSamples(reference, [5, 6, 7, 8, 9], edges).psi).toBeGreaterThan(1);
  });

  it.each([
    ['different lengths', [1, 2], [1, 2, 3]],
    ['a zero total', [0, 0], [1, 2]],
    ['a negative count', [1, -2], [1, 2]],
    ['NaN', [1, Number.NaN], [1, 2]],
  ])('rejects %s', (_what, a, b) => {
    expect(() => psi(a, b)).toThrow(RangeError);
  });

  it('rejects bad samples and edges', () => {
    expect(() => psiOfSamples([], [1], [0, 1])).toThrow(RangeError);
    expect(() => psiOfSamples([1], [Number.NaN], [0, 1])).toThrow(RangeError);
    expect(() => psiOfSamples([1], [1], [1])).toThrow(RangeError);
  });
});
