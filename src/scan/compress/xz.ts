import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc64 } from './crc64.js';
import { CorruptInput } from './errors.js';
import type { InputReader } from './input.js';
import { decodeLzma2 } from './lzma2.js';
import type { BoundedOutput } from './output.js';

export const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const FOOTER_MAGIC = Buffer.from('YZ', 'latin1');
const FILTER_LZMA2 = 0x21;
const CHECK_CRC32 = 1;
const CHECK_CRC64 = 4;
const CHECK_SHA256 = 10;
/** Index records are read in batches of this much input. */
const INDEX_READ = 64 * 1024;

/** Check sizes by check ID; IDs liblzma does not know are skipped unverified, as liblzma does. */
function checkSize(id: number): number {
  return id === 0 ? 0 : 4 << Math.floor((id - 1) / 3);
}

/**
 * One .xz stream (header, blocks, index, footer) at `reader.pos`. Only the LZMA2 filter is supported (what Python
 * and joblib write); BCJ/delta filter chains are reported as unsupported. Block checks are verified, and the index
 * is checked against the blocks actually decoded, as liblzma does.
 */
export async function decodeXzStream(reader: InputReader, out: BoundedOutput): Promise<void> {
  const header = await reader.read(12, 'xz: truncated stream header');
  if (!header.subarray(0, 6).equals(XZ_MAGIC)) throw new CorruptInput('xz: bad magic');
  const flags = header.subarray(6, 8);
  if (flags[0] !== 0 || flags[1]! > 0x0f) throw new CorruptInput('xz: unsupported stream flags');
  if (header.readUInt32LE(8) !== crc32(flags)) throw new CorruptInput('xz: stream header CRC mismatch');
  const check = flags[1]!;
  const records = new RecordDigest();
  for (;;) {
    await reader.fill(1024);
    const sizeByte = reader.byte();
    if (sizeByte === 0) break;
    records.add(...(await decodeBlock(reader, out, sizeByte, check)));
  }
  const indexStart = reader.pos - 1;
  await readIndex(reader, records);
  const indexSize = reader.pos - indexStart;
  const footer = await reader.read(12, 'xz: truncated stream footer');
  if (!footer.subarray(10, 12).equals(FOOTER_MAGIC)) throw new CorruptInput('xz: bad footer magic');
  if (footer.readUInt32LE(0) !== crc32(footer.subarray(4, 10))) throw new CorruptInput('xz: footer CRC mismatch');
  if (!footer.subarray(8, 10).equals(flags)) throw new CorruptInput('xz: footer flags differ from the header');
  if ((footer.readUInt32LE(4) + 1) * 4 !== indexSize) throw new CorruptInput('xz: index size mismatch');
}

/** Decodes one block; returns its [unpadded size, uncompressed size] for the index comparison. */
async function decodeBlock(
  reader: InputReader,
  out: BoundedOutput,
  sizeByte: number,
  check: number,
): Promise<[number, number]> {
  const headerSize = (sizeByte + 1) * 4;
  const header = Buffer.concat([Buffer.of(sizeByte), reader.take(headerSize - 1)]);
  if (header.readUInt32LE(headerSize - 4) !== crc32(header.subarray(0, headerSize - 4))) {
    throw new CorruptInput('xz: block header CRC mismatch');
  }
  const fields = new VliReader(header, 1, headerSize - 4);
  const blockFlags = fields.byte();
  if (blockFlags & 0x3c) throw new CorruptInput('xz: unsupported block flags');
  const declaredPacked = blockFlags & 0x40 ? fields.vli() : null;
  const declaredSize = blockFlags & 0x80 ? fields.vli() : null;
  const filters = (blockFlags & 0x03) + 1;
  for (let i = 0; i < filters; i++) {
    const id = fields.vli();
    const propsSize = fields.vli();
    if (id !== FILTER_LZMA2 || i !== filters - 1) {
      throw new CorruptInput(`xz: unsupported filter 0x${id.toString(16)} (only LZMA2 is decoded)`);
    }
    if (propsSize !== 1 || fields.byte() > 40) throw new CorruptInput('xz: invalid LZMA2 filter properties');
  }
  if (!fields.restIsZero()) throw new CorruptInput('xz: nonzero block header padding');

  const packedStart = reader.pos;
  const begin = out.length;
  await decodeLzma2(reader, out);
  const packed = reader.pos - packedStart;
  const size = out.length - begin;
  if (declaredPacked !== null && declaredPacked !== packed) throw new CorruptInput('xz: compressed size mismatch');
  if (declaredSize !== null && declaredSize !== size) throw new CorruptInput('xz: uncompressed size mismatch');
  const padding = (4 - (packed % 4)) % 4;
  const tail = await reader.read(padding + checkSize(check), 'xz: truncated block');
  if (tail.subarray(0, padding).some((b) => b !== 0)) throw new CorruptInput('xz: nonzero block padding');
  const expected = tail.subarray(padding);
  const produced = out.buffer.subarray(begin, out.length);
  let ok = true;
  if (check === CHECK_CRC32) ok = expected.readUInt32LE(0) === crc32(produced);
  else if (check === CHECK_CRC64) ok = expected.equals(crc64(produced));
  else if (check === CHECK_SHA256) ok = expected.equals(createHash('sha256').update(produced).digest());
  if (!ok) throw new CorruptInput('xz: block check mismatch');
  return [headerSize + packed + checkSize(check), size];
}

