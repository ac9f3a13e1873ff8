import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferSource, FileSource } from '../io/source.js';
import { decompressBounded } from './index.js';
import type { Compression } from './types.js';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string): Buffer => readFileSync(join(testdata, name));
const payload = read('payload.pkl');
const half = Math.floor(payload.length / 2);
const MiB = 1 << 20;

function decode(kind: Compression, name: string, limit = 16 * MiB) {
  return decompressBounded(kind, new BufferSource(read(name)), limit);
}

describe('decompressBounded on real files written by Python', () => {
  it.each([
    ['gzip', 'payload.pkl.gz'],
    ['gzip', 'payload-fields.gz'],
    ['zlib', 'payload.zlib'],
    ['deflate-raw', 'payload.deflate'],
    ['bz2', 'payload.bz2'],
    ['xz', 'payload.xz'],
    ['xz', 'payload-crc32.xz'],
    ['xz', 'payload-sha256.xz'],
    ['xz', 'payload-nocheck.xz'],
    ['xz', 'payload-preset9.xz'],
    ['lzma', 'payload.lzma'],
    ['lzma', 'payload-sized.lzma'],
    ['lz4', 'payload.lz4'],
    ['lz4', 'payload-checksums.lz4'],
    ['lz4', 'payload-independent.lz4'],
  ] as const)('%s %s round-trips', async (kind, name) => {
    const result = await decode(kind, name);
    expect(result).toMatchObject({ complete: true, exceeded: false });
    expect(result.error).toBeUndefined();
    expect(result.data.equals(payload)).toBe(true);
  });

  it.each([
    ['gzip', 'multi.gz'],
    ['bz2', 'multi.bz2'],
    ['xz', 'multi.xz'],
    ['xz', 'mixed.xz'],
    ['lzma', 'multi.lzma'],
    ['lzma', 'zero-props.lzma'],
    ['lz4', 'multi.lz4'],
  ] as const)('%s %s decodes every member, like Python', async (kind, name) => {
    const result = await decode(kind, name);
    expect(result.error).toBeUndefined();
    expect(result.complete).toBe(true);
    expect(result.data.equals(payload)).toBe(true);
  });

  it('xz skips stream padding between streams (Python stops there; decoding more is the safe side)', async () => {
    const result = await decode('xz', 'padded.xz');
    expect(result.complete).toBe(true);
    expect(result.data.equals(payload)).toBe(true);
  });

  it.each([
    ['bz2', 'trailing.bz2'],
    ['xz', 'trailing.xz'],
  ] as const)('%s ignores trailing bytes that are no stream, like Python', async (kind, name) => {
    const result = await decode(kind, name);
    expect(result).toMatchObject({ complete: true, exceeded: false });
    expect(result.data.equals(payload)).toBe(true);
  });

  it('reports trailing garbage after gzip members, as Python raises on it, keeping the data', async () => {
    const result = await decode('gzip', 'trailing.gz');
    expect(result.error).toMatch(/trailing garbage/);
    expect(result.data.equals(payload)).toBe(true);
  });

  it.each([
    ['gzip', 'random.gz'],
    ['bz2', 'random.bz2'],
    ['xz', 'random.xz'],
    ['lzma', 'random.lzma'],
    ['lz4', 'random.lz4'],
  ] as const)('%s %s (incompressible: stored chunks and blocks) round-trips', async (kind, name) => {
    const result = await decode(kind, name);
    expect(result.error).toBeUndefined();
    expect(result.data.equals(read('random.bin'))).toBe(true);
  });

  it('bz2 randomised.bz2 (a pre-0.9.5 randomised block, which libbzip2 still decodes) round-trips', async () => {
    const result = await decode('bz2', 'randomised.bz2');
    expect(result.error).toBeUndefined();
    expect(result.data.equals(read('randomised.bin'))).toBe(true);
  });

  it('reports xz filter chains other than plain LZMA2 as unsupported', async () => {
    const result = await decode('xz', 'bcj.xz');
    expect(result).toMatchObject({ complete: false, exceeded: false });
    expect(result.error).toMatch(/unsupported filter/);
  });

  it('reads from a file as well as from a buffer', async () => {
    const { source, close } = await FileSource.open(join(testdata, 'payload.xz'));
    try {
      const result = await decompressBounded('xz', source, 16 * MiB);
      expect(result.data.equals(payload)).toBe(true);
    } finally {
      await close();
    }
  });

  it('stops exactly at the limit on a legitimate stream', async () => {
    const result = await decode('bz2', 'payload.bz2', 1000);
    expect(result).toMatchObject({ complete: false, exceeded: true });
    expect(result.data.equals(payload.subarray(0, 1000))).toBe(true);
    const exact = await decode('xz', 'payload.xz', payload.length);
    expect(exact).toMatchObject({ complete: true, exceeded: false });
  });
});

describe('decompressBounded on damaged files', () => {
  it.each([
    ['gzip', 'truncated.gz', half],
    ['zlib', 'truncated.zlib', 1],
    ['deflate-raw', 'truncated.deflate', 1],
    ['bz2', 'truncated.bz2', half],
    ['xz', 'truncated.xz', half],
    ['lzma', 'truncated.lzma', half],
    ['lz4', 'truncated.lz4', half],
  ] as const)('%s %s: error, and the data decoded before it kept', async (kind, name, atLeast) => {
    const result = await decode(kind, name);
    expect(result).toMatchObject({ complete: false, exceeded: false });
    expect(result.error).toMatch(/end of (input|file)/);
    expect(result.data.length).toBeGreaterThanOrEqual(atLeast);
    expect(result.data.equals(payload.subarray(0, result.data.length))).toBe(true);
  });

  it.each([
    ['gzip', 'corrupt.gz', half],
    ['zlib', 'corrupt.zlib', 0],
    ['deflate-raw', 'corrupt.deflate', 0],
    ['bz2', 'corrupt.bz2', half],
    ['xz', 'corrupt.xz', half],
    ['lzma', 'corrupt.lzma', half],
    ['lz4', 'corrupt.lz4', half],
  ] as const)('%s %s: error, and the intact first member kept', async (kind, name, intact) => {
    const result = await decode(kind, name);
    expect(result).toMatchObject({ complete: false, exceeded: false });
    expect(result.error).toBeTruthy();
    expect(result.data.subarray(0, intact).equals(payload.subarray(0, intact))).toBe(true);
  });

  it.each([
    'gzip',
    'zlib',
    'deflate-raw',
    'bz2',
    'xz',
    'lzma',
    'lz4',
  ] as const)('%s: empty input is an error', async (kind) => {
    const result = await decompressBounded(kind, new BufferSource(Buffer.alloc(0)), MiB);
    expect(result).toMatchObject({ complete: false, exceeded: false, data: Buffer.alloc(0) });
    expect(result.error).toBeTruthy();
  });

  it('prefixes every error with the format', async () => {
    const result = await decode('lz4', 'truncated.lz4');
    expect(result.error).toMatch(/^lz4: /);
  });
});
