import { createInflate, createInflateRaw, inflateRawSync, inflateSync } from 'node:zlib';
import { CorruptInput } from './errors.js';
import type { InputReader } from './input.js';
import type { BoundedOutput } from './output.js';

const SMALL_INPUT = 64 * 1024;
const SMALL_OUTPUT = 1 << 20;

/**
 * Inflates one deflate stream (raw, or zlib-wrapped) starting at `reader.pos` into `out`, and leaves `reader.pos`
 * just after it: node:zlib reports exactly how much input the stream consumed (`bytesWritten`), which is what lets
 * gzip decode the next member and notice trailing bytes.
 *
 * Streaming rather than `inflateSync({ maxOutputLength })` (except for small streams, see `inflateSmall`): the sync
 * API needs the whole input in memory and throws away what it decoded when the cap is hit. The stream hands output
 * over in small pieces; the first piece that does not fit destroys it, and node:zlib checks `destroyed` before each
 * further step, so a bomb stops right there.
 */
export async function inflateStream(reader: InputReader, out: BoundedOutput, format: 'raw' | 'zlib'): Promise<void> {
  await reader.fill(SMALL_INPUT);
  if (inflateSmall(reader, out, format)) return;
  const start = reader.pos;
  const inflater = format === 'raw' ? createInflateRaw() : createInflate();
  let settled = false;
  const consumed = await new Promise<number>((resolve, reject) => {
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      const used = inflater.bytesWritten;
      inflater.destroy();
      if (error === undefined) resolve(used);
      else reject(error);
    };
    inflater.on('data', (piece: Buffer) => {
      try {
        reader.throwIfAborted();
        out.append(piece);
      } catch (error) {
        finish(error);
      }
    });
    inflater.on('end', () => finish());
    inflater.on('error', (error: Error) =>
      finish(new CorruptInput(`${format === 'raw' ? 'deflate' : 'zlib'}: ${error.message}`)),
    );
    const pump = async (): Promise<void> => {
      while (!settled) {
        const n = await reader.fill(1);
        if (settled) return;
        if (n === 0) {
          // No more input: ending makes zlib either finish or report the stream as truncated.
          inflater.end();
          return;
        }
        if (!inflater.write(reader.take(n))) {
          await new Promise<void>((resume) => {
            const go = (): void => {
              inflater.off('drain', go);
              inflater.off('close', go);
              resume();
            };
            inflater.on('drain', go);
            inflater.on('close', go);
          });
        }
      }
    };
    pump().catch(finish);
  });
  reader.seek(start + consumed);
}

/**
 * A stream of a few KiB is inflated synchronously from the window: a stream object per gzip member costs ~60 µs,
 * which a file of millions of tiny members would turn into minutes. Only a stream that ends within 64 KiB of input
 * and 1 MiB of output (and within the limit) is taken here; anything else, including an error (the streaming path
 * keeps the output decoded before it), falls through to streaming, having cost at most that much work.
 */
function inflateSmall(reader: InputReader, out: BoundedOutput, format: 'raw' | 'zlib'): boolean {
  const maxOutputLength = Math.min(out.room, SMALL_OUTPUT);
  if (maxOutputLength < 1 || reader.available === 0) return false;
  const input = reader.window.subarray(reader.index, reader.index + SMALL_INPUT);
  const inflate = format === 'raw' ? inflateRawSync : inflateSync;
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflate(input, { info: true, maxOutputLength }) as unknown as typeof result;
  } catch {
    return false;
  }
  out.append(result.buffer);
  reader.seek(reader.pos + result.engine.bytesWritten);
  return true;
}

export async function decodeZlib(reader: InputReader, out: BoundedOutput): Promise<void> {
  // Like Python's zlib.decompress: one stream; whatever follows it is not looked at.
  await inflateStream(reader, out, 'zlib');
}

export async function decodeDeflateRaw(reader: InputReader, out: BoundedOutput): Promise<void> {
  await inflateStream(reader, out, 'raw');
}
