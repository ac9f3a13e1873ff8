import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberSet, parseDecimal } from './decimal.js';
import { MAX_CATEGORIES, ProfileBuilder } from './profile.js';

/** parseDecimal of `text` read in place from inside a longer string, as the profiler reads cells. */
const inPlace = (text: string) => parseDecimal(`1,${text},2`, 2, 2 + text.length);

describe('parseDecimal', () => {
  it.each([
    ['12.5', 12.5],
    ['-0.000120', -0.00012],
    ['+.5', 0.5],
    ['3.', 3],
    ['007', 7],
    ['-0', -0],
    ['-0.000', -0],
    ['9007199254740991', 2 ** 53 - 1],
    ['0.0000000000000000000001', 1e-22],
  ])('reads the plain decimal %s', (text, value) => {
    expect(Object.is(inPlace(text), value)).toBe(true);
  });

  it.each([
    '',
    '-',
    '+',
    '.',
    '-.',
    '1.2.3',
    '1e5',
    ' 1',
    '1 ',
    '0x10',
    '1_0',
    'NaN',
    'inf',
    '9007199254740992', // 2^53: the mantissa may have been rounded on the way
    '9007199254740993',
    '0.00000000000000000000001', // 23 decimals
  ])('leaves %j to Number()', (text) => {
    expect(inPlace(text)).toBeNaN();
  });

  it('equals Number() to the bit wherever it reads a number (fuzz)', () => {
    const decimalish = fc
      .array(fc.constantFrom(...'0123456789', '.', '-', '+', 'e', ' ', '٣'), { minLength: 0, maxLength: 26 })
      .map((chars) => chars.join(''));
    const formatted = fc
      .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 25 }))
      .map(([value, digits]) => (Math.abs(value) < 1e21 ? value.toFixed(digits) : String(value)));
    fc.assert(
      fc.property(fc.oneof(decimalish, formatted), (text) => {
        const value = inPlace(text);
        if (!Number.isNaN(value)) expect(Object.is(value, Number(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('NumberSet', () => {
  it('holds its finite values, zeros of either sign included', () => {
    const set = new NumberSet([1.5, -2, 0, -0, 1e300, Number.NaN, Number.POSITIVE_INFINITY]);
    expect([1.5, -2, 0, -0, 1e300].map((value) => set.has(value))).toEqual([true, true, true, true, true]);
    expect(new NumberSet([-0]).has(-0)).toBe(true);
    expect([1.25, 2, 5e-324, 1e299].map((value) => set.has(value))).toEqual([false, false, false, false]);
    const many = Array.from({ length: 5000 }, (_, i) => i / 7);
    const big = new NumberSet(many);
    expect(many.every((value) => big.has(value))).toBe(true);
    expect(many.some((value) => big.has(value + 0.5 / 7))).toBe(false);
  });
});

describe('category counts of numeric columns', () => {
  it('stay exact past a full list, whatever the text of a number', () => {
    // The first MAX_CATEGORIES texts fill the list; then listed and unlisted texts of the same numbers.
    const texts = [
      ...Array.from({ length: MAX_CATEGORIES }, (_, i) => (i === 7 ? '-0' : i === 8 ? ' 12 ' : String(i / 4))),
      ...['0.5', '0.50', '.5', '-0', '0', '1e0', '12', '249.75', '250', '-0.0', '0.25', '3.'],
    ];
    const builder = new ProfileBuilder({ types: { x: 'category' } });
    texts.forEach((text, row) => {
      builder.add(row, 'x', text);
    });
    const expected = new Map<string, number>();
    let other = 0;
    for (const text of texts.map((text) => text.trim())) {
      if (expected.has(text)) expected.set(text, expected.get(text)! + 1);
      else if (expected.size < MAX_CATEGORIES) expected.set(text, 1);
      else other++;
    }
    const [x] = builder.build().columns;
    expect(x?.type === 'category' && x.other).toBe(other);
    expect(x?.type === 'category' && new Map(Object.entries(x.categories))).toEqual(expected);
    expect(other).toBe(5); // .5, 1e0, 250, -0.0 and 3. came after the list filled
  });
});
