import { describe, expect, it } from 'vitest';
import { kolmogorovCdfDurbin } from './durbin.js';
import { reference } from './test-support.js';

describe('kolmogorovCdfDurbin', () => {
  it('is exact wherever scipy’s kstwo is exact too (n <= 140 but for d < 1/2 and n d² > 4)', () => {
    // scipy uses Durbin or Pomeranz (exact) for n <= 140, n d² <= 4, and 2 P(D⁺ >= d) (exact for
    // d >= 1/2). Durbin's matrix is exact for every d; these rows check it outside its usual range,
    // up to matrices of 119 × 119 (cost grows as (nd)³).
    const exact = (d: number, n: number) => n * d * d <= 4 || d >= 0.5;
    const rows = reference.kstwo.filter(([d, n]) => n <= 140 && n * d <= 60 && exact(d, n));
    expect(rows.length).toBeGreaterThan(100);
    const differing = rows
      .map(([d, n, sf]) => ({ d, n, scipy: 1 - sf, ours: kolmogorovCdfDurbin(n, d) }))
      .filter((row) => !(Math.abs(row.ours - row.scipy) <= 1e-12));
    expect(differing).toEqual([]);
  });

  it('has the closed form 2d − 1 for one value', () => {
    for (const d of [0.5, 0.6, 0.75, 0.99]) expect(kolmogorovCdfDurbin(1, d)).toBeCloseTo(2 * d - 1, 15);
  });

  it('is 0 at or below nd = 1/2 and 1 from d = 1 on', () => {
    expect(kolmogorovCdfDurbin(10, 0.05)).toBe(0);
    expect(kolmogorovCdfDurbin(10, 1)).toBe(1);
  });

  it('keeps Hⁿ in range for large n by rescaling', () => {
    const p = kolmogorovCdfDurbin(100_000, 0.0005);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });
});
