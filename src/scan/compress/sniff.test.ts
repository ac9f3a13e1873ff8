import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffCompression } from './index.js';
import type { Compression } from './types.js';

const testdata = join(import.meta.dirname, 'testdata');
const byExtension: Record<string, Compression | null> = {
  gz: 'gzip',
  zlib: 'zlib',
  bz2: 'bz2',
  xz: 'xz',
  lzma: 'lzma',
  lz4: 'lz4',
  // Raw deflate has no header: it is only ever named by a zip entry, never sniffed.
  deflate: null,
};

describe('sniffCompression', () => {
  const files = readdirSync(testdata).filter((name) => name.split('.').pop()! in byExtension);

  it.each(files)('identifies %s', (name) => {
    const head = readFileSync(join(testdata, name)).subarray(0, 16);
    expect(sniffCompression(head)).toBe(byExtension[name.split('.').pop()!]);
  });

  it.each([
    ['a pickle (protocol 4)', Buffer.from('\x80\x04\x95\x1e\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94', 'latin1')],
    ['a pickle (protocol 2)', Buffer.from('\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q', 'latin1')],
    ['a protocol 0 pickle', Buffer.from("cos\nsystem\n(S'echo hi'\ntR.", 'latin1')],
    ['the real payload', readFileSync(join(testdata, 'payload.pkl')).subarray(0, 16)],
    ['JSON', Buffer.from('{"model": "bert", "layers": 12}')],
    ['a JSON array', Buffer.from('[{"a": 1}, {"b": 2}, {"c": 3}]')],
    ['text', Buffer.from('Hello, world! This is plain text.')],
    ['text starting "HK"', Buffer.from('HKEY_LOCAL_MACHINE\\Software')],
    ['text starting "x^"', Buffer.from('x^2 + y^2 = z^2, a formula')],
    ['YAML', Buffer.from('model:\n  name: bert\n  dim: 768\n')],
    ['a zip file', Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00!\x00', 'latin1')],
    ['a numpy file', Buffer.from('\x93NUMPY\x01\x00v\x00{"descr": "<f4"', 'latin1')],
    ['zeros', Buffer.alloc(16)],
    ['nothing', Buffer.alloc(0)],
    ['a bare "BZh9"', Buffer.from('BZh9')],
  ])('does not misidentify %s', (_name, head) => {
    expect(sniffCompression(head)).toBeNull();
  });

  it('takes zlib headers at every level as candidates', () => {
    for (const flg of [0x01, 0x5e, 0x9c, 0xda]) {
      expect(sniffCompression(Buffer.from([0x78, flg, 0x4b, 0x4c, 0x4a, 0x06, 0x00]))).toBe('zlib');
    }
  });

  it('rejects zlib headers that need a preset dictionary or a reserved block type', () => {
    expect(sniffCompression(Buffer.from([0x78, 0xbb, 0x00, 0x00, 0x00, 0x01]))).toBeNull();
    expect(sniffCompression(Buffer.from([0x78, 0x9c, 0x07, 0x00]))).toBeNull();
  });

  it('accepts an empty bzip2 stream (end-of-stream magic straight after the header)', () => {
    expect(sniffCompression(Buffer.from('425a683917724538509000000000', 'hex'))).toBe('bz2');
  });
});
