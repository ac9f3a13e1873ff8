import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './test-support.js';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'mlsecops-serve-'));
const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `mlsecops serve` on a free port; resolves with its address and what it printed. */
function serve(dir = dataDir): Promise<{ child: ChildProcess; address: string; stderr: string; logs: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', '0', '--data-dir', dir],
    {
      cwd: root,
      env: { ...process.env, MLSECOPS_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.push(child);
  let stderr = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, address: match[1]!.replace(/\s*\(.*$/, ''), stderr, logs: () => stdout });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

describe('mlsecops serve', () => {
  it('starts on embedded defaults, prints the admin token once, and keeps its data across restarts', async () => {
    const first = await serve();
    const token = /\n {2}(mls_[A-Za-z0-9_-]{43})\n/.exec(first.stderr)?.[1];
    expect(token).toBeDefined();
    expect(statSync(join(dataDir, 'registry.db')).isFile()).toBe(true);
    expect(statSync(join(dataDir, 'blobs')).mode & 0o777).toBe(0o700);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${first.address}/api/v1/models`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'kept' }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${first.address}/api/v1/models`)).status).toBe(401);
    // Structured request logs are written, and never hold the token.
    await new Promise((done) => setTimeout(done, 200));
    expect(first.logs()).toMatch(/"url":"\/api\/v1\/models"/);
    expect(first.logs()).not.toContain(token);
    // The audit log: export it, verify it with the key the server wrote at first start, then edit
    // the database directly and see the same checkpoint reject the edited log.
    const env = { MLSECOPS_TOKEN: token };
    const exportFile = join(dataDir, 'audit.json');
    const publicKey = join(dataDir, 'audit-ed25519.pub.pem');
    const exported = await cli(['audit', 'export', '--server', first.address, '--out', exportFile], env);
    expect(exported.code, exported.stderr).toBe(0);
    const verified = await cli(['audit', 'verify', '--export', exportFile, '--public-key', publicKey]);
    expect(verified.stdout, verified.stderr).toMatch(/verified: \d+ audit entries/);
    const before = JSON.parse(readFileSync(exportFile, 'utf8'));
    const db = new Sqlite(join(dataDir, 'registry.db'));
    db.prepare("update audit_entries set body = replace(body, 'kept', 'kepT') where kind = 'model.created'").run();
    db.close();
    const edited = join(dataDir, 'audit-edited.json');
    expect((await cli(['audit', 'export', '--server', first.address, '--out', edited], env)).code).toBe(0);
    const tampered = { ...JSON.parse(readFileSync(edited, 'utf8')), checkpoint: before.checkpoint };
    writeFileSync(edited, JSON.stringify(tampered));
    const rejected = await cli(['audit', 'verify', '--export', edited, '--public-key', publicKey]);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/NOT VERIFIED/);

    first.child.kill('SIGKILL'); // no clean shutdown: the data must survive a crash
    await new Promise((done) => first.child.once('exit', done));

    const second = await serve();
    expect(second.stderr).not.toMatch(/mls_/);
    const models = await fetch(`${second.address}/api/v1/models`, { headers });
    expect(await models.json()).toEqual([expect.objectContaining({ name: 'kept' })]);
    second.child.kill('SIGTERM');
  }, 60_000);

  it('a server killed in the middle of an upload comes back with no half-visible version and no leftovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlsecops-crash-'));
    try {
      const first = await serve(dir);
      const token = /\n {2}(mls_[A-Za-z0-9_-]{43})\n/.exec(first.stderr)?.[1] as string;
      const headers = { authorization: `Bearer ${token}` };
      await fetch(`${first.address}/api/v1/models`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'crashy' }),
      });
      // Send half an upload, then kill the server while it waits for the rest.
      const url = new URL(`${first.address}/api/v1/models/crashy/versions`);
      const request = httpRequest(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(2 << 20) },
      });
      request.on('error', () => {});
      request.write(Buffer.alloc(1 << 20, 7));
      await new Promise((done) => setTimeout(done, 500));
      expect(readdirSync(join(dir, 'blobs', 'incoming')).length).toBe(1);
      first.child.kill('SIGKILL');
      await new Promise((done) => first.child.once('exit', done));

      const second = await serve(dir);
      const versions = await fetch(`${second.address}/api/v1/models/crashy/versions`, { headers });
      expect(await versions.json()).toEqual([]);
      expect(readdirSync(join(dir, 'blobs', 'incoming'))).toEqual([]);
      second.child.kill('SIGTERM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
