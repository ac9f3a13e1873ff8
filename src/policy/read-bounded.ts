import { open } from 'node:fs/promises';
import { PolicyError } from './issues.js';

/** Largest evidence document read (a report or an attestation), as the registry stores them. */
export const MAX_EVIDENCE_FILE_BYTES = 32 << 20;

/**
 * A small file's text, read at most `limit` bytes. Returns undefined when there is no such file;
 * throws `PolicyError` when it cannot be read or is larger than the limit (unless `truncate`: then
 * only the first `limit` bytes are read).
 */
export async function readBounded(
  path: string,
  limit: number,
  options: { readonly truncate?: boolean } = {},
): Promise<string | undefined> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new PolicyError('UNREADABLE', `cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(limit + 1, info.size + 1));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > limit && options.truncate) return buffer.subarray(0, limit).toString('utf8');
    if (bytesRead > limit) throw new PolicyError('UNREADABLE', `${path} is larger than ${limit} bytes`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    throw new PolicyError('UNREADABLE', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  } finally {
    await handle.close();
  }
}

/** A required JSON evidence file, parsed. */
export async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readBounded(path, MAX_EVIDENCE_FILE_BYTES);
  if (text === undefined) throw new PolicyError('UNREADABLE', `cannot read ${what} ${path}: ENOENT`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PolicyError('INVALID_EVIDENCE', `${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}
