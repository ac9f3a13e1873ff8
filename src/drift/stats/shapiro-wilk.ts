/**
 * The Shapiro–Wilk W test for normality, by Royston's algorithm AS R94 (Applied Statistics 44(4),
 * 1995, "A remark on algorithm AS 181: the W-test for normality"), as scipy.stats.shapiro runs it.
 *
 * W is the squared correlation between the ordered sample and coefficients a_i that approximate the
 * normalised expected normal order statistics: Blom's scores m_i = Φ⁻¹((i − 3/8)/(n + 1/4)), with
 * the two extreme coefficients from Royston's polynomials in 1/√n and the rest rescaled so Σa² = 1.
 * The p-value comes from Royston's normalising transformations of W: log(γ − log(1 − W)) for
 * n = 4…11, log(1 − W) for n = 12…5000, with mean and spread polynomial in n or log n; n = 3 is
 * exact.
 *
 * Arithmetic. scipy up to 1.11 (Debian 12 ships 1.10.1) runs the published Fortran, swilk.f, in
 * single precision: REAL data, coefficients, sums and AS 111 quantiles; only the final normal tail is
 * double. For large samples that costs W about 1e-5 and p up to about 1e-2, because 1 − W is the
 * small difference of float32 sums over thousands of terms. A double-precision port therefore cannot
 * agree with that scipy to 1e-6, so this one repeats its arithmetic operation by operation
 * (Math.fround after every step, glibc's logf) and reproduces W and p bit for bit, n = 3 excepted
 * (libm's asinf, not reproduced: p within 3e-7). scipy 1.12 moved swilk to double precision, so
 * against scipy >= 1.12 the same caveat applies the other way round. See shapiro-wilk.test.ts.
 *
 * Departures from scipy, all where scipy has no usable answer:
 * - a constant sample (zero range) gives { w: 1, pValue: 1 }, as scipy 1.10 does after a warning;
 *   scipy also says so for any range below 1e-19, whereas here only an exactly constant sample does:
 *   the deviations are scaled by a power of two first (which changes no bit of the result otherwise),
 *   so W does not depend on the units and huge values do not overflow float32;
 * - p is clamped to [0, 1] (for n = 3 at W = 0.75 scipy's single-precision formula gives −9.1e-7);
 * - if rounding makes 1 − W negative (scipy: W > 1 and p NaN), W is 1 and p what W = 1 gives.
 */
import { logf } from './float32.js';
import { normalUpperTail } from './normal.js';

export interface ShapiroWilkResult {
  /** The W statistic, in (0, 1]; small values speak against normality. */
  w: number;
  /** P(W' <= w) for a normal sample of the same size, by Royston's approximation; in [0, 1]. */
  pValue: number;
  /** The sample size. */
  n: number;
}

/** The sample sizes AS R94's approximations cover. */
export const SHAPIRO_WILK_MIN_N = 3;
export const SHAPIRO_WILK_MAX_N = 5000;

const f = Math.fround;

// AS R94's constants, as single-precision literals like the Fortran's DATA statements.
const C1 = Float32Array.of(0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056);
const C2 = Float32Array.of(0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633);
const C3 = Float32Array.of(0.544, -0.39978, 0.025054, -6.714e-4);
const C4 = Float32Array.of(1.3822, -0.77857, 0.062767, -2.0322e-3);
const C5 = Float32Array.of(-1.5861, -0.31082, -0.083751, 3.8915e-3);
const C6 = Float32Array.of(-0.4803, -0.082676, 3.0302e-3);
const G = Float32Array.of(-2.273, 0.459);
// biome-ignore lint/suspicious/noApproximativeNumericConstant: AS R94's five-digit √½, kept for scipy's rounding
const SQRTH = f(0.70711);
const PI6 = f(1.909859); // 6/π
const STQR = f(1.047198); // π/3
const SMALL = f(1e-19);

// Beasley and Springer's AS 111 (Applied Statistics 26(1), 1977), the quantile AS R94 calls, also
// in single precision: the central region |p − 0.5| <= 0.42, then a rational function of √−log p.
const SPLIT = f(0.42);
const [A0, A1, A2, A3] = [2.50662823884, -18.61500062529, 41.39119773534, -25.44106049637].map(f) as Float4;
const [B1, B2, B3, B4] = [-8.4735109309, 23.08336743743, -21.06224101826, 3.13082909833].map(f) as Float4;
const [Q0, Q1, Q2, Q3] = [-2.78718931138, -2.29796479134, 4.85014127135, 2.32121276858].map(f) as Float4;
const [D1, D2] = [f(3.54388924762), f(1.63706781897)];
type Float4 = [number, number, number, number];

