import { describe, expect, it } from 'vitest';
import { binCounts, equalWidthEdges, quantileEdges } from './bin-edges.js';
import { generate, reference } from './test-support.js';

const edgesFor = (method: string) => (method === 'quantile' ? quantileEdges : equalWidthEdges);

describe(`bin edges and counts against numpy ${reference.numpy}`, () => {
  it.each(reference.psi.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const edges = edgesFor(c.method)(c.reference!, c.bins);
    // The same doubles as numpy.histogram_bin_edges / numpy.quantile, not merely close ones: a value
    // on an edge must land in the same bin.
    expect(Array.from(edges)).toEqual(c.edges);
    expect(Array.from(binCounts(c.reference!, edges))).toEqual(c.referenceCounts);
    expect(Array.from(binCounts(c.current!, edges))).toEqual(c.currentCounts);
  });

  it.each(reference.psiGenerated.map((c) => [c.name, c] as const))('%s (generated)', (_name, c) => {
    const sample = generate(c.referenceSpec);
    const edges = edgesFor(c.method)(sample, c.bins);
    expect(Array.from(edges)).toEqual(c.edges);
    expect(Array.from(binCounts(sample, edges))).toEqual(c.referenceCounts);
    expect(Array.from(binCounts(generate(c.currentSpec), edges))).toEqual(c.currentCounts);
  });
});

describe('binCounts', () => {
  it('counts the last edge in the last bin and values outside in the outer bins', () => {
    expect(Array.from(binCounts([-5, 0, 0.5, 1, 1.5, 2, 9], [0, 1, 2]))).toEqual([3, 4]);
  });

  it('leaves a zero-width bin empty and counts its edge in the next bin, as numpy does', () => {
    // numpy.histogram([1, 1, 2], [0, 1, 1, 2]) -> [0, 0, 3]: the last bin is [1, 2].
    expect(Array.from(binCounts([1, 1, 2], [0, 1, 1, 2]))).toEqual([0, 0, 3]);
    expect(Array.from(binCounts([0.5, 1, 1.5, 3], [0, 1, 1, 2, 3]))).toEqual([1, 0, 2, 1]);
  });

  it.each([
    ['one edge', [1]],
    ['decreasing edges', [0, 2, 1]],
    ['a NaN edge', [0, Number.NaN]],
  ])('rejects %s', (_what, edges) => {
    expect(() => binCounts([1], edges)).toThrow(RangeError);
  });
});

describe('edge builders', () => {
  it('widen a constant reference to [x − ½, x + ½]', () => {
    expect(Array.from(equalWidthEdges([3, 3, 3], 2))).toEqual([2.5, 3, 3.5]);
    expect(Array.from(quantileEdges([3, 3, 3], 2))).toEqual([2.5, 3, 3.5]);
  });

  it('merge quantile edges that ties make equal', () => {
    // numpy.quantile gives 1, 1, 1, 1.25, 3.
    expect(Array.from(quantileEdges([1, 1, 1, 1, 1, 1, 2, 3], 4))).toEqual([1, 1.25, 3]);
  });

  it.each([0, 1.5, -1, Number.NaN])('reject %s bins', (bins) => {
    expect(() => equalWidthEdges([1, 2], bins)).toThrow(RangeError);
    expect(() => quantileEdges([1, 2], bins)).toThrow(RangeError);
  });

  it('reject an empty or non-finite reference', () => {
    expect(() => equalWidthEdges([], 3)).toThrow(RangeError);
    expect(() => quantileEdges([1, Number.POSITIVE_INFINITY], 3)).toThrow(RangeError);
  });
});
