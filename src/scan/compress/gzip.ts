import { crc32 } from 'node:zlib';
import { CorruptInput } from './errors.js';
import { inflateStream } from './inflate.js';
import type { InputReader } from './input.js';
import type { BoundedOutput } from './output.js';

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/**
 * gzip with Python's semantics rather than zlib's (node:zlib's gunzip differs in the corners an attacker can pick):
 * every member is decoded, zero padding between and after members is skipped, reserved flag bits are ignored, the
 * header CRC is not checked, and anything else after a member is an error (Python raises BadGzipFile).
 */
export async function decodeGzip(reader: InputReader, out: BoundedOutput): Promise<void> {
  let members = 0;
  for (;;) {
    if (members > 0 && !(await skipZeros(reader))) return;
    await readHeader(reader, members === 0);
    const begin = out.length;
    await inflateStream(reader, out, 'raw');
    const trailer = await reader.read(8, 'gzip: member ends without its CRC and length trailer');
    const produced = out.buffer.subarray(begin, out.length);
    if (trailer.readUInt32LE(0) !== crc32(produced)) throw new CorruptInput('gzip: CRC check failed');
    if (trailer.readUInt32LE(4) !== produced.length % 2 ** 32) throw new CorruptInput('gzip: length check failed');
    members++;
  }
}

/** Skips zero bytes; false at the end of input. */
async function skipZeros(reader: InputReader): Promise<boolean> {
  for (;;) {
    if ((await reader.fill(1)) === 0) return false;
    const { window } = reader;
    let i = reader.index;
    while (i < window.length && window[i] === 0) i++;
    reader.seek(reader.windowStart + i);
    if (i < window.length) return true;
  }
}

async function readHeader(reader: InputReader, first: boolean): Promise<void> {
  await reader.fill(10);
  if (reader.available < 10) {
    throw new CorruptInput(first ? 'gzip: truncated header' : 'gzip: trailing garbage after the last member');
  }
  const header = reader.take(10);
  if (header[0] !== 0x1f || header[1] !== 0x8b) {
    throw new CorruptInput(first ? 'gzip: bad magic' : 'gzip: trailing garbage after the last member');
  }
  if (header[2] !== 8) throw new CorruptInput(`gzip: unknown compression method ${header[2]}`);
  const flags = header[3]!;
  if (flags & FEXTRA) {
    const length = (await readExact(reader, 2)).readUInt16LE(0);
    await skipBytes(reader, length);
  }
  if (flags & FNAME) await skipCString(reader);
  if (flags & FCOMMENT) await skipCString(reader);
  if (flags & FHCRC) await readExact(reader, 2);
}

async function readExact(reader: InputReader, n: number): Promise<Buffer> {
  await reader.fill(n);
  return reader.take(n);
}

async function skipBytes(reader: InputReader, n: number): Promise<void> {
  let left = n;
  while (left > 0) {
    const got = Math.min(left, await reader.fill(1));
    if (got === 0) throw new CorruptInput('gzip: truncated header');
    reader.take(got);
    left -= got;
  }
}

/** A zero-terminated header field of any length, skipped chunk by chunk so a huge one costs no memory. */
async function skipCString(reader: InputReader): Promise<void> {
  for (;;) {
    if ((await reader.fill(1)) === 0) throw new CorruptInput('gzip: truncated header');
    const { window } = reader;
    const zero = window.indexOf(0, reader.index);
    if (zero >= 0) {
      reader.seek(reader.windowStart + zero + 1);
      return;
    }
    reader.seek(reader.windowStart + window.length);
  }
}
