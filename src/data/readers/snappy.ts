/**
 * Snappy (raw block format) decompression into exactly `outputLength` bytes, bounded by construction:
 * every literal and copy is checked against the input left and the output declared before anything is
 * written, so the work is linear in input and output and hostile data ends in an error.
 *
 * hyparquet's own decompressor reads a 4-byte literal length as a signed number: a hostile length
 * moves its read position backwards, and one 3 KB page held the reader for 12 seconds.
 *
 * Format (a fact of the Snappy format description): a varint with the uncompressed length, then
 * elements whose tag's low two bits say what follows: 0 a literal (length − 1 in the tag's upper six
 * bits, or in the next 1–4 bytes when those bits are 60–63), 1 a copy of 4–11 bytes with an 11-bit
 * offset, 2 a copy of 1–64 bytes with a 2-byte offset, 3 the same with a 4-byte offset.
 */
export function snappyDecompress(input: Uint8Array, outputLength: number): Uint8Array {
  const output = new Uint8Array(outputLength);
  let at = 0;
  // The uncompressed length; the page header's figure is the one trusted.
  for (let length = 0; ; length++) {
    if (at >= input.length || length === 5) throw new Error('snappy: no valid length at the start');
    if (input[at++]! < 0x80) break;
  }
  let out = 0;
  while (at < input.length) {
    const tag = input[at++]!;
    const kind = tag & 3;
    let length: number;
    if (kind === 0) {
      length = (tag >>> 2) + 1;
      if (length > 60) {
        const bytes = length - 60;
        if (at + bytes > input.length) throw new Error('snappy: a literal length runs past the input');
        length = 1;
        for (let i = 0; i < bytes; i++) length += input[at + i]! * 2 ** (8 * i);
        at += bytes;
      }
      if (length > input.length - at) throw new Error('snappy: a literal runs past the input');
      if (length > outputLength - out) throw new Error('snappy: more data than the page declares');
      output.set(input.subarray(at, at + length), out);
      at += length;
      out += length;
      continue;
    }
    let offset: number;
    if (kind === 1) {
      if (at + 1 > input.length) throw new Error('snappy: a copy runs past the input');
      length = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[at]!;
      at += 1;
    } else if (kind === 2) {
      if (at + 2 > input.length) throw new Error('snappy: a copy runs past the input');
      length = (tag >>> 2) + 1;
      offset = input[at]! | (input[at + 1]! << 8);
      at += 2;
    } else {
      if (at + 4 > input.length) throw new Error('snappy: a copy runs past the input');
      length = (tag >>> 2) + 1;
      offset = (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16) | (input[at + 3]! << 24)) >>> 0;
      at += 4;
    }
    if (offset === 0 || offset > out) throw new Error('snappy: a copy reaches before the start of the data');
    if (length > outputLength - out) throw new Error('snappy: more data than the page declares');
    if (offset >= length) {
      output.copyWithin(out, out - offset, out - offset + length);
    } else {
      // Overlapping: the copy repeats the last `offset` bytes.
      for (let i = 0; i < length; i++) output[out + i] = output[out - offset + i]!;
    }
    out += length;
  }
  if (out !== outputLength) throw new Error(`snappy: ${out} bytes where the page declares ${outputLength}`);
  return output;
}
