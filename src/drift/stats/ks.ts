/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(a, b) runs it with its
 * defaults (alternative='two-sided', method='auto', scipy 1.10):
 * - D = max over the pooled values x of |F_a(x) − F_b(x)|, the empirical CDFs counting values <= x,
 *   so ties are handled as scipy does;
 * - if both samples have at most 10000 values: the exact p-value (ks-exact.ts), with D first rounded
 *   to the lattice, D = round(D·L)/L for L = lcm(n_a, n_b), and that rounded D reported;
 * - otherwise, or where scipy's exact sum comes out outside [0, 1] (equal sizes with p within
 *   rounding of 1, see ksExactEqualSizes): the Kolmogorov distribution P(D_N >= D) for
 *   N = round(n_a·n_b/(n_a + n_b)), rounding halves to even like numpy (kolmogorov.ts).
 * Cost: sorting both samples, plus for the exact p-value up to n_a·n_b steps (10⁸ at 10000 × 9999;
 * equal sizes cost only n).
 */
import { finiteSample } from './input.js';
import { kolmogorovSurvival } from './kolmogorov.js';
import { gcd, ksExactEqualSizes, ksExactUnequalSizes } from './ks-exact.js';

export interface KsTwoSampleResult {
  /** D, the largest distance between the two empirical CDFs, in [0, 1]. */
  statistic: number;
  /** P(D' >= D) for two samples of these sizes from the same continuous distribution. */
  pValue: number;
  /** How the p-value was computed, as scipy would have. */
  method: 'exact' | 'asymptotic';
}

/** scipy's MAX_AUTO_N: the exact p-value is attempted when neither sample is larger. */
export const KS_EXACT_MAX_N = 10_000;

/**
 * Two-sided two-sample Kolmogorov–Smirnov test of the hypothesis that `a` and `b` come from the
 * same continuous distribution. Agrees with scipy.stats.ks_2samp to 1e-6 (see ks.test.ts). Inputs
 * are not modified.
 * @throws RangeError if either sample is empty or holds a value that is not a finite number.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsTwoSampleResult {
  const x = finiteSample(a, 'ksTwoSample', 'a').sort();
  const y = finiteSample(b, 'ksTwoSample', 'b').sort();
  const n1 = x.length;
  const n2 = y.length;
  const d = ksStatistic(x, y);
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const lattice = (n1 / gcd(n1, n2)) * n2;
    const h = roundHalfEven(d * lattice);
    const rounded = h / lattice;
    if (h === 0) return { statistic: rounded, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? ksExactEqualSizes(n1, h) : ksExactUnequalSizes(n1, n2, h);
    if (p >= 0 && p <= 1) return { statistic: rounded, pValue: p, method: 'exact' };
    return asymptotic(rounded, n1, n2);
  }
  return asymptotic(d, n1, n2);
}

function asymptotic(d: number, n1: number, n2: number): KsTwoSampleResult {
  const [large, small] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const effective = roundHalfEven((large * small) / (large + small));
  return { statistic: d, pValue: kolmogorovSurvival(d, effective), method: 'asymptotic' };
}

/**
 * max(D⁺, D⁻) over sorted samples, evaluated after each distinct pooled value. The differences are
 * formed as scipy forms them (i/n₁ − j/n₂), so D is the same double.
 */
export function ksStatistic(x: Float64Array, y: Float64Array): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let largest = 0;
  let smallest = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < n1 && x[i]! <= value) i++;
    while (j < n2 && y[j]! <= value) j++;
    const difference = i / n1 - j / n2;
    if (difference > largest) largest = difference;
    if (difference < smallest) smallest = difference;
  }
  const minus = Math.min(-smallest, 1);
  return minus > largest ? minus : largest;
}

/** numpy's round: to the nearest integer, halves to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}
