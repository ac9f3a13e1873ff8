import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, jensenShannonDivergence } from './jensen-shannon.js';
import { agrees, reference } from './test-support.js';

// Measured: within 3e-16 absolute.
const ABS = 1e-12;
const REL = 1e-9;

describe(`jensenShannonDistance against scipy ${reference.scipy} spatial.distance.jensenshannon`, () => {
  it.each(reference.jensenshannon.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(agrees(jensenShannonDistance(c.p, c.q), c.base2, ABS, REL)).toBe(true);
    expect(agrees(jensenShannonDistance(c.p, c.q, Math.E), c.natural, ABS, REL)).toBe(true);
    expect(agrees(jensenShannonDivergence(c.p, c.q), c.base2 ** 2, ABS, REL)).toBe(true);
  });
});

describe('jensenShannonDistance behaviour', () => {
  it('lies in [0, 1] in base 2, with 1 for disjoint supports', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBe(1);
    expect(jensenShannonDivergence([0, 3, 0], [2, 0, 0])).toBe(1);
    expect(jensenShannonDistance([1, 2, 3], [2, 4, 6])).toBe(0);
  });

  it('is 0, not NaN, where rounding makes the divergence a hair negative (scipy: NaN)', () => {
    const p = [0.25, 0.25, 0.25, 0.25];
    const q = [0.25 + 1e-9, 0.25, 0.25, 0.25 - 1e-9];
    const distance = jensenShannonDistance(p, q);
    expect(distance).toBeGreaterThanOrEqual(0);
    expect(distance).toBeLessThan(1e-7);
  });

  it('is symmetric', () => {
    expect(jensenShannonDistance([1, 5, 2], [3, 1, 1])).toBe(jensenShannonDistance([3, 1, 1], [1, 5, 2]));
  });

  it.each([
    ['different lengths', [1, 2], [1, 2, 3]],
    ['an empty pair', [], []],
    ['a zero total', [0, 0], [1, 2]],
    ['a negative weight', [1, -2], [1, 2]],
    ['Infinity', [1, Number.POSITIVE_INFINITY], [1, 2]],
  ])('rejects %s', (_what, p, q) => {
    expect(() => jensenShannonDistance(p, q)).toThrow(RangeError);
  });

  it('names the function called in its errors', () => {
    expect(() => jensenShannonDistance([1], [1, 2])).toThrow(/^jensenShannonDistance needs p and q of the same length/);
    expect(() => jensenShannonDivergence([1], [-1])).toThrow(/^jensenShannonDivergence needs non-negative q/);
  });

  it.each([1, 0, -2, Number.NaN, Number.POSITIVE_INFINITY])('rejects base %s', (base) => {
    expect(() => jensenShannonDistance([1, 2], [2, 1], base)).toThrow(RangeError);
  });
});
