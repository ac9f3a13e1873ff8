import { describe, expect, it } from 'vitest';
import { smirnovSurvival } from './smirnov.js';
import { agrees, reference } from './test-support.js';

describe(`smirnovSurvival against scipy ${reference.scipy} special.smirnov`, () => {
  it.each(reference.smirnov)('P(D⁺_%i >= %s) = %s', (n, d, sf) => {
    // 2e-11 at worst (n = 10⁶): the terms' logarithms are sums of values up to ~n in size.
    expect(agrees(smirnovSurvival(n, d), sf, 1e-10, 1e-10)).toBe(true);
  });
});

describe('smirnovSurvival edge cases', () => {
  it('has the closed forms at the ends', () => {
    expect(smirnovSurvival(1, 0.3)).toBeCloseTo(0.7, 15);
    expect(smirnovSurvival(10, 0)).toBe(1);
    expect(smirnovSurvival(10, 1)).toBe(0);
    // d >= 1 − 1/n: only one way to get there, every value below 1 − d.
    expect(smirnovSurvival(4, 0.8)).toBeCloseTo(0.2 ** 4, 17);
  });

  it('is continuous across the switch to the approximation above n = 10⁶', () => {
    const d = Math.sqrt(1 / 1e6);
    expect(Math.abs(smirnovSurvival(1_000_000, d) - smirnovSurvival(1_000_001, d))).toBeLessThan(1e-3);
  });

  it.each([
    [0, 0.5],
    [1.5, 0.5],
    [10, -0.1],
    [10, 1.1],
    [10, Number.NaN],
  ])('rejects n = %s, d = %s', (n, d) => {
    expect(() => smirnovSurvival(n, d)).toThrow(RangeError);
  });
});