/**
 * The index after the blocks: count, records, padding, CRC32. Records are compared through a running digest rather
 * than a list, so a hostile stream of millions of empty blocks costs no memory; they are parsed a window at a time.
 */
async function readIndex(reader: InputReader, expected: RecordDigest): Promise<void> {
  const start = reader.pos - 1;
  let crc = crc32(Buffer.of(0));
  const found = new RecordDigest();
  let count = -1;
  while (count < 0 || found.count < count) {
    await reader.fill(INDEX_READ);
    const { final } = reader;
    const fields = new VliReader(reader.window, reader.index, reader.window.length);
    if (count < 0) count = fields.vli();
    // A record is at most 18 bytes: away from the end of input, parse only records certainly in the window; at the
    // end, parse on and let VliReader report truncation.
    while (found.count < count && (final || fields.remaining >= 18)) found.add(fields.vli(), fields.vli());
    crc = crc32(reader.window.subarray(reader.index, fields.pos), crc);
    reader.seek(reader.windowStart + fields.pos);
  }
  const padding = (4 - ((reader.pos - start) % 4)) % 4;
  const tail = await reader.read(padding + 4, 'xz: truncated index');
  if (tail.subarray(0, padding).some((b) => b !== 0)) throw new CorruptInput('xz: nonzero index padding');
  crc = crc32(tail.subarray(0, padding), crc);
  if (tail.readUInt32LE(padding) !== crc) throw new CorruptInput('xz: index CRC mismatch');
  if (!found.equals(expected)) throw new CorruptInput('xz: index does not match the blocks');
}

/** Count, sums and a CRC over the (unpadded, uncompressed) pairs: enough to tell two record lists apart. */
class RecordDigest {
  count = 0;
  unpadded = 0;
  uncompressed = 0;
  crc = 0;
  private readonly pair = Buffer.alloc(16);

  add(unpadded: number, uncompressed: number): void {
    this.count++;
    this.unpadded += unpadded;
    this.uncompressed += uncompressed;
    this.pair.writeDoubleLE(unpadded, 0);
    this.pair.writeDoubleLE(uncompressed, 8);
    this.crc = crc32(this.pair, this.crc);
  }

  equals(other: RecordDigest): boolean {
    return (
      this.count === other.count &&
      this.unpadded === other.unpadded &&
      this.uncompressed === other.uncompressed &&
      this.crc === other.crc
    );
  }
}

/** xz variable-length integers (7 bits per byte, at most 9 bytes) inside a bounded byte range. */
class VliReader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new CorruptInput('xz: truncated header field');
    return this.bytes[this.pos++]!;
  }

  vli(): number {
    let value = 0;
    for (let i = 0; i < 9; i++) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw new CorruptInput('xz: non-minimal integer encoding');
        // Sizes beyond 2^53 cannot describe real data, and would lose precision here.
        if (value > Number.MAX_SAFE_INTEGER) throw new CorruptInput('xz: integer too large');
        return value;
      }
    }
    throw new CorruptInput('xz: integer too long');
  }

  restIsZero(): boolean {
    for (let i = this.pos; i < this.end; i++) if (this.bytes[i] !== 0) return false;
    return true;
  }
}
