import { constants } from 'node:buffer';
import type { Source } from '../io/source.js';
import { decodeBzip2 } from './bz2.js';
import { CorruptInput, LimitExceeded } from './errors.js';
import { decodeGzip } from './gzip.js';
import { decodeDeflateRaw, decodeZlib } from './inflate.js';
import { InputReader } from './input.js';
import { decodeLz4 } from './lz4.js';
import { decodeLzmaStreams } from './lzma-streams.js';
import { BoundedOutput } from './output.js';
import type { Compression, DecompressOptions, DecompressResult } from './types.js';

export { sniffCompression } from './sniff.js';
export type { Compression, DecompressOptions, DecompressResult } from './types.js';

type Decoder = (reader: InputReader, out: BoundedOutput) => Promise<void>;

const DECODERS: Record<Compression, Decoder> = {
  gzip: decodeGzip,
  zlib: decodeZlib,
  'deflate-raw': decodeDeflateRaw,
  bz2: decodeBzip2,
  xz: (reader, out) => decodeLzmaStreams(reader, out, 'xz'),
  lzma: (reader, out) => decodeLzmaStreams(reader, out, 'lzma'),
  lz4: decodeLz4,
};

const LABELS: Record<Compression, string> = {
  gzip: 'gzip',
  zlib: 'zlib',
  'deflate-raw': 'deflate',
  bz2: 'bzip2',
  xz: 'xz',
  lzma: 'lzma',
  lz4: 'lz4',
};

/**
 * Decodes `source` as `kind`, stopping as soon as output would pass `limit` bytes. Never throws for bad input:
 * corrupt, truncated or unsupported streams come back with `error` set. Memory stays within about `limit` plus a
 * few MiB of input window whatever the stream claims, and nothing past the limit is decoded. Rejects only when
 * `options.signal` aborts, with its reason.
 */
export async function decompressBounded(
  kind: Compression,
  source: Source,
  limit: number,
  options: DecompressOptions = {},
): Promise<DecompressResult> {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`invalid decompression limit: ${limit}`);
  const decode = DECODERS[kind];
  if (decode === undefined) throw new TypeError(`unknown compression: ${String(kind)}`);
  const { signal } = options;
  signal?.throwIfAborted();
  const out = new BoundedOutput(Math.min(limit, constants.MAX_LENGTH));
  try {
    await decode(new InputReader(source, signal), out);
    return { data: out.result(), complete: true, exceeded: false };
  } catch (error) {
    if (error instanceof LimitExceeded) {
      if (out.limit < limit) {
        return { data: out.result(), complete: false, exceeded: true, error: 'output larger than a Buffer can hold' };
      }
      return { data: out.result(), complete: false, exceeded: true };
    }
    if (signal?.aborted) throw signal.reason;
    // Anything else, including a decoder bug or a failed allocation, is reported rather than thrown: the caller is
    // scanning hostile files and must get a verdict for this one.
    const message = error instanceof CorruptInput ? error.message : describe(error);
    const label = LABELS[kind];
    return {
      data: out.result(),
      complete: false,
      exceeded: false,
      error: message.startsWith(`${label}:`) ? message : `${label}: ${message}`,
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
