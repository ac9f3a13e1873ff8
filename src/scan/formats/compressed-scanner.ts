import { constants, inflateSync } from 'node:zlib';
import { type Compression, decompressBounded, sniffCompression } from '../compress/index.js';
import { BufferSource } from '../io/source.js';
import type { FormatScanner, ScanContext, ScanInput } from '../types.js';

/**
 * Single-stream compression wrappers (gzip, zlib, bz2, xz, lzma, lz4): `.pkl.gz` files and joblib's
 * compressed dumps. The content is decompressed within `maxDecompressedBytes` and scanned through the
 * registry like any other object.
 */
const wrapperExtensions = /\.(gz|gzip|z|zlib|bz2|xz|lzma|lz4)$/i;

export const compressedScanner: FormatScanner = {
  name: 'compressed',
  version: '1',
  sniff: (head) => detect(head) !== undefined,
  scan: scanCompressed,
};

function detect(head: Buffer): Compression | undefined {
  const kind = sniffCompression(head);
  if (kind === null) return undefined;
  if (kind === 'zlib') return zlibHeadDecodes(head) ? kind : undefined;
  if (kind === 'lzma') return isDefaultLzmaHeader(head) ? kind : undefined;
  return kind;
}

/**
 * The .lzma header has no magic number, and tensor data (runs of zeros) passes its structural checks. Accept
 * only what Python's lzma module and xz-utils write: properties 0x5D (lc=3 lp=0 pb=2) and a dictionary
 * size that is a power of two of at least 4 KiB.
 */
function isDefaultLzmaHeader(head: Buffer): boolean {
  if (head.length < 13 || head[0] !== 0x5d) return false;
  const dictionary = head.readUInt32LE(1);
  return dictionary >= 4096 && (dictionary & (dictionary - 1)) === 0;
}

/** zlib's two-byte header matches 1 in 31 random pairs; the first block must also decode. */
function zlibHeadDecodes(head: Buffer): boolean {
  try {
    inflateSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 256 });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

async function scanCompressed(ctx: ScanContext, input: ScanInput, head: Buffer): Promise<void> {
  const kind = detect(head) as Compression;
  ctx.format(kind);
  const result = await ctx.bounded((signal) =>
    decompressBounded(kind, input.source, ctx.limits.maxDecompressedBytes, { signal }),
  );
  const inner = wrapperExtensions.test(input.name) ? input.name.replace(wrapperExtensions, '') : `<${kind}>`;
  if (result.exceeded) {
    const message = `${kind} stream expands past ${ctx.limits.maxDecompressedBytes} bytes (maxDecompressedBytes)`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  } else if (result.error) {
    ctx.report(input, {
      ruleId: 'scan.malformed',
      evidence: `${kind} stream is corrupt after ${result.data.length} bytes: ${result.error}`,
    });
    ctx.partial(input, 'PARSE_ERROR', result.error);
  }
  if (result.data.length > 0) await ctx.scanNested(input, inner, new BufferSource(result.data));
}
