import { describe, expect, it } from 'vitest';
import { kolmogorovCdfDurbin } from './durbin.js';
import { kolmogorovSurvival, pelzGoodCdf } from './kolmogorov.js';
import { agrees, reference } from './test-support.js';

// Every branch (closed forms, Durbin, 2 × Smirnov, Pelz–Good) agrees with scipy far inside the
// 1e-6 the drift engine needs: 5e-13 absolute and 4e-11 relative at worst over this grid.
const ABS = 1e-10;
const REL = 1e-9;

describe(`kolmogorovSurvival against scipy ${reference.scipy} kstwo.sf`, () => {
  const sizes = [...new Set(reference.kstwo.map(([, n]) => n))];
  it.each(sizes)('n = %i over the whole range of d', (n) => {
    const differing = reference.kstwo
      .filter((row) => row[1] === n)
      .map(([d, , sf]) => ({ d, scipy: sf, ours: kolmogorovSurvival(d, n) }))
      .filter((row) => !agrees(row.ours, row.scipy, ABS, REL));
    expect(differing).toEqual([]);
  });

  it('underflows to 0 where scipy returns a subnormal', () => {
    // n d² = 369: scipy's double-double sum reaches 1.5e-321; the terms here underflow one by one.
    const row = reference.kstwo.find(([d, n]) => n === 50000 && Math.abs(n * d * d - 369) < 1e-6)!;
    expect(row[2]).toBeLessThan(1e-320);
    expect(kolmogorovSurvival(row[0], row[1])).toBe(0);
  });
});

describe('kolmogorovSurvival edge cases', () => {
  it('is 1 up to d = 1/(2n) and 0 from d = 1 on', () => {
    expect(kolmogorovSurvival(0, 10)).toBe(1);
    expect(kolmogorovSurvival(-1, 10)).toBe(1);
    expect(kolmogorovSurvival(0.05, 10)).toBe(1);
    expect(kolmogorovSurvival(1, 10)).toBe(0);
    expect(kolmogorovSurvival(1.5, 10)).toBe(0);
    expect(kolmogorovSurvival(Number.POSITIVE_INFINITY, 10)).toBe(0);
  });

  it('is P(|U − ½| >= d − ½) = 2 − 2d for a single value', () => {
    for (const d of [0.6, 0.75, 0.9]) expect(kolmogorovSurvival(d, 1)).toBeCloseTo(2 - 2 * d, 15);
  });

  it('decreases in d for every method', () => {
    for (const n of [3, 40, 140, 141, 5000, 200_000, 2_000_000]) {
      let previous = 1;
      for (let i = 1; i <= 400; i++) {
        const p = kolmogorovSurvival(i / 400, n);
        expect(p).toBeLessThanOrEqual(previous + 1e-12);
        expect(p).toBeGreaterThanOrEqual(0);
        previous = p;
      }
    }
  });

  it.each([0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %s', (n) => {
    expect(() => kolmogorovSurvival(0.1, n)).toThrow(RangeError);
  });

  it('rejects a NaN statistic', () => {
    expect(() => kolmogorovSurvival(Number.NaN, 10)).toThrow(RangeError);
  });
});

describe('pelzGoodCdf', () => {
  it('is close to the exact Durbin value where kolmogorovSurvival switches between them', () => {
    // n·d^(3/2) = 1.4 at n = 100000: both are accurate there.
    const n = 100_000;
    for (const scale of [0.9, 1, 1.1]) {
      const d = (1.4 / n) ** (2 / 3) * scale;
      expect(Math.abs(pelzGoodCdf(n, d) - kolmogorovCdfDurbin(n, d))).toBeLessThan(1e-9);
    }
  });

  it('is 0 and 1 at the ends', () => {
    expect(pelzGoodCdf(1000, 0)).toBe(0);
    expect(pelzGoodCdf(1000, 1e-5)).toBe(0);
    expect(pelzGoodCdf(1000, 1)).toBe(1);
  });
});
