import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortWithWeights } from './sort-weighted.js';

describe('sortWithWeights', () => {
  it('sorts like a stable comparison sort and carries the weights along', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -3, max: 3 })),
            fc.double({ min: 0, max: 10, noNaN: true }),
          ),
          { maxLength: 300 },
        ),
        (pairs) => {
          const values = Float64Array.from(pairs, ([v]) => v);
          const weights = Float64Array.from(pairs, ([, w]) => w);
          sortWithWeights(values, weights);
          const expected = pairs
            .map(([v, w], i) => ({ v, w, i }))
            .sort((a, b) => a.v - b.v || (Object.is(a.v, -0) ? -1 : 0) - (Object.is(b.v, -0) ? -1 : 0) || a.i - b.i);
          expect(Array.from(values)).toEqual(expected.map((e) => e.v));
          expect(Array.from(weights)).toEqual(expected.map((e) => e.w));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles the extremes of the double range', () => {
    const values = Float64Array.of(Number.MAX_VALUE, -Number.MIN_VALUE, 0, -Number.MAX_VALUE, Number.MIN_VALUE, -0);
    const weights = Float64Array.of(1, 2, 3, 4, 5, 6);
    sortWithWeights(values, weights);
    expect(Array.from(values)).toEqual([
      -Number.MAX_VALUE,
      -Number.MIN_VALUE,
      -0,
      0,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    ]);
    expect(Array.from(weights)).toEqual([4, 2, 6, 3, 5, 1]);
  });

  it('works on a view into a larger buffer', () => {
    const buffer = new Float64Array([9, 3, 1, 2, 9]);
    const weights = Float64Array.of(30, 10, 20);
    sortWithWeights(buffer.subarray(1, 4), weights);
    expect(Array.from(buffer)).toEqual([9, 1, 2, 3, 9]);
    expect(Array.from(weights)).toEqual([10, 20, 30]);
  });

  it('rejects weights of another length', () => {
    expect(() => sortWithWeights(Float64Array.of(1, 2), Float64Array.of(1))).toThrow(RangeError);
  });
});
