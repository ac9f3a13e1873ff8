// Differential check of the decompressors against Python (Debian python3 with python3-lz4).
// Not part of `npm test`: run it with `npx vitest run -c scripts/vitest.config.ts` after `apt-get install python3-lz4`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decompressBounded } from '../src/scan/compress/index.js';
import type { Compression } from '../src/scan/compress/types.js';
import { BufferSource } from '../src/scan/io/source.js';

// The property that matters for a scanner: whatever Python's readers (the ones pickle.load and joblib use) decode
// from a stream, this module decodes too, byte for byte, possibly followed by more. Checked on mutated real
// streams against Python itself. Skipped where Debian's python3 with python3-lz4 (as for gen.py) is missing.

const PYTHON = '/usr/bin/python3';
const available =
  existsSync(PYTHON) &&
  (() => {
    try {
      execFileSync(PYTHON, ['-c', 'import lz4.frame'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

const READERS = `
import bz2, gzip, io, lzma, sys, zlib
import lz4.frame
readers = {
    'gzip': lambda d: gzip.GzipFile(fileobj=io.BytesIO(d)).read(),
    'zlib': lambda d: zlib.decompress(d),
    'deflate-raw': lambda d: zlib.decompress(d, -15),
    'bz2': lambda d: bz2.BZ2File(io.BytesIO(d)).read(),
    'xz': lambda d: lzma.LZMAFile(io.BytesIO(d)).read(),
    'lzma': lambda d: lzma.LZMAFile(io.BytesIO(d)).read(),
    'lz4': lambda d: lz4.frame.LZ4FrameFile(io.BytesIO(d)).read(),
}
directory, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    kind = open(f'{directory}/{i}.kind').read()
    try:
        out = readers[kind](open(f'{directory}/{i}.in', 'rb').read())
        open(f'{directory}/{i}.out', 'wb').write(out)
    except Exception:
        pass
`;

const seeds: [Compression, string[]][] = [
  ['gzip', ['seed.gz', 'multi.gz', 'payload-fields.gz']],
  ['zlib', ['seed.zlib']],
  ['deflate-raw', ['seed.deflate']],
  ['bz2', ['seed.bz2', 'multi.bz2']],
  ['xz', ['seed.xz', 'mixed.xz', 'random.xz']],
  ['lzma', ['seed.lzma', 'multi.lzma', 'random.lzma']],
  ['lz4', ['seed.lz4', 'payload-independent.lz4', 'random.lz4', 'multi.lz4']],
];

/** Deterministic so a failure reproduces (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!available)('differential against Python', () => {
  const directory = mkdtempSync(join(tmpdir(), 'compress-diff-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('decodes at least what Python decodes from 1,400 mutated streams', async () => {
    const next = random(20240501);
    const cases: Compression[] = [];
    for (const [kind, names] of seeds) {
      for (let i = 0; i < 200; i++) {
        const data = Buffer.from(
          readFileSync(join(import.meta.dirname, '../src/scan/compress/testdata', names[i % names.length]!)),
        );
        for (let edits = 1 + Math.floor(next() * 2); edits > 0; edits--) {
          // Half the edits land in the first 40 bytes, where headers and tables are.
          const at = Math.floor(next() * (next() < 0.5 ? Math.min(40, data.length) : data.length));
          data[at] = next() < 0.5 ? Math.floor(next() * 256) : data[at]! ^ (1 << Math.floor(next() * 8));
        }
        writeFileSync(join(directory, `${cases.length}.in`), data);
        writeFileSync(join(directory, `${cases.length}.kind`), kind);
        cases.push(kind);
      }
    }
    execFileSync(PYTHON, ['-c', READERS, directory, String(cases.length)]);
    const missed: string[] = [];
    let decodedByPython = 0;
    for (const [i, kind] of cases.entries()) {
      const outPath = join(directory, `${i}.out`);
      if (!existsSync(outPath)) continue;
      decodedByPython++;
      const expected = readFileSync(outPath);
      const result = await decompressBounded(kind, new BufferSource(readFileSync(join(directory, `${i}.in`))), 1 << 26);
      if (!result.data.subarray(0, expected.length).equals(expected)) {
        missed.push(
          `case ${i} (${kind}): Python decoded ${expected.length} bytes, here ${result.error ?? 'other bytes'}`,
        );
      }
    }
    expect(missed).toEqual([]);
    // Mutations mostly break streams; enough must survive for the comparison to mean something.
    expect(decodedByPython).toBeGreaterThan(100);
  }, 120_000);
});
