import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
function serve(): Promise<{ child: ChildProcess; address: string; stderr: string; logs: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', '0', '--data-dir', dataDir],
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
});
