/**
 * The profiler's fast path for numeric cells: plain decimals (`-12.5`, `+.5`, `3.`, `0.000120`) read
 * in place from `text[start, end)`, equal to `Number()` of the same text to the bit. Anything else —
 * whitespace, exponents, hex, digits worth 2^53 or more, more than 22 decimals, missing or infinity
 * tokens — gives NaN, and the caller reads the cell with `Number()` as before.
 *
 * Exact by Clinger's fast path (1990): the digits as an integer below 2^53 and 10^k for k ≤ 22 are
 * exact doubles, so the one division is correctly rounded, which is what `Number()` returns.
 */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT = 2 ** 53;

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** The plain decimal in `text[start, end)`, or NaN when the text is anything else. */
export function parseDecimal(text: string, start: number, end: number): number {
  let at = start;
  const sign = text.charCodeAt(at);
  if (sign === MINUS || sign === PLUS) at++;
  const digitsFrom = at;
  let mantissa = 0;
  let digit = 0;
  // Every intermediate mantissa is at most the final one, so all are exact when it is.
  for (; at < end; at++) {
    digit = text.charCodeAt(at) - ZERO;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
  }
  let decimals = 0;
  if (at < end) {
    if (digit !== DOT - ZERO) return Number.NaN;
    const dot = at++;
    for (; at < end; at++) {
      digit = text.charCodeAt(at) - ZERO;
      if (digit < 0 || digit > 9) return Number.NaN;
      mantissa = mantissa * 10 + digit;
    }
    decimals = end - dot - 1;
    // "." and "-." alone are no numbers.
    if (dot === digitsFrom && decimals === 0) return Number.NaN;
  } else if (at === digitsFrom) return Number.NaN;
  if (mantissa >= MAX_EXACT || decimals >= POWERS_OF_TEN.length) return Number.NaN;
  const value = decimals === 0 ? mantissa : mantissa / POWERS_OF_TEN[decimals]!;
  return sign === MINUS ? -value : value;
}

/**
 * A set of finite doubles: the numbers a full category list's texts read as, which a cell's number
 * must be among for its text to be listed. Open addressing in a typed array, NaN marking free slots;
 * fixed once made. Values hash by their bits and compare with `===`, so -0 may match 0: a cell whose
 * number matches is looked up by its text, which is exact either way.
 */
export class NumberSet {
  private readonly slots: Float64Array;
  private readonly shift: number;

  constructor(values: Iterable<number>) {
    const list = [...values].filter((value) => Number.isFinite(value));
    let bits = 4;
    while (1 << bits < list.length * 2) bits++;
    this.slots = new Float64Array(1 << bits).fill(Number.NaN);
    this.shift = 32 - bits;
    const mask = this.slots.length - 1;
    for (const value of list) {
      let at = this.hash(value);
      while (!Number.isNaN(this.slots[at]!) && this.slots[at] !== value) at = (at + 1) & mask;
      this.slots[at] = value;
    }
  }

  /** Whether `value` (finite) is in the set, or is ±0 and the other zero is. */
  has(value: number): boolean {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let at = this.hash(value); ; at = (at + 1) & mask) {
      const slot = slots[at]!;
      if (slot === value) return true;
      if (Number.isNaN(slot)) return false;
    }
  }

  private hash(value: number): number {
    SCRATCH[0] = value;
    return Math.imul(WORDS[0]! ^ Math.imul(WORDS[1]!, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }
}

const SCRATCH = new Float64Array(1);
const WORDS = new Uint32Array(SCRATCH.buffer);
