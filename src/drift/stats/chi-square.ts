/**
 * Pearson's chi-square tests on count vectors: goodness of fit against expected counts
 * (scipy.stats.chisquare) and homogeneity of two samples' counts over the same categories
 * (scipy.stats.chi2_contingency on the 2 × k table, correction=False). Counts may be fractional
 * (weighted); p-values come from the chi-square survival function, Q(dof/2, x/2).
 *
 * Zero expected counts, where scipy divides by zero (NaN, or a ValueError for the contingency table):
 * - a category with expected 0 and observed 0 carries no information: it is left out of the
 *   statistic and of the degrees of freedom (for two samples: a category neither sample has);
 * - a category with expected 0 but observed > 0 (goodness of fit only) is an outcome the hypothesis
 *   calls impossible: statistic Infinity, p-value 0;
 * - otherwise, with fewer than two categories left there is nothing to test: statistic 0, p-value 1,
 *   dof 0 (scipy's answer for a table with zero degrees of freedom).
 */
import { regularizedGammaQ } from './incomplete-gamma.js';
import { nonNegativeVector, sameLength } from './input.js';

export interface ChiSquareResult {
  /** Σ (observed − expected)² / expected over the categories kept; Infinity if one is impossible. */
  statistic: number;
  /** P(X >= statistic) for X chi-square with `dof` degrees of freedom. */
  pValue: number;
  /** Degrees of freedom: the categories kept, less one. */
  dof: number;
}

/** scipy's tolerance on the sums of observed and expected counts (power_divergence's rtol). */
export const CHI_SQUARE_SUM_TOLERANCE = 1e-8;

/**
 * P(X > x) for X chi-square with `dof` degrees of freedom (scipy.stats.chi2.sf); 1 for x <= 0.
 * @throws RangeError unless dof is finite and positive, or if x is NaN.
 */
export function chiSquareSurvival(x: number, dof: number): number {
  if (!(dof > 0 && Number.isFinite(dof))) throw new RangeError(`chiSquareSurvival needs dof > 0, got ${dof}`);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSurvival needs a number, got NaN');
  return x <= 0 ? 1 : regularizedGammaQ(dof / 2, x / 2);
}

/**
 * Goodness of fit of `observed` counts to `expected` counts (default: all categories equally
 * likely), as scipy.stats.chisquare(observed, expected). See the module comment for zero expected
 * counts.
 * @throws RangeError for empty, negative or non-finite counts, a zero observed total, vectors of
 * different lengths, or totals that differ by more than CHI_SQUARE_SUM_TOLERANCE (relative).
 */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, expected?: ArrayLike<number>): ChiSquareResult {
  const caller = 'chiSquareGoodnessOfFit';
  const obs = nonNegativeVector(observed, caller, 'observed counts');
  let exp: Float64Array;
  if (expected === undefined) {
    exp = new Float64Array(obs.values.length).fill(obs.total / obs.values.length);
  } else {
    sameLength(observed, expected, caller, 'observed and expected counts');
    const checked = nonNegativeVector(expected, caller, 'expected counts');
    const difference = Math.abs(obs.total - checked.total) / Math.min(obs.total, checked.total);
    if (difference > CHI_SQUARE_SUM_TOLERANCE) {
      throw new RangeError(
        `${caller} needs observed and expected totals that agree to ${CHI_SQUARE_SUM_TOLERANCE}, got ${obs.total} and ${checked.total}`,
      );
    }
    exp = checked.values;
  }
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < exp.length; i++) {
    const o = obs.values[i]!;
    const e = exp[i]!;
    if (e === 0) {
      if (o > 0) statistic = Number.POSITIVE_INFINITY;
      continue;
    }
    categories++;
    statistic += ((o - e) * (o - e)) / e;
  }
  return result(statistic, categories - 1);
}

/**
 * Homogeneity of two samples' counts over the same k categories: Pearson's chi-square on the 2 × k
 * contingency table, without Yates' correction, as scipy.stats.chi2_contingency([a, b],
 * correction=False). Categories empty in both samples are left out (scipy raises an error).
 * @throws RangeError for empty, negative or non-finite counts, a sample with no counts at all, or
 * vectors of different lengths.
 */
export function chiSquareHomogeneity(countsA: ArrayLike<number>, countsB: ArrayLike<number>): ChiSquareResult {
  const caller = 'chiSquareHomogeneity';
  sameLength(countsA, countsB, caller, 'count vectors');
  const a = nonNegativeVector(countsA, caller, 'counts of the first sample');
  const b = nonNegativeVector(countsB, caller, 'counts of the second sample');
  const total = a.total + b.total;
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < a.values.length; i++) {
    const oa = a.values[i]!;
    const ob = b.values[i]!;
    const column = oa + ob;
    if (column === 0) continue;
    categories++;
    // Expected counts as scipy's expected_freq forms them: row total × column total / grand total.
    const ea = (a.total * column) / total;
    const eb = (b.total * column) / total;
    statistic += ((oa - ea) * (oa - ea)) / ea + ((ob - eb) * (ob - eb)) / eb;
  }
  return result(statistic, categories - 1);
}

function result(statistic: number, dof: number): ChiSquareResult {
  if (statistic === Number.POSITIVE_INFINITY) return { statistic, pValue: 0, dof: Math.max(0, dof) };
  if (dof < 1) return { statistic: 0, pValue: 1, dof: 0 };
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}
