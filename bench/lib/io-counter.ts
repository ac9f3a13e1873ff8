import { readFileSync } from 'node:fs';

/**
 * Bytes this process has read through read(2) and friends so far (`rchar` in /proc/self/io), page cache
 * hits included; undefined where /proc is not available. The difference around a scan is what it read.
 */
export function bytesReadSoFar(): number | undefined {
  try {
    const match = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
