/**
 * The Jensen–Shannon divergence and distance between two discrete distributions over the same
 * categories, as scipy.spatial.distance.jensenshannon(p, q, base) computes them:
 *   JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m),  m = (p + q)/2,   distance = √JSD,
 * with p and q first normalised to sum to 1 and 0 · ln 0 = 0. In base 2 the divergence and the
 * distance lie in [0, 1]; in base e (the natural logarithm, scipy's default) in [0, ln 2] and
 * [0, √ln 2]. Unlike PSI, it needs no stand-in for empty categories: m > 0 wherever p or q is.
 */
import { nonNegativeVector, sameLength } from './input.js';

/**
 * The Jensen–Shannon divergence in the given logarithm base (default 2). Rounding can make the sum
 * of the two Kullback–Leibler terms come out a hair below 0 for nearly equal inputs, where scipy
 * then returns NaN for the distance; here it is 0.
 * @throws RangeError for vectors of different lengths, negative or non-finite weights, a zero
 * total, or a base that is not finite, positive and different from 1.
 */
export function jensenShannonDivergence(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  return divergence(p, q, base, 'jensenShannonDivergence');
}

/**
 * The Jensen–Shannon distance √JSD (a metric), base 2 by default so that it lies in [0, 1]; pass
 * Math.E for scipy's default natural logarithm. Same checks as jensenShannonDivergence.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  return Math.sqrt(divergence(p, q, base, 'jensenShannonDistance'));
}

function divergence(p: ArrayLike<number>, q: ArrayLike<number>, base: number, caller: string): number {
  if (!(Number.isFinite(base) && base > 0 && base !== 1)) {
    throw new RangeError(`${caller} needs a finite positive base other than 1, got ${base}`);
  }
  sameLength(p, q, caller, 'p and q');
  const left = nonNegativeVector(p, caller, 'p');
  const right = nonNegativeVector(q, caller, 'q');
  let leftSum = 0;
  let rightSum = 0;
  for (let i = 0; i < left.values.length; i++) {
    const pi = left.values[i]! / left.total;
    const qi = right.values[i]! / right.total;
    const mi = (pi + qi) / 2;
    if (pi > 0) leftSum += pi * Math.log(pi / mi);
    if (qi > 0) rightSum += qi * Math.log(qi / mi);
  }
  // scipy's order: (Σ KL(p‖m) + Σ KL(q‖m)) / ln(base) / 2. Clamped: see jensenShannonDivergence.
  return Math.max(0, (leftSum + rightSum) / Math.log(base) / 2);
}
