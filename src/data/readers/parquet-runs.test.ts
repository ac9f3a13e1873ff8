import type { PageHeader } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { checkDataPage, type LeafShape, walkRuns } from './parquet-runs.js';

const view = (...bytes: number[]) => new DataView(Uint8Array.from(bytes).buffer);
/** A 4-byte little-endian length, then the stream. */
const prefixed = (...bytes: number[]) => [bytes.length, 0, 0, 0, ...bytes];

describe('walkRuns', () => {
  it('walks RLE and bit-packed runs to the declared end, counting a value', () => {
    // RLE: 3 × value 1 (header 3 << 1), then one bit-packed group of 8 one-bit values 0b10110001.
    const walk = walkRuns(view(...prefixed(0x06, 0x01, 0x03, 0b10110001)), 0, 1, 11, undefined, 1);
    expect(walk).toEqual({ end: 8, matches: 3 + 4 });
  });

  it('counts only the packed values the output holds', () => {
    // 8 values packed, 5 wanted: 0b10110001 has ones at bits 0, 4, 5 and 7, two of them in the first five.
    expect(walkRuns(view(0x03, 0b10110001), 0, 1, 5, 2, 1).matches).toBe(2);
  });

  it('refuses a run longer than what is left of the output', () => {
    expect(() => walkRuns(view(0x06, 0x01, 0x04, 0x01), 0, 1, 4, 4)).toThrow(/a run of 2 values overruns the 4/);
    // 2^29 repeats of one value: the run that would have grown an array until the process aborted.
    expect(() => walkRuns(view(0x80, 0x80, 0x80, 0x80, 0x04, 0x01), 0, 1, 3, 6)).toThrow(/536870912 values/);
  });

  it('refuses a bit-packed run of negative length, which a zero bit width would never finish', () => {
    // Varint 0xFFFFFFFF: odd (bit-packed), and (header >> 1) << 3 is negative in 32-bit arithmetic.
    expect(() => walkRuns(view(0xff, 0xff, 0xff, 0xff, 0x0f), 0, 0, 3, 5)).toThrow(/negative length/);
  });

  it('stops without a verdict where the bytes run out', () => {
    expect(walkRuns(view(0x80), 0, 1, 3, 1)).toEqual({ end: 1, matches: 0 });
    expect(walkRuns(view(0x02), 0, 8, 3, 1)).toEqual({ end: 1, matches: 0 });
    expect(walkRuns(view(0x01), 0, 1, 3, undefined)).toEqual({ end: 1, matches: 0 });
  });
});

describe('checkDataPage (version 1: levels and values in the decompressed page)', () => {
  const nullable: LeafShape = { codec: 'SNAPPY', boolean: false, maxDefinition: 1, maxRepetition: 0 };
  const header = (numValues: number, encoding: 'PLAIN' | 'RLE_DICTIONARY'): PageHeader => ({
    type: 'DATA_PAGE',
    uncompressed_page_size: 0,
    compressed_page_size: 0,
    data_page_header: {
      num_values: numValues,
      encoding,
      definition_level_encoding: 'RLE',
      repetition_level_encoding: 'RLE',
    },
  });

  it('passes a page whose dictionary indices fit the values the levels leave', () => {
    // 4 values, 3 defined (RLE 3 × 1, RLE 1 × 0); dictionary indices of width 2: RLE 3 × index 2.
    const page = Uint8Array.from([...prefixed(0x06, 0x01, 0x02, 0x00), 2, 0x06, 0x02]);
    expect(() => checkDataPage(page, header(4, 'RLE_DICTIONARY'), nullable)).not.toThrow();
  });

  it('refuses dictionary indices that overrun the defined values', () => {
    // Same levels; the indices repeat 4 times where 3 values are defined.
    const page = Uint8Array.from([...prefixed(0x06, 0x01, 0x02, 0x00), 2, 0x08, 0x02]);
    expect(() => checkDataPage(page, header(4, 'RLE_DICTIONARY'), nullable)).toThrow(
      /a run of 4 values overruns the 3/,
    );
  });

  it('refuses definition levels that overrun the page', () => {
    const page = Uint8Array.from(prefixed(0x0a, 0x01));
    expect(() => checkDataPage(page, header(4, 'PLAIN'), nullable)).toThrow(/a run of 5 values overruns the 4/);
  });
});
