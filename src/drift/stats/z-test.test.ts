import { describe, expect, it } from 'vitest';
import { agrees, reference } from './test-support.js';
import { twoProportionZTest } from './z-test.js';

describe(`twoProportionZTest against the formula with scipy ${reference.scipy} norm.sf`, () => {
  it.each(reference.ztest)('$successes1/$n1 against $successes2/$n2', (c) => {
    const result = twoProportionZTest(c.successes1, c.n1, c.successes2, c.n2);
    expect(result.z).toBe(c.z);
    // normalUpperTail (AS 66) is within 5e-12 absolute and 5e-11 relative of scipy's tail.
    expect(agrees(result.pValue, c.pvalue, 1e-11, 1e-10)).toBe(true);
    expect(result.pooled).toBe((c.successes1 + c.successes2) / (c.n1 + c.n2));
  });
});

describe('twoProportionZTest behaviour', () => {
  it('gives z = 0 and p = 1 when both samples are all failures or all successes', () => {
    expect(twoProportionZTest(0, 10, 0, 30)).toEqual({ z: 0, pValue: 1, pooled: 0 });
    expect(twoProportionZTest(10, 10, 30, 30)).toEqual({ z: 0, pValue: 1, pooled: 1 });
  });

  it('is antisymmetric in the two samples', () => {
    const forward = twoProportionZTest(30, 100, 45, 120);
    const backward = twoProportionZTest(45, 120, 30, 100);
    expect(backward.z).toBe(-forward.z);
    expect(backward.pValue).toBe(forward.pValue);
  });

  it('accepts fractional (weighted) counts', () => {
    expect(twoProportionZTest(2.5, 10.5, 7.25, 12).pValue).toBeGreaterThan(0);
  });

  it.each([
    [1, 0, 1, 10],
    [-1, 10, 1, 10],
    [11, 10, 1, 10],
    [1, 10, Number.NaN, 10],
    [1, 10, 1, Number.POSITIVE_INFINITY],
    [1, 10, 1, -5],
  ])('rejects %s of %s against %s of %s', (x1, n1, x2, n2) => {
    expect(() => twoProportionZTest(x1, n1, x2, n2)).toThrow(RangeError);
  });
});
