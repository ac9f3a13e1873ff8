import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BufferSource, type Source } from '../io/source.js';
import { decompressBounded } from './index.js';
import type { Compression } from './types.js';
import { xxh32 } from './xxh32.js';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string): Buffer => Buffer.from(readFileSync(join(testdata, name)));
const MiB = 1 << 20;

function arrayBuffersDuring<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().arrayBuffers;
  return run().then((result) => ({ result, growth: process.memoryUsage().arrayBuffers - before }));
}

/** Headers claiming huge sizes must not turn into allocations: nothing is sized from a claim. */
describe('hostile size claims', () => {
  it('.lzma claiming a 4 GiB dictionary and a 128 GiB size', async () => {
    const data = read('bomb.lzma');
    data.writeUInt32LE(0xffffffff, 1);
    data.writeUInt32LE(0, 5);
    data.writeUInt32LE(32, 9);
    const { result, growth } = await arrayBuffersDuring(() => decompressBounded('lzma', new BufferSource(data), MiB));
    expect(result).toMatchObject({ exceeded: true });
    expect(growth).toBeLessThan(16 * MiB);
  });

  it('xz claiming a 4 GiB dictionary', async () => {
    const data = read('bomb.xz');
    // Stream header (12 bytes), then the block header: size byte, flags, filter ID 0x21, props size 1, dict byte.
    expect(data.subarray(14, 16)).toEqual(Buffer.from([0x21, 0x01]));
    data[16] = 40;
    const headerSize = (data[12]! + 1) * 4;
    data.writeUInt32LE(crc32(data.subarray(12, 12 + headerSize - 4)), 12 + headerSize - 4);
    const { result, growth } = await arrayBuffersDuring(() => decompressBounded('xz', new BufferSource(data), MiB));
    expect(result).toMatchObject({ exceeded: true });
    expect(growth).toBeLessThan(16 * MiB);
  });

  it('lz4 claiming a content size of 2^60', async () => {
    const data = read('bomb.lz4');
    expect(data[4]! & 0x08).toBe(0x08);
    data.writeUInt32LE(0x10000000, 10);
    data[14] = (xxh32(data.subarray(4, 14)) >>> 8) & 0xff;
    const { result, growth } = await arrayBuffersDuring(() => decompressBounded('lz4', new BufferSource(data), MiB));
    expect(result).toMatchObject({ exceeded: true });
    expect(growth).toBeLessThan(16 * MiB);
  });

  it('a gzip file name of 16 MiB is skipped without being held', async () => {
    const body = deflateRawSync(Buffer.from('payload'));
    const header = Buffer.from([0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0, 0, 0x03]);
    const trailer = Buffer.from(gzipSync(Buffer.from('payload')).subarray(-8));
    const name = Buffer.alloc(16 * MiB, 0x61);
    const data = Buffer.concat([header, name, Buffer.of(0), body, trailer]);
    const result = await decompressBounded('gzip', new BufferSource(data), MiB);
    expect(result).toMatchObject({ complete: true, data: Buffer.from('payload') });
  });
});

