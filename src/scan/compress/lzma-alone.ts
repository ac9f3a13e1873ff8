import { CorruptInput } from './errors.js';
import type { InputReader } from './input.js';
import { LZMA_MAX_SYMBOL_BYTES, LzmaDecoder, type LzmaProperties, parseLzmaProperties } from './lzma-decoder.js';
import type { BoundedOutput } from './output.js';

export const ALONE_HEADER_SIZE = 13;
const UNKNOWN_SIZE = 0xffffffff;
/** Output between event-loop turns, so `signal` is seen during a long decode of one input chunk. */
const YIELD_EVERY = 8 << 20;
const READ_AHEAD = 64 * 1024;

export interface AloneHeader {
  readonly properties: LzmaProperties;
  readonly dictSize: number;
  /** Uncompressed size, or null when the stream ends with an end marker instead. */
  readonly size: number | null;
}

/**
 * Parses the 13-byte .lzma header. `picky` applies the checks liblzma's format auto-detection uses to tell .lzma
 * from random bytes (dictionary size 2^n or 2^n + 2^(n-1), size below 256 GiB); Python's FORMAT_ALONE skips them.
 */
export function parseAloneHeader(head: Uint8Array, picky: boolean): AloneHeader | null {
  if (head.length < ALONE_HEADER_SIZE) return null;
  const properties = parseLzmaProperties(head[0]!);
  if (properties === null) return null;
  const view = Buffer.from(head.buffer, head.byteOffset, ALONE_HEADER_SIZE);
  const dictSize = view.readUInt32LE(1);
  const sizeLow = view.readUInt32LE(5);
  const sizeHigh = view.readUInt32LE(9);
  const unknown = sizeLow === UNKNOWN_SIZE && sizeHigh === UNKNOWN_SIZE;
  if (picky) {
    if (dictSize !== UNKNOWN_SIZE) {
      // liblzma's test, bit for bit: rounds dictSize - 1 up to the 2^n / 2^n + 2^(n-1) form and compares.
      let d = (dictSize - 1) >>> 0;
      d |= d >>> 2;
      d |= d >>> 3;
      d |= d >>> 4;
      d |= d >>> 8;
      d |= d >>> 16;
      if ((d + 1) >>> 0 !== dictSize) return null;
    }
    if (!unknown && sizeHigh >= 1 << 6) return null;
  }
  return { properties, dictSize, size: unknown ? null : sizeHigh * 2 ** 32 + sizeLow };
}

/** Decodes one .lzma stream at `reader.pos`. */
export async function decodeLzmaAlone(reader: InputReader, out: BoundedOutput, picky = false): Promise<void> {
  await reader.fill(ALONE_HEADER_SIZE + READ_AHEAD);
  const header = parseAloneHeader(reader.window.subarray(reader.index), picky);
  if (header === null) throw new CorruptInput('lzma: invalid .lzma header');
  reader.take(ALONE_HEADER_SIZE);
  const decoder = new LzmaDecoder(out);
  decoder.setProperties(header.properties);
  decoder.resetState();
  decoder.resetDictionary();
  const end = header.size === null ? Number.POSITIVE_INFINITY : out.length + header.size;
  decoder.input = reader.window;
  decoder.inPos = reader.index;
  decoder.inEnd = reader.window.length;
  decoder.initRangeCoder();
  reader.seek(reader.windowStart + decoder.inPos);
  while (out.length < end) {
    await reader.fill(READ_AHEAD);
    const { final } = reader;
    decoder.input = reader.window;
    decoder.inPos = reader.index;
    decoder.inEnd = reader.window.length;
    // Away from the end of input, stop a symbol's worth short of the window so no symbol is cut in half.
    const inStop = final ? Number.POSITIVE_INFINITY : reader.window.length - LZMA_MAX_SYMBOL_BYTES;
    const stop = decoder.decode(end, inStop, out.length + YIELD_EVERY);
    reader.seek(reader.windowStart + decoder.inPos);
    if (stop === 'end-marker') {
      if (!decoder.rangeCoderFinished) throw new CorruptInput('lzma: corrupt end marker');
      if (out.length !== end && header.size !== null) {
        throw new CorruptInput('lzma: end marker before the declared size');
      }
      return;
    }
    if (stop === 'pause') await reader.checkpoint();
  }
}
