import { CorruptInput } from './errors.js';
import type { InputReader } from './input.js';
import type { BoundedOutput } from './output.js';
import { xxh32 } from './xxh32.js';

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const BLOCK_MAX_SIZES = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20];
const MIN_MATCH = 4;

/**
 * LZ4 frames as Python's lz4.frame.LZ4FrameFile (joblib's 'lz4') reads them: consecutive frames, skippable frames
 * skipped, anything else after a frame an error. Every block is bounded by the frame's block size (at most 4 MiB),
 * so each is fetched whole and decoded synchronously. Checksums that are present are verified, like liblz4.
 */
export async function decodeLz4(reader: InputReader, out: BoundedOutput): Promise<void> {
  for (let frames = 0; ; frames++) {
    await reader.fill(4);
    if (frames > 0 && reader.available === 0) return;
    if (reader.available < 4) throw new CorruptInput('lz4: truncated frame header');
    const magic = reader.window.readUInt32LE(reader.index);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      reader.take(4);
      await skip(reader, (await reader.read(4)).readUInt32LE(0));
      continue;
    }
    if (magic !== FRAME_MAGIC) {
      throw new CorruptInput(frames === 0 ? 'lz4: bad magic' : 'lz4: trailing data after the last frame');
    }
    reader.take(4);
    await decodeFrame(reader, out);
  }
}

async function skip(reader: InputReader, n: number): Promise<void> {
  let left = n;
  while (left > 0) {
    const step = Math.min(left, await reader.fill(1));
    if (step === 0) throw new CorruptInput('lz4: truncated skippable frame');
    reader.take(step);
    left -= step;
  }
}

async function decodeFrame(reader: InputReader, out: BoundedOutput): Promise<void> {
  await reader.fill(15);
  const descriptorStart = reader.index;
  const flags = reader.byte();
  const bd = reader.byte();
  if (flags >>> 6 !== 1) throw new CorruptInput('lz4: unsupported frame version');
  if (flags & 0x02 || bd & 0x8f) throw new CorruptInput('lz4: reserved frame descriptor bits set');
  const independent = (flags & 0x20) !== 0;
  const blockChecksum = (flags & 0x10) !== 0;
  const hasContentSize = (flags & 0x08) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  if (flags & 0x01) throw new CorruptInput('lz4: frames needing an external dictionary are not supported');
  const blockMax = BLOCK_MAX_SIZES[bd >>> 4]!;
  if (blockMax === 0) throw new CorruptInput('lz4: invalid block maximum size');
  let contentSize: number | null = null;
  if (hasContentSize) {
    const raw = reader.take(8);
    contentSize = raw.readUInt32LE(4) * 2 ** 32 + raw.readUInt32LE(0);
  }
  const descriptor = reader.window.subarray(descriptorStart, reader.index);
  if (reader.byte() !== ((xxh32(descriptor) >>> 8) & 0xff)) throw new CorruptInput('lz4: header checksum mismatch');

  const frameStart = out.length;
  for (;;) {
    await reader.fill(4 + blockMax + 4);
    const header = reader.take(4).readUInt32LE(0);
    if (header === 0) break;
    const size = header & 0x7fffffff;
    if (size > blockMax) throw new CorruptInput('lz4: block larger than the frame allows');
    const block = reader.take(size);
    if (blockChecksum && reader.take(4).readUInt32LE(0) !== xxh32(block)) {
      throw new CorruptInput('lz4: block checksum mismatch');
    }
    if (header & 0x80000000) out.append(block);
    else decodeBlock(block, out, independent ? out.length : frameStart, blockMax);
  }
  const produced = out.length - frameStart;
  if (contentSize !== null && contentSize !== produced) throw new CorruptInput('lz4: content size mismatch');
  if (contentChecksum) {
    const stored = await reader.read(4, 'lz4: truncated content checksum');
    if (stored.readUInt32LE(0) !== xxh32(out.buffer.subarray(frameStart, out.length))) {
      throw new CorruptInput('lz4: content checksum mismatch');
    }
  }
}

/**
 * One compressed block: sequences of literals and a back-reference. `historyStart` is how far back matches may
 * reach (the block start for independent blocks, the frame start for linked ones). Every length and offset is
 * checked against the input and the output, as liblz4's safe decoder does; its stricter end-of-block rules (last
 * five bytes literal) are not enforced, so anything it decodes decodes here.
 */
function decodeBlock(src: Uint8Array, out: BoundedOutput, historyStart: number, blockMax: number): void {
  const blockEnd = out.length + blockMax;
  let i = 0;
  for (;;) {
    if (i >= src.length) throw new CorruptInput('lz4: truncated block');
    const token = src[i++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (i >= src.length) throw new CorruptInput('lz4: truncated literal length');
        b = src[i++]!;
        literals += b;
      } while (b === 255);
    }
    if (literals > src.length - i) throw new CorruptInput('lz4: literals run past the block');
    if (literals > blockEnd - out.length) throw new CorruptInput('lz4: block decodes past its maximum size');
    out.append(src.subarray(i, i + literals));
    i += literals;
    if (i === src.length) return;
    if (src.length - i < 2) throw new CorruptInput('lz4: truncated match offset');
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    if (offset > out.length - historyStart) throw new CorruptInput('lz4: invalid match offset');
    let length = token & 15;
    if (length === 15) {
      let b: number;
      do {
        if (i >= src.length) throw new CorruptInput('lz4: truncated match length');
        b = src[i++]!;
        length += b;
      } while (b === 255);
    }
    length += MIN_MATCH;
    if (length > blockEnd - out.length) throw new CorruptInput('lz4: block decodes past its maximum size');
    const fit = out.reserve(length);
    const buffer = out.buffer;
    let to = out.length;
    let from = to - offset;
    // Offset 0 is invalid by the spec, but liblz4 (1.9.x, what Python's lz4 uses) decodes it as zeros; doing the
    // same keeps an attacker from hiding data behind it that Python would load and this scanner would not see.
    if (offset === 0) buffer.fill(0, to, to + fit);
    else if (offset >= fit) buffer.copyWithin(to, from, from + fit);
    else for (const end = to + fit; to < end; ) buffer[to++] = buffer[from++]!;
    out.length += fit;
    if (fit < length) out.exceed();
  }
}
