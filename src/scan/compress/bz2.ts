import { BitReader, BlockState } from './bz2-block.js';
import { BZ2_RANDOM_NUMBERS } from './bz2-random.js';
import { bzip2CrcUpdate } from './crc32.js';
import { CorruptInput } from './errors.js';
import type { InputReader } from './input.js';
import type { BoundedOutput } from './output.js';

const BLOCK_MAGIC_HI = 0x314159;
const BLOCK_MAGIC_LO = 0x265359;
const END_MAGIC_HI = 0x177245;
const END_MAGIC_LO = 0x385090;
/**
 * Input fetched before decoding a block, which is then decoded synchronously from the window. A real 900 kB block
 * is at most ~2.3 MB even with every code at the 20-bit maximum; only a hostile block (its code-length deltas can go
 * up and down forever) is longer, and is rejected rather than buffered without bound.
 */
const MAX_BLOCK_INPUT = 4 << 20;
const OUTPUT_STEP = 64 * 1024;

/**
 * bzip2 as Python's bz2 module reads it: every stream in the file is decoded; after the first, bytes that do not
 * start another stream are ignored.
 */
export async function decodeBzip2(reader: InputReader, out: BoundedOutput): Promise<void> {
  const state = new BlockState();
  for (let streams = 0; ; streams++) {
    await reader.fill(4);
    const head = reader.window.subarray(reader.index, reader.index + 4);
    const level = head.length === 4 && head.toString('latin1', 0, 3) === 'BZh' ? head[3]! - 0x30 : 0;
    if (level < 1 || level > 9) {
      if (streams === 0) throw new CorruptInput('bzip2: bad magic');
      return;
    }
    reader.take(4);
    await decodeStream(reader, out, state, level * 100_000);
  }
}

async function decodeStream(reader: InputReader, out: BoundedOutput, state: BlockState, blockSizeMax: number) {
  const bits = new BitReader();
  let combined = 0;
  for (;;) {
    await reader.fill(MAX_BLOCK_INPUT);
    bits.attach(reader.window, reader.index, reader.window.length, reader.final);
    const hi = bits.bits(24);
    const lo = bits.bits(24);
    if (hi === END_MAGIC_HI && lo === END_MAGIC_LO) {
      const stored = bits.bits32();
      bits.alignToByte();
      reader.seek(reader.windowStart + bits.pos);
      if (stored !== combined) throw new CorruptInput('bzip2: stream CRC mismatch');
      return;
    }
    if (hi !== BLOCK_MAGIC_HI || lo !== BLOCK_MAGIC_LO) throw new CorruptInput('bzip2: bad block magic');
    const expected = bits.bits32();
    const { length, start, randomised } = state.read(bits, blockSizeMax);
    reader.seek(reader.windowStart + bits.pos);
    const crc = writeBlock(state.tt, length, start, randomised, out);
    if (crc !== expected) throw new CorruptInput('bzip2: block CRC mismatch');
    combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
    await reader.checkpoint();
  }
}

/**
 * Walks the BWT links and undoes the initial run-length encoding (four equal bytes, then a repeat count), writing
 * into `out` and stopping at its limit. Returns the block CRC.
 */
function writeBlock(tt: Uint32Array, length: number, start: number, randomised: boolean, out: BoundedOutput): number {
  let crc = 0xffffffff;
  // Randomised blocks flip the low bit of the BWT output byte at intervals taken from BZ2_rNums (libbzip2's
  // BZ_RAND_UPD_MASK); `toGo` counts down to the next flip.
  let toGo = 0;
  let table = 0;
  let o = out.length;
  let room = 0;
  let position = start;
  let last = -1;
  let run = 0;
  const reserve = (n: number): void => {
    out.length = o;
    room = out.reserve(Math.max(n, OUTPUT_STEP));
    if (room < n) {
      out.buffer.fill(last, o, o + room);
      out.length = o + room;
      out.exceed();
    }
  };
  for (let k = 0; k < length; k++) {
    position = tt[position]!;
    let byte = position & 0xff;
    position >>>= 8;
    if (randomised) {
      if (toGo === 0) {
        toGo = BZ2_RANDOM_NUMBERS[table]!;
        table = (table + 1) & 511;
      }
      toGo--;
      if (toGo === 1) byte ^= 1;
    }
    if (run === 4) {
      if (room < byte) reserve(byte);
      out.buffer.fill(last, o, o + byte);
      for (let i = 0; i < byte; i++) crc = bzip2CrcUpdate(crc, last);
      o += byte;
      room -= byte;
      run = 0;
      last = -1;
      continue;
    }
    if (byte === last) run++;
    else {
      last = byte;
      run = 1;
    }
    if (room < 1) reserve(1);
    out.buffer[o++] = byte;
    room--;
    crc = bzip2CrcUpdate(crc, byte);
  }
  out.length = o;
  return ~crc >>> 0;
}