describe('hostile structure', () => {
  it('30,000 concatenated bzip2 streams decode in linear time', async () => {
    const data = Buffer.concat(Array.from({ length: 30_000 }, () => read('tiny.bz2')));
    const started = performance.now();
    const result = await decompressBounded('bz2', new BufferSource(data), MiB);
    expect(result).toMatchObject({ complete: true });
    expect(result.data.equals(Buffer.alloc(30_000, 'a'))).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a bzip2 block whose code lengths wander for megabytes is rejected, not buffered', async () => {
    const bits = new BitWriter();
    bits.write(0x425a6839, 32); // "BZh9"
    bits.write(0x314159, 24);
    bits.write(0x265359, 24);
    bits.write(0, 32); // block CRC
    bits.write(0, 1); // not randomised
    bits.write(0, 24); // origPtr
    bits.write(0x8000, 16); // bytes 0..15 in use
    bits.write(0x8000, 16); // byte 0
    bits.write(2, 3); // two groups
    bits.write(1, 15); // one selector
    bits.write(0b10, 2); // selector 1
    bits.write(5, 5); // first code length
    bits.write(0b10, 2); // up to 6, which byte-aligns what follows
    bits.write(0b1011, 4); // up, down
    // Then "up, down, up, down" in every byte, for 6 MiB.
    const data = Buffer.concat([bits.finish(), Buffer.alloc(6 * MiB, 0b1011_1011)]);
    const started = performance.now();
    const result = await decompressBounded('bz2', new BufferSource(data), MiB);
    expect(result.error).toMatch(/block larger/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('an xz index claiming 2^50 records ends as truncated', async () => {
    const data = read('seed.xz');
    const footer = data.subarray(-12);
    const indexSize = (footer.readUInt32LE(4) + 1) * 4;
    const indexStart = data.length - 12 - indexSize;
    const claim = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]);
    const hostile = Buffer.concat([data.subarray(0, indexStart + 1), claim, Buffer.alloc(4 * MiB, 0x01)]);
    const result = await decompressBounded('xz', new BufferSource(hostile), MiB);
    expect(result.error).toMatch(/truncated|end of input/);
  });

  it.each([
    ['gzip', 'payload.pkl.gz'],
    ['bz2', 'payload.bz2'],
    ['xz', 'payload.xz'],
    ['lzma', 'payload.lzma'],
    ['lz4', 'payload.lz4'],
  ] as const)('%s with limit 0 is exceeded at once, with no data', async (kind, name) => {
    const result = await decompressBounded(kind, new BufferSource(read(name)), 0);
    expect(result).toMatchObject({ complete: false, exceeded: true, data: Buffer.alloc(0) });
  });

  it('an empty stream with limit 0 is complete', async () => {
    const result = await decompressBounded('gzip', new BufferSource(gzipSync(Buffer.alloc(0))), 0);
    expect(result).toMatchObject({ complete: true, exceeded: false });
  });

  it('rejects an invalid limit as a programming error', async () => {
    const source = new BufferSource(read('seed.gz'));
    await expect(decompressBounded('gzip', source, -1)).rejects.toThrow(RangeError);
    await expect(decompressBounded('gzip', source, Number.NaN)).rejects.toThrow(RangeError);
  });
});

/** A source that aborts the controller once `after` reads have been made: an abort in the middle of a decode. */
function abortingSource(data: Buffer, controller: AbortController, after: number): Source {
  const inner = new BufferSource(data);
  let reads = 0;
  return {
    size: inner.size,
    read: async (offset, length) => {
      if (++reads >= after) controller.abort(new Error('stop'));
      return inner.read(offset, length);
    },
    slice: (offset, length) => inner.slice(offset, length),
  };
}

describe('abort signal', () => {
  const streams: [Compression, string][] = [
    ['gzip', 'bomb.gz'],
    ['bz2', 'bomb.bz2'],
    ['xz', 'bomb.xz'],
    ['lzma', 'bomb.lzma'],
    ['lz4', 'bomb.lz4'],
  ];

  it.each(streams)('%s: an aborted signal rejects with its reason before any work', async (kind, name) => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const promise = decompressBounded(kind, new BufferSource(read(name)), MiB, { signal: controller.signal });
    await expect(promise).rejects.toThrow('cancelled');
  });

  it.each(streams)('%s: aborting mid-decode rejects with the reason', async (kind, name) => {
    const controller = new AbortController();
    const source = abortingSource(read(name), controller, 1);
    const promise = decompressBounded(kind, source, 64 * MiB, { signal: controller.signal });
    await expect(promise).rejects.toThrow('stop');
  });

  it('aborting by timer is seen during a long decode of a single input chunk', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('timeout')), 20);
    const promise = decompressBounded('lzma', new BufferSource(read('bomb.lzma')), 64 * MiB, {
      signal: controller.signal,
    });
    await expect(promise).rejects.toThrow('timeout');
  });
});

class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private count = 0;

  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.current = (this.current << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.count === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.count = 0;
      }
    }
  }

  finish(): Buffer {
    if (this.count > 0) this.bytes.push(this.current << (8 - this.count));
    return Buffer.from(this.bytes);
  }
}
