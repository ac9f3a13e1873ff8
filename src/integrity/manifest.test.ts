import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashPool } from './hash-pool.js';
import { computeManifest, serializationFor } from './manifest.js';
import { comparePaths, ModelPathError, modelFiles } from './model-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-manifest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
function folder(files: Record<string, string | Buffer>): string {
  const root = join(scratch, `m${folders++}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

// Names chosen where JavaScript's string order differs from pathlib's: `a/b` sorts before `a-c`
// component by component, and U+FFFF before U+1F600 by code point (not by UTF-16 unit).
const TREE = {
  'a/b': 'x',
  'a-c': 'y',
  'a.bin': 'alpha\n',
  empty: '',
  'sub/deep/c.txt': 'gamma',
  'z\uffff': 'last-bmp',
  'z\u{1F600}': 'smile',
  'été.txt': 'summer',
};

// Computed independently with Python's pathlib and hashlib:
//   order = sorted(files, key=PurePosixPath); root = sha256(b''.join(sha256(files[p]).digest() for p in order))
const FILES_ROOT = '8b5c691e0e7b11ccf1cb0677fb42d3dda5d11643ae6bc55f7023d3af7a792fe6';
// The same with 4-byte shards named path:start:end; the empty file has none.
const SHARDS_ROOT = 'c3637add5b4878becf08034066b5fbbd45202e380513ba8afa821caf86eb551d';

describe('computeManifest', () => {
  it('lists files in pathlib order and computes the model signing root', async () => {
    const manifest = await computeManifest(folder(TREE), serializationFor());
    expect(manifest.resources.map((r) => r.name)).toEqual([
      'a/b',
      'a-c',
      'a.bin',
      'empty',
      'sub/deep/c.txt',
      'z\uffff',
      'z\u{1F600}',
      'été.txt',
    ]);
    expect(manifest.resources.find((r) => r.name === 'a.bin')?.digest).toBe(
      createHash('sha256').update('alpha\n').digest('hex'),
    );
    expect(manifest.rootDigest).toBe(FILES_ROOT);
  });

  it('shards files, names shards path:start:end and gives an empty file none', async () => {
    const manifest = await computeManifest(folder(TREE), serializationFor({ method: 'shards', shardSize: 4 }));
    expect(manifest.resources.map((r) => r.name)).toEqual([
      'a/b:0:1',
      'a-c:0:1',
      'a.bin:0:4',
      'a.bin:4:6',
      'sub/deep/c.txt:0:4',
      'sub/deep/c.txt:4:5',
      'z\uffff:0:4',
      'z\uffff:4:8',
      'z\u{1F600}:0:4',
      'z\u{1F600}:4:5',
      'été.txt:0:4',
      'été.txt:4:6',
    ]);
    expect(manifest.rootDigest).toBe(SHARDS_ROOT);
    expect(manifest.serialization.shardSize).toBe(4);
  });

  it('leaves out git paths and the signature file by default, and extra ignored paths', async () => {
    const root = folder({
      'model.bin': 'weights',
      '.git/HEAD': 'ref',
      '.gitignore': '*',
      '.gitattributes': '*',
      '.github/workflows/ci.yml': 'on: push',
      'model.sig': '{}',
      'docs/notes.md': 'notes',
      'docs.md': 'kept',
    });
    const names = async (options: Parameters<typeof serializationFor>[0]) =>
      (await computeManifest(root, serializationFor(options))).resources.map((r) => r.name);
    expect(await names({})).toEqual(['docs/notes.md', 'docs.md', 'model.bin']);
    expect(await names({ ignorePaths: ['docs'] })).toEqual(['docs.md', 'model.bin']);
    expect(await names({ ignoreGitPaths: false, signature: null })).toContain('.git/HEAD');
  });

  it('hashes large files on worker threads with the same result', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const root = folder({ 'big.bin': big, 'small.bin': 'tiny' });
    const pool = new HashPool(2);
    try {
      const manifest = await computeManifest(
        root,
        serializationFor({ method: 'shards', shardSize: 1024 * 1024 }),
        pool,
      );
      expect(manifest.resources).toHaveLength(5);
      expect(manifest.resources[3]?.name).toBe('big.bin:3145728:3145745');
      expect(manifest.resources[0]?.digest).toBe(
        createHash('sha256')
          .update(big.subarray(0, 1024 * 1024))
          .digest('hex'),
      );
      const whole = await computeManifest(root, serializationFor(), pool);
      expect(whole.resources[0]?.digest).toBe(createHash('sha256').update(big).digest('hex'));
    } finally {
      await pool.close();
    }
  });

  it('names a single-file model by its file name', async () => {
    const root = folder({ 'model.safetensors': 'bytes' });
    const manifest = await computeManifest(join(root, 'model.safetensors'), serializationFor());
    expect(manifest.modelName).toBe('model.safetensors');
    expect(manifest.resources.map((r) => r.name)).toEqual(['model.safetensors']);
  });
});

describe('modelFiles', () => {
  it('refuses symlinks unless allowed, then hashes their targets and stops at cycles', async () => {
    const root = folder({ 'real.bin': 'data', 'dir/x.bin': 'x' });
    symlinkSync(join(root, 'real.bin'), join(root, 'link.bin'));
    await expect(modelFiles(root, { ignore: [], allowSymlinks: false })).rejects.toThrow(ModelPathError);
    const files = await modelFiles(root, { ignore: [], allowSymlinks: true });
    expect(files.map((f) => f.name)).toEqual(['dir/x.bin', 'link.bin', 'real.bin']);
    expect(files[1]?.path).toBe(join(root, 'real.bin'));
    symlinkSync(root, join(root, 'dir', 'loop'));
    await expect(modelFiles(root, { ignore: [], allowSymlinks: true })).rejects.toThrow(/cycle/);
  });

  it('refuses a FIFO with a clear error instead of blocking on it', async () => {
    const root = folder({ 'a.bin': 'a' });
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await expect(modelFiles(root, { ignore: [], allowSymlinks: false })).rejects.toThrow(/neither a file nor a folder/);
  });

  it('reports a missing model path', async () => {
    await expect(modelFiles(join(scratch, 'nope'), { ignore: [], allowSymlinks: false })).rejects.toThrow(/ENOENT/);
  });
});

describe('comparePaths', () => {
  it('orders like pathlib', () => {
    const names = ['a-c', 'a/b', 'a', 'b', 'a/b/c', 'z\u{1F600}', 'z\uffff', 'A'];
    expect([...names].sort(comparePaths)).toEqual(['A', 'a', 'a/b', 'a/b/c', 'a-c', 'b', 'z\uffff', 'z\u{1F600}']);
  });
});
