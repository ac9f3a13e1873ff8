import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalQuantile, normalUpperTail } from './normal.js';

/** scipy.special.ndtri and scipy.stats.norm.sf, written by testdata/make-shapiro-reference.py. */
const reference = JSON.parse(readFileSync(new URL('../testdata/shapiro-reference.json', import.meta.url), 'utf8')) as {
  normalQuantile: [number, number][];
  normalUpperTail: [number, number][];
};

describe('normalQuantile (AS 241)', () => {
  it.each(reference.normalQuantile)('Φ⁻¹(%s) = %s as scipy computes it', (p, x) => {
    expect(Math.abs(normalQuantile(p) - x)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(x)));
  });

  it('is odd around 1/2 and infinite at the ends', () => {
    for (const p of [2 ** -40, 2 ** -7, 0.25, 0.375]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it.each([-0.1, 1.1, Number.NaN])('is NaN outside [0, 1]: %s', (p) => {
    expect(normalQuantile(p)).toBeNaN();
  });
});

describe('normalUpperTail (AS 66)', () => {
  it.each(reference.normalUpperTail)('P(Z > %s) = %s as scipy computes it', (z, q) => {
    expect(Math.abs(normalUpperTail(z) - q)).toBeLessThanOrEqual(5e-12);
    if (z <= 38) expect(Math.abs(normalUpperTail(z) - q)).toBeLessThanOrEqual(5e-11 * q);
  });

  it('inverts normalQuantile', () => {
    for (const p of [1e-8, 0.001, 0.025, 0.3, 0.5, 0.9, 0.999]) {
      expect(normalUpperTail(normalQuantile(p))).toBeCloseTo(1 - p, 10);
    }
  });

  it('is NaN for NaN', () => {
    expect(normalUpperTail(Number.NaN)).toBeNaN();
  });
});
