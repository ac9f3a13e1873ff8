import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../io/source.js';
import { decompressBounded } from './index.js';
import type { Compression, DecompressResult } from './types.js';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string): Buffer => readFileSync(join(testdata, name));

/** Per kind: the magic that gets random bytes past the first check, and real streams to mutate. */
const kinds: { kind: Compression; magic: number[]; seeds: Buffer[] }[] = [
  { kind: 'gzip', magic: [0x1f, 0x8b, 0x08], seeds: [read('seed.gz'), read('multi.gz').subarray(0, 600)] },
  { kind: 'zlib', magic: [0x78, 0x9c], seeds: [read('seed.zlib')] },
  { kind: 'deflate-raw', magic: [], seeds: [read('seed.deflate')] },
  { kind: 'bz2', magic: [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59], seeds: [read('seed.bz2')] },
  {
    kind: 'xz',
    magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46],
    seeds: [read('seed.xz')],
  },
  {
    kind: 'lzma',
    magic: [0x5d, 0x00, 0x00, 0x80, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00],
    seeds: [read('seed.lzma')],
  },
  {
    kind: 'lz4',
    magic: [0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7],
    seeds: [read('seed.lz4'), read('payload-independent.lz4').subarray(0, 800)],
  },
];

const HANG = 10_000;

/** Decodes with a watchdog: a hostile stream must come back with a result, never a throw or a hang. */
async function decodeWithin(kind: Compression, data: Uint8Array, limit: number): Promise<DecompressResult> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${kind} did not finish within ${HANG} ms`)), HANG);
  });
  try {
    return await Promise.race([decompressBounded(kind, new BufferSource(Buffer.from(data)), limit), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

function checkResult(result: DecompressResult, limit: number): void {
  expect(result.data.length).toBeLessThanOrEqual(limit);
  if (result.complete) expect(result.exceeded || result.error !== undefined).toBe(false);
  if (result.exceeded) expect(result.complete).toBe(false);
  if (!result.complete && !result.exceeded) expect(typeof result.error).toBe('string');
}

const limitArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4096 }), fc.constant(1 << 20));

describe.each(kinds)('$kind fuzzing', ({ kind, magic, seeds }) => {
  it('survives random bytes behind its magic', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), limitArb, async (raw, limit) => {
        const data = Buffer.concat([Buffer.from(magic), raw]);
        checkResult(await decodeWithin(kind, data, limit), limit);
      }),
      { numRuns: 400 },
    );
  });

  it('survives mutated, truncated and spliced real streams', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 64 }),
        limitArb,
        async (seed, edits, cut, tail, limit) => {
          const data = Buffer.from(seed);
          for (const [at, value] of edits) data[at % data.length] = value;
          const truncated = data.subarray(0, data.length - (cut % Math.max(1, data.length >> 2)));
          checkResult(await decodeWithin(kind, Buffer.concat([truncated, tail]), limit), limit);
        },
      ),
      { numRuns: 400 },
    );
  });
});