/** AS 111's normal quantile for a float32 p in (0, 1), in float32 arithmetic. */
function ppnd(p: number): number {
  const q = f(p - 0.5);
  if (Math.abs(q) <= SPLIT) {
    const r = f(q * q);
    const num = f(f(f(f(f(f(A3 * r) + A2) * r) + A1) * r) + A0);
    const den = f(f(f(f(f(f(f(f(B4 * r) + B3) * r) + B2) * r) + B1) * r) + 1);
    return f(f(q * num) / den);
  }
  let r = q > 0 ? f(1 - p) : p;
  if (r <= 0) return 0; // AS 111's IFAULT = 1; p here is always inside (0, 1)
  r = f(Math.sqrt(-logf(r)));
  const x = f(f(f(f(f(f(f(Q3 * r) + Q2) * r) + Q1) * r) + Q0) / f(f(f(f(D2 * r) + D1) * r) + 1));
  return q < 0 ? -x : x;
}

/** AS 181.2's POLY in float32: c[0] + c[1]x + … + c[len−1]x^(len−1), nested from the top. */
function poly(c: Float32Array, x: number): number {
  const order = c.length;
  if (order === 1) return c[0]!;
  let p = f(x * c[order - 1]!);
  for (let j = order - 2; j >= 1; j--) p = f(f(p + c[j]!) * x);
  return f(c[0]! + p);
}

/**
 * The coefficients a_1 … a_⌊n/2⌋ (positive, largest first, in float32) that weight the differences
 * x_(n+1−i) − x_(i); they are the same as scipy's swilk returns. Exposed for tests.
 */
export function shapiroWilkCoefficients(n: number, a: Float32Array = new Float32Array(n >> 1)): Float32Array {
  const half = n >> 1;
  if (n === 3) {
    a[0] = SQRTH;
    return a;
  }
  const an25 = f(n + 0.25);
  let summ2 = 0;
  for (let i = 1; i <= half; i++) {
    const m = ppnd(f(f(i - 0.375) / an25));
    a[i - 1] = m;
    summ2 = f(summ2 + f(m * m));
  }
  summ2 = f(summ2 * 2);
  const ssumm2 = f(Math.sqrt(summ2));
  const rsn = f(1 / f(Math.sqrt(n)));
  const m1 = a[0]!;
  const a1 = f(poly(C1, rsn) - f(m1 / ssumm2));
  // The extreme coefficients come from the polynomials; the others are the m_i rescaled to Σa² = 1.
  let first: number;
  let fac: number;
  if (n > 5) {
    const m2 = a[1]!;
    const a2 = f(f(-m2 / ssumm2) + poly(C2, rsn));
    const rest = f(f(summ2 - 2 * f(m1 * m1)) - 2 * f(m2 * m2));
    fac = f(Math.sqrt(f(rest / f(f(1 - 2 * f(a1 * a1)) - 2 * f(a2 * a2)))));
    a[1] = a2;
    first = 2;
  } else {
    fac = f(Math.sqrt(f(f(summ2 - 2 * f(m1 * m1)) / f(1 - 2 * f(a1 * a1)))));
    first = 1;
  }
  a[0] = a1;
  // Blom's scores for i <= n/2 are negative; the sign flip makes every a_i positive.
  for (let i = first; i < half; i++) a[i] = f(-a[i]! / fac);
  return a;
}

/**
 * Shapiro–Wilk test of the hypothesis that `sample` comes from a normal distribution (any mean and
 * variance). Agrees with scipy.stats.shapiro: see the module comment for the arithmetic and for the
 * cases scipy leaves undefined (a constant sample gives { w: 1, pValue: 1 }).
 *
 * @throws RangeError unless 3 <= sample.length <= 5000 and every value is finite.
 */
