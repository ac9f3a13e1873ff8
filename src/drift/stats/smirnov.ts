/**
 * The one-sided Kolmogorov–Smirnov distribution: P(D⁺_n >= d) for a sample of n values from a
 * continuous distribution (scipy.special.smirnov), which the two-sided distribution needs in its
 * upper tail (kolmogorov.ts).
 *
 * Exact by Smirnov's (1944) / Birnbaum & Tingey's (1951) sum
 *   P(D⁺_n >= d) = d Σ_{v=0}^{⌊n(1−d)⌋} C(n, v) (d + v/n)^(v−1) (1 − d − v/n)^(n−v),
 * every term evaluated through its logarithm (the factors under- and overflow for large n). For
 * n > 10⁶ scipy stops summing and uses exp(−(6nd + 1)² / 18n); so does this, to agree with it.
 */

// Where scipy switches to the approximation (SMIRNOV_MAX_COMPUTE_N in its kolmogorov.c).
const MAX_SUMMED_N = 1_000_000;
// ln of the smallest normal double: scipy's MINLOG, below which it returns 0 without summing.
const MIN_LOG = -708.3964185322641;
const LN2 = Math.LN2;
const EPSILON = Number.EPSILON;

/**
 * P(D⁺_n >= d), for n a positive integer and 0 <= d <= 1; agrees with scipy.special.smirnov within
 * 1e-11 absolute and 2.1e-11 relative (at n = 10⁶; see smirnov.test.ts). Where the true value is
 * subnormal (below 2.2e-308) the terms underflow and the result is 0.
 * @throws RangeError outside that domain.
 */
export function smirnovSurvival(n: number, d: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`smirnovSurvival needs a positive integer n, got ${n}`);
  if (!(d >= 0 && d <= 1)) throw new RangeError(`smirnovSurvival needs 0 <= d <= 1, got ${d}`);
  if (n === 1) return 1 - d;
  if (d === 0) return 1;
  if (d === 1) return 0;
  // n·d to twice double precision, so ⌊nd⌋ and 1 − d − v/n are right even where nd is nearly whole.
  const [nd, ndLow] = twoProduct(n, d);
  let floorNd = Math.floor(nd);
  if (floorNd === nd && ndLow < 0) floorNd -= 1;
  const atWhole = floorNd === nd && ndLow === 0;
  if (floorNd === 0 || (floorNd === 1 && atWhole)) {
    // d <= 1/n: only the v = n term of the complementary sum survives.
    return 1 - d * (1 + d) ** (n - 1);
  }
  if (-2 * n * d * d < MIN_LOG) return 0;
  if (floorNd >= n - 1) return (1 - d) ** n;
  if (n > MAX_SUMMED_N) {
    const log = -((6 * n * d + 1) ** 2) / 18 / n;
    return log < -LN2 ? Math.exp(log) : 1 + Math.expm1(log);
  }
  return Math.min(1, d * birnbaumTingeySum(n, d, floorNd, nd, ndLow));
}

/** Σ_{v=0}^{n−⌊nd⌋−1} C(n, v) (d + v/n)^(v−1) (1 − d − v/n)^(n−v) (the v with 1 − d − v/n = 0 adds 0). */
function birnbaumTingeySum(n: number, d: number, floorNd: number, nd: number, ndLow: number): number {
  const terms = n - floorNd;
  // C(n, v) as mantissa · 2^exponent: it overflows a double long before n = 10⁶.
  let binomial = 1;
  let binomialExponent = 0;
  let sum = 0;
  for (let v = 0; v < terms; v++) {
    const below = (v + nd + ndLow) / n; // d + v/n
    const above = (n - v - nd - ndLow) / n; // 1 − d − v/n
    if (above > 0) {
      const logAbove = below < 0.5 ? Math.log1p(-below) : Math.log(above);
      const logTerm =
        Math.log(binomial) + binomialExponent * LN2 + (v - 1) * Math.log(v === 0 ? d : below) + (n - v) * logAbove;
      const term = Math.exp(logTerm);
      sum += term;
      // scipy's stopping rule: the remaining terms, each smaller than this one, cannot matter.
      if (term > 0 && 4 * (terms - v) * term < EPSILON * sum && v !== terms - 1) break;
      if (term === 0 && v > n / 2) break;
    }
    binomial *= (n - v) / (v + 1);
    // Past v = n/2 the binomial shrinks again: rescale both ways.
    if (binomial > 2 ** 512) {
      binomial *= 2 ** -512;
      binomialExponent += 512;
    } else if (binomial < 2 ** -512) {
      binomial *= 2 ** 512;
      binomialExponent -= 512;
    }
  }
  return sum;
}

/** a·b as hi + lo exactly (Dekker's product; no fused multiply-add in JavaScript). */
function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const split = 134217729; // 2^27 + 1
  let t = split * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = split * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return [hi, aHigh * bHigh - hi + aHigh * bLow + aLow * bHigh + aLow * bLow];
}
