import { describe, expect, it } from 'vitest';
import { gcd, ksExactEqualSizes, ksExactUnequalSizes } from './ks-exact.js';

/**
 * P(D >= h/L) by brute force: every arrangement of m a's and n b's, equally likely, and the largest
 * |n'i − m'j| (in units of 1/L) along it.
 */
function bruteForce(m: number, n: number): number[] {
  const g = gcd(m, n);
  const [mg, ng] = [m / g, n / g];
  const lattice = mg * n;
  const atLeast = new Array<number>(lattice + 2).fill(0);
  let total = 0;
  for (let mask = 0; mask < 2 ** (m + n); mask++) {
    let ones = 0;
    for (let bit = mask; bit > 0; bit >>= 1) ones += bit & 1;
    if (ones !== m) continue;
    total++;
    let [i, j, largest] = [0, 0, 0];
    for (let step = 0; step < m + n; step++) {
      if ((mask >> step) & 1) i++;
      else j++;
      largest = Math.max(largest, Math.abs(ng * i - mg * j));
    }
    for (let h = 0; h <= largest; h++) atLeast[h]!++;
  }
  return atLeast.map((count) => count / total);
}

describe('exact two-sample KS distribution', () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 4],
    [5, 3],
    [6, 4],
    [7, 7],
    [8, 5],
    [9, 6],
    [10, 10],
  ])('matches brute-force enumeration for sizes %i and %i', (m, n) => {
    const expected = bruteForce(m, n);
    const lattice = (m / gcd(m, n)) * n;
    for (let h = 1; h <= lattice + 1; h++) {
      const p = m === n ? ksExactEqualSizes(n, h) : ksExactUnequalSizes(m, n, h);
      expect(Math.abs(p - expected[h]!)).toBeLessThan(1e-14);
      if (m !== n) expect(ksExactUnequalSizes(n, m, h)).toBe(p);
    }
  });

  it('rounds above 1 for equal sizes and D = 1/n exactly where scipy does', () => {
    // scipy 1.10: _compute_prob_outside_square(5, 1) = 1.0000000000000002, which makes ks_2samp fall
    // back to the asymptotic distribution; for n = 6 and 8 it is 0.9999999999999998 and 1.
    expect(ksExactEqualSizes(5, 1)).toBe(1.0000000000000002);
    expect(ksExactEqualSizes(6, 1)).toBe(0.9999999999999998);
    expect(ksExactEqualSizes(7, 1)).toBe(1.0000000000000002);
    expect(ksExactEqualSizes(8, 1)).toBe(1);
  });

  it('keeps tiny probabilities for samples that do not overlap', () => {
    // P(D = 1) = 2 / C(m + n, n).
    expect(ksExactUnequalSizes(30, 20, 60)).toBeCloseTo(2 / 47129212243960, 25);
    expect(ksExactUnequalSizes(30, 20, 60) / (2 / 47129212243960)).toBeCloseTo(1, 12);
  });
});
