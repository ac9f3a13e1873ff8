/**
 * Exact null distribution of the two-sided two-sample Kolmogorov–Smirnov statistic: P(D >= h/L) for
 * samples of sizes m and n, L = lcm(m, n), under the hypothesis that both come from the same
 * continuous distribution. Sorting the pooled sample turns it into a lattice path from (0, 0) to
 * (m, n), all C(m + n, n) paths equally likely, and D >= h/L exactly when the path touches
 * |x/m − y/n| >= h/L (Hodges, "The significance probability of the Smirnov two-sample test", Arkiv
 * för Matematik 3, 1958).
 */

/**
 * For m = n: 2 Σ_{k>=1} (−1)^(k+1) C(2n, n − kh) / C(2n, n) (reflection), nested as
 * 2 A₁(1 − A₂(1 − A₃(…))) with A_k = C(2n, n − kh) / C(2n, n − (k−1)h), innermost term first.
 *
 * scipy sums in exactly this order, and when rounding takes the result above 1 (it does for about a
 * third of the n with h = 1, where the true value is 1) it gives up on the exact value and answers
 * with the asymptotic distribution. Keeping every operation in scipy's order reproduces that
 * decision bit for bit; the caller checks the range.
 */
export function ksExactEqualSizes(n: number, h: number): number {
  let nested = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1; // A_(k+1), built up one factor of the binomial ratio at a time
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    nested = ratio * (1 - nested);
  }
  return 2 * nested;
}

/**
 * For any m, n: the probability u(i, j) that a uniformly random path from (0, 0) to (i, j) has left
 * the open band |n'i − m'j| < h (m' = m/g, n' = n/g, g = gcd) satisfies
 *   u(i, j) = 1 outside the band,  u(i, j) = (i·u(i−1, j) + j·u(i, j−1)) / (i + j) inside,
 * because such a path arrives from the left with probability i/(i + j). Working with u rather than
 * with path counts keeps every value in [0, 1] (Viehmann, arXiv:2102.08037, 2021). Cost: the area of
 * the band, at most (m + 1)(n + 1).
 */
export function ksExactUnequalSizes(sizeA: number, sizeB: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  // u(i, ·) for the current column i; the entries outside the band stay 1.
  const u = new Float64Array(n + 1).fill(1);
  // Column 0: inside while m'j < h. The band only moves up, so nothing above it needs resetting.
  let low = 0;
  u.fill(0, 0, Math.min(n, Math.ceil(h / mg) - 1) + 1);
  for (let i = 1; i <= m; i++) {
    // Inside: (n'i − h)/m' < j < (n'i + h)/m'.
    const nextLow = Math.max(0, Math.floor((ng * i - h) / mg) + 1);
    const nextHigh = Math.min(n, Math.ceil((ng * i + h) / mg) - 1);
    if (nextLow > nextHigh) return 1; // every path crosses this column outside the band
    for (let j = low; j < nextLow; j++) u[j] = 1;
    for (let j = nextLow; j <= nextHigh; j++) u[j] = j === 0 ? u[0]! : (i * u[j]! + j * u[j - 1]!) / (i + j);
    low = nextLow;
  }
  return u[n]!;
}

export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
