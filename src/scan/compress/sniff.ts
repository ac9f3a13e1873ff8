import { constants, inflateSync } from 'node:zlib';
import { ALONE_HEADER_SIZE, parseAloneHeader } from './lzma-alone.js';
import type { Compression } from './types.js';

/**
 * Sniffs a compression wrapper from the first bytes (≥ 16 given when available); null if none. gzip, xz, bz2 and
 * lz4 have real magic numbers. zlib and .lzma have none, so those answers are candidates a caller confirms by
 * decoding; the checks below are liblzma's and zlib's own header checks, which rule out text, JSON and pickles.
 */
export function sniffCompression(head: Uint8Array): Compression | null {
  if (startsWith(head, [0x1f, 0x8b, 0x08])) return 'gzip';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (isBzip2(head)) return 'bz2';
  if (startsWith(head, [0x04, 0x22, 0x4d, 0x18])) return 'lz4';
  if (isZlib(head)) return 'zlib';
  if (isLzmaAlone(head)) return 'lzma';
  return null;
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

const MIN_DICT_SIZE = 4096;
const BLOCK_MAGIC = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
const END_MAGIC = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];

function isBzip2(head: Uint8Array): boolean {
  if (head.length < 10 || !startsWith(head, [0x42, 0x5a, 0x68]) || head[3]! < 0x31 || head[3]! > 0x39) return false;
  const next = head.subarray(4, 10);
  return startsWith(next, BLOCK_MAGIC) || startsWith(next, END_MAGIC);
}

/**
 * RFC 1950 header (deflate, window ≤ 32 KiB, check bits, no preset dictionary, which Python cannot decode without)
 * passes for about one random 2-byte prefix in 2,000, and for text such as "x^" or "HK". So the head is also
 * inflated as far as it goes: text soon hits an invalid code or a distance before the start, a real stream does
 * not. At most 64 bytes are tried, and the output is capped.
 */
function isZlib(head: Uint8Array): boolean {
  if (head.length < 3) return false;
  const cmf = head[0]!;
  const flg = head[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >>> 4 > 7 || (cmf * 256 + flg) % 31 !== 0 || flg & 0x20) return false;
  try {
    inflateSync(head.subarray(0, 64), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 16 });
    return true;
  } catch (error) {
    // Output beyond the cap from a few bytes is a highly compressed real stream, not text.
    return error instanceof RangeError;
  }
}

/**
 * .lzma ("alone") header as liblzma's auto-detection accepts it, plus two facts of every real encoder: the first
 * range-coder byte is zero, and the dictionary is at least 4 KiB (which rules out runs of zero bytes).
 */
function isLzmaAlone(head: Uint8Array): boolean {
  if (head.length <= ALONE_HEADER_SIZE || head[ALONE_HEADER_SIZE] !== 0) return false;
  const header = parseAloneHeader(head, true);
  return header !== null && header.dictSize >= MIN_DICT_SIZE;
}