export function shapiroWilk(sample: ArrayLike<number>): ShapiroWilkResult {
  const n = sample.length;
  if (!(n >= SHAPIRO_WILK_MIN_N && n <= SHAPIRO_WILK_MAX_N)) {
    throw new RangeError(`shapiroWilk needs between ${SHAPIRO_WILK_MIN_N} and ${SHAPIRO_WILK_MAX_N} values, got ${n}`);
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = sample[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`shapiroWilk needs finite numbers, got ${String(value)} at index ${i}`);
    }
    x[i] = value;
  }
  x.sort();
  if (x[0] === x[n - 1]) return { w: 1, pValue: 1, n };
  toScaledDeviations(x);
  return { ...wAndP(x, coefficientsFor(n)), n };
}

/** The last size's coefficients: a caller testing a sliding window asks for the same n every time. */
let cached: { n: number; a: Float32Array } | undefined;

function coefficientsFor(n: number): Float32Array {
  if (cached?.n !== n) cached = { n, a: shapiroWilkCoefficients(n) };
  return cached.a;
}

/**
 * Replaces the sorted sample by its float32 deviations from the median, as scipy hands them to swilk,
 * times a power of two that brings the largest one into [1, 2): every later step divides by the
 * range, so the scale changes no bit of W or p, but it keeps float32 from overflowing or flushing.
 */
function toScaledDeviations(x: Float64Array): void {
  const n = x.length;
  // Keep x_max − x_min finite in double precision.
  if (Math.max(-x[0]!, x[n - 1]!) > 2 ** 1020) for (let i = 0; i < n; i++) x[i]! *= 2 ** -4;
  // numpy's median: the middle value, or the mean of the two middle values.
  const median = n % 2 === 1 ? x[n >> 1]! : (x[(n >> 1) - 1]! + x[n >> 1]!) / 2;
  const spread = Math.max(median - x[0]!, x[n - 1]! - median);
  let exponent = -Math.floor(Math.log2(spread));
  // 2 ** exponent itself must be finite: split a huge factor in two.
  const extra = exponent > 1000 ? exponent - 1000 : 0;
  exponent -= extra;
  for (let i = 0; i < n; i++) x[i] = f((x[i]! - median) * 2 ** exponent * 2 ** extra);
}

/** W and its p-value for sorted, non-constant float32 data (AS R94 from "Check for zero range" on). */
function wAndP(x: Float64Array, a: Float32Array): { w: number; pValue: number } {
  const n = x.length;
  const range = f(x[n - 1]! - x[0]!);
  // The coefficient of x_(i): −a_i in the lower half, +a_(n+1−i) in the upper, 0 in the middle.
  const coefficient = (i: number): number => {
    const j = n - 1 - i;
    return i < j ? -a[i]! : i > j ? a[j]! : 0;
  };
  let sx = f(x[0]! / range);
  let sa = -a[0]!;
  for (let i = 1; i < n; i++) {
    sx = f(sx + f(x[i]! / range));
    if (i !== n - 1 - i) sa = f(sa + coefficient(i));
  }
  sa = f(sa / n);
  sx = f(sx / n);
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = f(coefficient(i) - sa);
    const xsx = f(f(x[i]! / range) - sx);
    ssa = f(ssa + f(asa * asa));
    ssx = f(ssx + f(xsx * xsx));
    sax = f(sax + f(asa * xsx));
  }
  // 1 − W computed directly, to spare W near 1 the cancellation (the Fortran's comment).
  const ssassx = f(Math.sqrt(f(ssa * ssx)));
  // Rounding can push 1 − W below 0 (scipy then reports W > 1 and p NaN): read it as W = 1.
  const w1 = Math.max(0, f(f(f(ssassx - sax) * f(ssassx + sax)) / f(ssa * ssx)));
  const w = f(1 - w1);
  return { w, pValue: pValue(n, w, w1) };
}

/** Royston's p-value for W (w1 = 1 − W, as computed). */
function pValue(n: number, w: number, w1: number): number {
  if (n === 3) {
    // Exact: P(W <= w) = (6/π)(asin √w − π/3) on [3/4, 1].
    return clamp01(f(PI6 * f(f(Math.asin(f(Math.sqrt(w)))) - STQR)));
  }
  let y = logf(w1);
  let m: number;
  let s: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return SMALL;
    y = -logf(f(gamma - y));
    m = poly(C3, n);
    s = f(Math.exp(poly(C4, n)));
  } else {
    const logN = logf(n);
    m = poly(C5, logN);
    s = f(Math.exp(poly(C6, logN)));
  }
  return clamp01(f(normalUpperTail(f(f(y - m) / s))));
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
