import { describe, expect, it } from 'vitest';
import { compensatedSum, finiteSample, nonNegativeVector, sameLength } from './input.js';

describe('finiteSample', () => {
  it('copies into a Float64Array', () => {
    const values = [1, 2.5, -3];
    const copy = finiteSample(values, 'f', 'x');
    expect(copy).toBeInstanceOf(Float64Array);
    copy[0] = 99;
    expect(values[0]).toBe(1);
  });

  it('names the caller, the argument and the index', () => {
    expect(() => finiteSample([1, Number.NaN], 'someTest', 'current')).toThrow(
      new RangeError('someTest needs finite numbers, got NaN at index 1 of current'),
    );
    expect(() => finiteSample([], 'someTest', 'current')).toThrow(new RangeError('someTest needs a non-empty current'));
  });

  it('rejects what is not an array of numbers', () => {
    expect(() => finiteSample(['1', 2] as unknown as number[], 'f', 'x')).toThrow(RangeError);
    expect(() => finiteSample(null as unknown as number[], 'f', 'x')).toThrow(RangeError);
    expect(() => finiteSample({ length: 2 } as ArrayLike<number>, 'f', 'x')).toThrow(RangeError);
    expect(() => finiteSample({ length: -1 } as ArrayLike<number>, 'f', 'x')).toThrow(RangeError);
  });
});

describe('nonNegativeVector', () => {
  it('returns the total', () => {
    expect(nonNegativeVector([1, 0, 2.5], 'f', 'counts').total).toBe(3.5);
  });

  it('rejects negative values, zero and overflowing totals', () => {
    expect(() => nonNegativeVector([1, -0.5], 'f', 'counts')).toThrow(RangeError);
    expect(() => nonNegativeVector([0, 0], 'f', 'counts')).toThrow(RangeError);
    expect(() => nonNegativeVector([Number.MAX_VALUE, Number.MAX_VALUE], 'f', 'counts')).toThrow(RangeError);
  });
});

describe('sameLength', () => {
  it('throws for different lengths only', () => {
    expect(() => sameLength([1], [2], 'f', 'a and b')).not.toThrow();
    expect(() => sameLength([1], [2, 3], 'f', 'a and b')).toThrow(RangeError);
  });
});

describe('compensatedSum', () => {
  it('keeps the digits a naive sum loses', () => {
    const values = new Float64Array(1_000_001).fill(0.1);
    values[0] = 1e8;
    expect(compensatedSum(values)).toBe(1e8 + 100000);
    expect(compensatedSum([1, 1e100, 1, -1e100])).toBe(2);
  });
});
