/**
 * The exact two-sided Kolmogorov distribution P(D_n < d) by Durbin's matrix (Durbin 1968) in the
 * form of Marsaglia, Tsang & Wang, "Evaluating Kolmogorov's distribution", Journal of Statistical
 * Software 8(18), 2003: with nd = k − h (k a positive integer, 0 <= h < 1) and m = 2k − 1,
 *   P(D_n < d) = n!/nⁿ · (Hⁿ)_kk
 * for the m × m matrix H with H_ij = 1/(i − j + 1)! where i − j + 1 >= 0 (0 above that), except the
 * first column (1 − h^i)/i!, the last row (1 − h^(m−j+1))/(m − j + 1)! and the corner
 * (1 − 2hᵐ + max(0, 2h − 1)ᵐ)/m! (1-based indices). Cost O(m³ log n): fast while nd is small, which
 * is where kolmogorov.ts uses it.
 */

// Entries are rescaled by powers of two (exact) to keep Hⁿ and n!/nⁿ inside the double range.
const BIG = 2 ** 128;
const SMALL = 2 ** -128;

/**
 * P(D_n < d) for the two-sided one-sample statistic D_n of n values (n a positive integer).
 * Returns 0 for nd <= 1/2 and 1 for d >= 1.
 */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const m = 2 * k - 1;
  const { matrix, exponent } = power(durbinMatrix(m, k - nd), m, n);
  let p = matrix[(k - 1) * m + (k - 1)]!;
  let scale = exponent;
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (p < SMALL) {
      p *= BIG;
      scale -= 128;
    }
  }
  return Math.min(1, Math.max(0, timesPowerOfTwo(p, scale)));
}

function durbinMatrix(m: number, h: number): Float64Array {
  const inverseFactorial = new Float64Array(m + 1);
  inverseFactorial[0] = 1;
  for (let j = 1; j <= m; j++) inverseFactorial[j] = inverseFactorial[j - 1]! / j;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= Math.min(i + 1, m - 1); j++) H[i * m + j] = inverseFactorial[i - j + 1]!;
  }
  for (let i = 0; i < m; i++) {
    H[i * m] = (1 - h ** (i + 1)) * inverseFactorial[i + 1]!;
    H[(m - 1) * m + (m - 1 - i)] = H[i * m]!;
  }
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m) * inverseFactorial[m]!;
  return H;
}

/** Hⁿ as matrix · 2^exponent, by repeated squaring. */
function power(H: Float64Array, m: number, n: number): { matrix: Float64Array; exponent: number } {
  let result: Float64Array | undefined;
  let resultExponent = 0;
  let base = H;
  let baseExponent = 0;
  for (let e = n; ; ) {
    if (e % 2 === 1) {
      result = result === undefined ? base.slice() : multiply(result, base, m);
      resultExponent += baseExponent + rescale(result);
    }
    e = Math.floor(e / 2);
    if (e === 0) break;
    base = multiply(base, base, m);
    baseExponent = 2 * baseExponent + rescale(base);
  }
  return { matrix: result!, exponent: resultExponent };
}

/** Scales `matrix` down by 2^128 while its largest entry exceeds 2^128; returns the exponent taken out. */
function rescale(matrix: Float64Array): number {
  let largest = 0;
  for (const x of matrix) largest = Math.max(largest, Math.abs(x));
  let exponent = 0;
  while (largest > BIG) {
    for (let i = 0; i < matrix.length; i++) matrix[i]! *= SMALL;
    largest *= SMALL;
    exponent += 128;
  }
  return exponent;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const x = a[i * m + l]!;
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += x * b[l * m + j]!;
    }
  }
  return out;
}

/** x · 2^e without overflowing or underflowing the factor itself. */
function timesPowerOfTwo(x: number, e: number): number {
  let value = x;
  let rest = e;
  while (rest > 512) {
    value *= 2 ** 512;
    rest -= 512;
  }
  while (rest < -512) {
    value *= 2 ** -512;
    rest += 512;
  }
  return value * 2 ** rest;
}
