import fc from 'fast-check';
import { snappyCompress } from 'hysnappy';
import { describe, expect, it } from 'vitest';
import { snappyDecompress } from './snappy.js';

describe('snappyDecompress', () => {
  it('restores what a Snappy compressor wrote, repetitive or not', () => {
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 5000 }),
      // Short repeated runs: overlapping copies.
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 3000 }))
        .map(([unit, times]) => Uint8Array.from({ length: unit.length * times }, (_, i) => unit[i % unit.length]!)),
    );
    fc.assert(
      fc.property(data, (bytes) => {
        expect(snappyDecompress(snappyCompress(bytes), bytes.length)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('reads literals longer than 60 bytes, whose length follows the tag', () => {
    const text = new TextEncoder().encode('x'.repeat(10) + 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30));
    expect(snappyDecompress(snappyCompress(text), text.length)).toEqual(text);
    // Tag 0xf0 (60 << 2): one length byte follows, holding length − 1.
    const literal = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(snappyDecompress(Uint8Array.from([200, 1, 0xf0, 199, ...literal]), 200)).toEqual(literal);
  });

  it.each([
    [
      'a literal length of 2^32 − 1 (read as negative by a signed decoder)',
      [10, 0xfc, 0xff, 0xff, 0xff, 0xff, 1],
      /literal runs past/,
    ],
    ['a literal past the input', [10, 0x10, 1, 2], /literal runs past the input/],
    ['a copy before the start', [10, 0x00, 7, 0x01 | (3 << 2), 2], /before the start/],
    ['a copy with offset 0', [10, 0x00, 7, 0x01, 0], /before the start/],
    ['more data than declared', [2, 0x08, 1, 2, 3], /more data than the page declares/],
    ['less data than declared', [9, 0x04, 1, 2], /2 bytes where the page declares 9/],
    ['no length', [0x80, 0x80], /no valid length/],
  ])('refuses %s', (_name, bytes, message) => {
    const declared = bytes[0]! < 0x80 ? bytes[0]! : 4;
    expect(() => snappyDecompress(Uint8Array.from(bytes), declared)).toThrow(message);
  });

  it('never throws anything but an error, and never writes past the declared size (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 2000 }), (bytes, length) => {
        try {
          expect(snappyDecompress(bytes, length)).toHaveLength(length);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
