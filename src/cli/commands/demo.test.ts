import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../registry/index.js';
import { createApp } from '../../server/index.js';
import { LocalBlobStore, openDatabase } from '../../store/index.js';
import { cli } from '../test-support.js';

/** `mlsecops demo` in-process: its own registry in a demo home, or a running one over HTTP. */
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-demo-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const storyLines = (stdout: string) =>
  stdout.split('\n').filter((line) => /^ {2}(accounts|v\d \w+|monitor):/.test(line));
const tokenIn = (stdout: string) => /Admin token \(sign in with it\): (mls_\S+)/.exec(stdout)?.[1];

describe('mlsecops demo --no-serve', () => {
  const home = join(scratch, 'home');

  it('seeds its own registry once, prints the story, the URL and the admin token', async () => {
    const started = performance.now();
    const first = await cli(['demo', '--no-serve', '--home', home]);
    const seconds = (performance.now() - started) / 1000;
    expect(first.code, first.stderr).toBe(0);
    expect(storyLines(first.stdout)).toHaveLength(5);
    expect(first.stdout).toMatch(/Registry: http:\/\/127\.0\.0\.1:\d+/);
    const token = tokenIn(first.stdout);
    expect(token).toMatch(/^mls_/);
    expect(seconds).toBeLessThan(30);
    for (const file of ['registry.db', 'admin-token', 'audit-ed25519.pub.pem', 'datasets/transactions-v2.csv'])
      expect(existsSync(join(home, file)), file).toBe(true);

    const second = await cli(['demo', '--no-serve', '--home', home]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already seeded; `mlsecops demo --reset`/);
    expect(storyLines(second.stdout)).toEqual([]);
    expect(tokenIn(second.stdout)).toBe(token);
  });

  it('--reset starts over with a fresh registry', async () => {
    const before = readFileSync(join(home, 'admin-token'), 'utf8').trim();
    const reset = await cli(['demo', '--no-serve', '--reset', '--home', home]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(storyLines(reset.stdout)).toHaveLength(5);
    expect(tokenIn(reset.stdout)).not.toBe(before);
  });

  it('never takes over or wipes a folder it did not make', async () => {
    const other = join(scratch, 'precious');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    for (const args of [[], ['--reset']]) {
      const refused = await cli(['demo', '--no-serve', '--home', other, ...args]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/not a demo home/);
    }
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

describe('mlsecops demo --server', () => {
  it('seeds a running registry over HTTP with an admin token, once', async () => {
    const database = await openDatabase({ url: ':memory:' });
    const app = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, 'remote-blobs')) });
    const server = await app.listen({ host: '127.0.0.1', port: 0 });
    const env = { DEMO_ADMIN: (await bootstrapAdmin(database))!.token };
    try {
      const args = ['demo', '--server', server, '--token-env', 'DEMO_ADMIN', '--home', join(scratch, 'remote')];
      expect((await cli(args, {})).stderr).toMatch(/needs an admin token in \$DEMO_ADMIN/);
      const seeded = await cli(args, env);
      expect(seeded.code, seeded.stderr).toBe(0);
      expect(storyLines(seeded.stdout)).toHaveLength(5);
      expect(seeded.stdout).toMatch(/unsigned/);
      expect(existsSync(join(scratch, 'remote', 'datasets', 'transactions-v1.csv'))).toBe(true);
      const again = await cli(args, env);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/already has a model named fraud-detector: not seeded again/);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
