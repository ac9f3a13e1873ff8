import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../io/source.js';
import { decompressBounded } from './index.js';
import type { Compression } from './types.js';

const testdata = join(import.meta.dirname, 'testdata');
const MiB = 1 << 20;
const bombs: [Compression, string][] = [
  ['gzip', 'bomb.gz'],
  ['zlib', 'bomb.zlib'],
  ['deflate-raw', 'bomb.deflate'],
  ['bz2', 'bomb.bz2'],
  ['xz', 'bomb.xz'],
  ['lzma', 'bomb.lzma'],
  ['lz4', 'bomb.lz4'],
];

/** Peak memory growth while `run` executes: the process's max RSS plus RSS sampled between event-loop turns. */
async function measure<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = before;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 1);
  try {
    const result = await run();
    sampled = Math.max(sampled, process.memoryUsage().rss);
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - peakBefore;
    return { result, growth: Math.max(peakGrowth, sampled - before) };
  } finally {
    clearInterval(timer);
  }
}

// Each bomb expands to 64 MiB (LZ4's too: 64 MiB of zeros is only ~260 KB in LZ4). Decoding one with a 1 MiB
// limit must stop there: the result is exceeded, and memory grows by a few MiB of windows and buffers, not 64.
describe('decompression bombs', () => {
  it.each(bombs)('%s %s stops at the limit with bounded memory', async (kind, name) => {
    const source = new BufferSource(readFileSync(join(testdata, name)));
    const started = performance.now();
    const { result, growth } = await measure(() => decompressBounded(kind, source, MiB));
    expect(result).toMatchObject({ complete: false, exceeded: true });
    expect(result.error).toBeUndefined();
    expect(result.data.length).toBe(MiB);
    expect(result.data.every((b) => b === 0)).toBe(true);
    expect(growth).toBeLessThan(64 * MiB);
    expect(performance.now() - started).toBeLessThan(20_000); // a hang guard, not a speed test
  });

  it('all bombs at once stay bounded', async () => {
    const sources = bombs.map(([kind, name]) => [kind, new BufferSource(readFileSync(join(testdata, name)))] as const);
    const { result, growth } = await measure(() =>
      Promise.all(sources.map(([kind, source]) => decompressBounded(kind, source, MiB))),
    );
    expect(result.every((r) => r.exceeded && r.data.length === MiB)).toBe(true);
    expect(growth).toBeLessThan(64 * MiB);
  });

  it.each(bombs)('%s %s decodes completely when the limit allows it', async (kind, name) => {
    const result = await decompressBounded(kind, new BufferSource(readFileSync(join(testdata, name))), 64 * MiB);
    expect(result).toMatchObject({ complete: true, exceeded: false });
    expect(result.data.length).toBe(64 * MiB);
  });
});
