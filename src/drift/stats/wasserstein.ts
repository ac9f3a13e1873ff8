/**
 * The first Wasserstein (earth mover's) distance between two one-dimensional samples, as
 * scipy.stats.wasserstein_distance(u, v, uWeights, vWeights) computes it: the area between the two
 * empirical CDFs, W₁ = ∫ |F_u(x) − F_v(x)| dx, summed exactly over the pooled sorted values. It is
 * in the units of the data; wassersteinNormalized divides by the reference's standard deviation to
 * make thresholds comparable across features.
 */
import { compensatedSum, finiteSample, nonNegativeVector, sameLength } from './input.js';
import { sortWithWeights } from './sort-weighted.js';

export interface WassersteinWeights {
  /** Non-negative weights of u's values (default: all equal). */
  uWeights?: ArrayLike<number>;
  /** Non-negative weights of v's values (default: all equal). */
  vWeights?: ArrayLike<number>;
}

/**
 * W₁ between the empirical distributions of `u` and `v`, optionally weighted. O(n log n).
 * @throws RangeError for an empty sample, a non-finite value or weight, a negative weight, weights
 * whose count differs from their sample's, or weights with a zero total.
 */
export function wassersteinDistance(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  weights: WassersteinWeights = {},
): number {
  const a = sortedWithCdfWeights(u, weights.uWeights, 'u', 'wassersteinDistance');
  const b = sortedWithCdfWeights(v, weights.vWeights, 'v', 'wassersteinDistance');
  return areaBetweenCdfs(a, b);
}

export interface NormalizedWassersteinResult {
  /** W₁ in the units of the data. */
  distance: number;
  /** The reference's population standard deviation (numpy.std, ddof 0); exactly 0 if it is constant. */
  referenceStd: number;
  /**
   * distance / referenceStd. A constant reference has no spread to measure against: then 0 if the
   * distance is 0 and Infinity otherwise (any change from a constant counts as unbounded drift).
   */
  normalized: number;
}

/**
 * W₁ between an unweighted reference and current sample, and the same divided by the reference's
 * standard deviation. Same checks as wassersteinDistance.
 */
export function wassersteinNormalized(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): NormalizedWassersteinResult {
  const a = sortedWithCdfWeights(reference, undefined, 'reference', 'wassersteinNormalized');
  const b = sortedWithCdfWeights(current, undefined, 'current', 'wassersteinNormalized');
  const distance = areaBetweenCdfs(a, b);
  const referenceStd = populationStd(a.values);
  const normalized = referenceStd > 0 ? distance / referenceStd : distance === 0 ? 0 : Number.POSITIVE_INFINITY;
  return { distance, referenceStd, normalized };
}

interface SortedSample {
  values: Float64Array;
  /** Weights in the sorted order, or undefined for equal weights. */
  weights: Float64Array | undefined;
  total: number;
}

function sortedWithCdfWeights(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  label: string,
  caller: string,
): SortedSample {
  const sample = finiteSample(values, caller, label);
  if (weights === undefined) return { values: sample.sort(), weights: undefined, total: sample.length };
  sameLength(values, weights, caller, `${label} and its weights`);
  const checked = nonNegativeVector(weights, caller, `weights of ${label}`);
  sortWithWeights(sample, checked.values);
  return { values: sample, weights: checked.values, total: checked.total };
}

/**
 * Σ |F_a − F_b| · (gap to the next pooled value), walking both sorted samples once. The CDFs are
 * formed as scipy forms them (count / size, or cumulative weight / total weight).
 */
function areaBetweenCdfs(a: SortedSample, b: SortedSample): number {
  const x = a.values;
  const y = b.values;
  let i = 0;
  let j = 0;
  let cumulativeA = 0;
  let cumulativeB = 0;
  let sum = 0;
  let compensation = 0;
  let value = Math.min(x[0]!, y[0]!);
  for (;;) {
    for (; i < x.length && x[i]! <= value; i++) cumulativeA += a.weights === undefined ? 1 : a.weights[i]!;
    for (; j < y.length && y[j]! <= value; j++) cumulativeB += b.weights === undefined ? 1 : b.weights[j]!;
    if (i === x.length && j === y.length) break;
    const next = i === x.length ? y[j]! : j === y.length ? x[i]! : Math.min(x[i]!, y[j]!);
    const term = Math.abs(cumulativeA / a.total - cumulativeB / b.total) * (next - value);
    // Neumaier's compensated sum: ten million terms would otherwise cost a few digits.
    const t = sum + term;
    compensation += sum >= term ? sum - t + term : term - t + sum;
    sum = t;
    value = next;
  }
  return sum + compensation;
}

/** numpy.std(values) with ddof 0, compensated sums; exactly 0 for a constant sample. */
function populationStd(sorted: Float64Array): number {
  const n = sorted.length;
  if (sorted[0] === sorted[n - 1]) return 0;
  const mean = compensatedSum(sorted) / n;
  let sum = 0;
  let compensation = 0;
  for (let k = 0; k < n; k++) {
    const square = (sorted[k]! - mean) ** 2;
    const t = sum + square;
    compensation += sum >= square ? sum - t + square : square - t + sum;
    sum = t;
  }
  return Math.sqrt((sum + compensation) / n);
}
