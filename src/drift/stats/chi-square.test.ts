import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit, chiSquareHomogeneity, chiSquareSurvival } from './chi-square.js';
import { agrees, reference } from './test-support.js';

// Measured: statistics within 3e-16 relative, p-values within 2e-15 absolute and 6e-13 relative.
const ABS = 1e-12;
const REL = 1e-9;

describe(`chiSquareSurvival against scipy ${reference.scipy} chi2.sf`, () => {
  it.each(reference.chi2sf)('P(X > %s) for %i degrees of freedom = %s', (x, dof, sf) => {
    expect(agrees(chiSquareSurvival(x, dof), sf, ABS, REL)).toBe(true);
  });
});

describe(`chiSquareGoodnessOfFit against scipy ${reference.scipy} chisquare`, () => {
  it.each(reference.chisquare.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = chiSquareGoodnessOfFit(c.observed, c.expected ?? undefined);
    expect(result.dof).toBe(c.observed.length - 1);
    expect(agrees(result.statistic, c.statistic, 1e-9, 1e-12)).toBe(true);
    expect(agrees(result.pValue, c.pvalue, ABS, REL)).toBe(true);
  });
});

describe(`chiSquareHomogeneity against scipy ${reference.scipy} chi2_contingency`, () => {
  it.each(reference.contingency.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = chiSquareHomogeneity(c.a, c.b);
    expect(result.dof).toBe(c.dof);
    expect(agrees(result.statistic, c.statistic, 1e-9, 1e-12)).toBe(true);
    expect(agrees(result.pValue, c.pvalue, ABS, REL)).toBe(true);
  });
});

describe('zero expected counts (scipy: NaN or an error)', () => {
  it('leaves out categories expected and observed 0, degrees of freedom included', () => {
    expect(chiSquareGoodnessOfFit([10, 0, 30], [20, 0, 20])).toEqual(chiSquareGoodnessOfFit([10, 30], [20, 20]));
    expect(chiSquareHomogeneity([5, 0, 7, 0], [3, 0, 9, 0])).toEqual(chiSquareHomogeneity([5, 7], [3, 9]));
  });

  it('calls an observation in a category expected empty impossible', () => {
    expect(chiSquareGoodnessOfFit([10, 5, 25], [20, 0, 20])).toEqual({
      statistic: Number.POSITIVE_INFINITY,
      pValue: 0,
      dof: 1,
    });
    expect(chiSquareGoodnessOfFit([5, 5], [10, 0])).toEqual({ statistic: Number.POSITIVE_INFINITY, pValue: 0, dof: 0 });
  });

  it('has nothing to test with a single category left', () => {
    expect(chiSquareGoodnessOfFit([12])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
    expect(chiSquareHomogeneity([4, 0], [9, 0])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });
});

describe('chi-square input checks', () => {
  it('defaults to equally likely categories', () => {
    expect(chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12])).toEqual(
      chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [88 / 6, 88 / 6, 88 / 6, 88 / 6, 88 / 6, 88 / 6]),
    );
  });

  it('needs the observed and expected totals to agree, as scipy does', () => {
    expect(() => chiSquareGoodnessOfFit([10, 20], [10, 21])).toThrow(RangeError);
    expect(chiSquareGoodnessOfFit([10, 20], [10, 20 + 1e-8]).dof).toBe(1);
  });

  it.each([
    ['an empty vector', [], []],
    ['a zero total', [0, 0], [1, 1]],
    ['a negative count', [3, -1], [1, 1]],
    ['NaN', [3, Number.NaN], [1, 1]],
    ['Infinity', [3, 1], [Number.POSITIVE_INFINITY, 1]],
    ['different lengths', [3, 1, 2], [1, 1]],
  ])('rejects %s', (_what, a, b) => {
    expect(() => chiSquareHomogeneity(a, b)).toThrow(RangeError);
    expect(() => chiSquareGoodnessOfFit(a, b)).toThrow(RangeError);
  });

  it('rejects a bad number of degrees of freedom', () => {
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
    expect(() => chiSquareSurvival(Number.NaN, 3)).toThrow(RangeError);
    expect(chiSquareSurvival(-1, 3)).toBe(1);
    expect(chiSquareSurvival(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });
});
