import type { InputReader } from './input.js';
import { ALONE_HEADER_SIZE, decodeLzmaAlone, parseAloneHeader } from './lzma-alone.js';
import type { BoundedOutput } from './output.js';
import { decodeXzStream, XZ_MAGIC } from './xz.js';

/**
 * .xz and .lzma files as Python's LZMAFile (and so joblib) reads them: after each stream, another .xz or .lzma
 * stream is decoded, and anything that is not one is ignored. Zero padding between streams is skipped too, which
 * Python does not do: decoding a superset of what Python would load means nothing it loads goes unscanned.
 */
export async function decodeLzmaStreams(reader: InputReader, out: BoundedOutput, first: 'xz' | 'lzma'): Promise<void> {
  let kind: 'xz' | 'lzma' | null = first;
  let streams = 0;
  while (kind !== null) {
    if (kind === 'xz') await decodeXzStream(reader, out);
    else await decodeLzmaAlone(reader, out, streams > 0);
    streams++;
    kind = await nextStream(reader);
  }
}

async function nextStream(reader: InputReader): Promise<'xz' | 'lzma' | null> {
  const start = reader.pos;
  // xz stream padding: groups of four zero bytes, skipped a window at a time however much there is. Only an xz
  // stream may follow padding; a .lzma header can itself start with four zero bytes, so it is looked for at `start`.
  for (;;) {
    await reader.fill(ALONE_HEADER_SIZE + 1);
    const { window } = reader;
    let i = reader.index;
    while (i + 4 <= window.length && window.readUInt32LE(i) === 0) i += 4;
    if (i === reader.index) break;
    reader.seek(reader.windowStart + i);
  }
  if (startsWithXz(reader)) return 'xz';
  reader.seek(start);
  await reader.fill(ALONE_HEADER_SIZE + 1);
  if (startsWithXz(reader)) return 'xz';
  const head = reader.window.subarray(reader.index, reader.index + ALONE_HEADER_SIZE + 1);
  // The first range-coder byte is always zero: one more byte of evidence against random trailing data.
  if (head.length > ALONE_HEADER_SIZE && head[ALONE_HEADER_SIZE] === 0 && parseAloneHeader(head, true)) return 'lzma';
  return null;
}

function startsWithXz(reader: InputReader): boolean {
  const head = reader.window.subarray(reader.index, reader.index + XZ_MAGIC.length);
  return head.equals(XZ_MAGIC);
}
