import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/index.js';

const root = resolve(import.meta.dirname, '../..');
const redisUrl = process.env.MLSECOPS_TEST_REDIS_URL;
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-gateway-'));
const children: ChildProcess[] = [];
let upstream: Server;

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  upstream?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function startGateway(config: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'gateway', '--config', config, '--port', '0', ...extra],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited ${code}: ${stderr}`)));
  });
}

describe('gateway events', () => {
  it('writes one event per request to the JSON-lines file and the event store, all of them by exit', async () => {
    const model = createServer((_request, response) => response.writeHead(200).end('{"score":0.5}'));
    await new Promise<void>((done) => model.listen(0, '127.0.0.1', done));
    const key = randomBytes(12).toString('hex');
    const config = join(scratch, 'events.yaml');
    writeFileSync(
      config,
      `keys:
  - id: events-test
    sha256: "${createHash('sha256').update(key).digest('hex')}"
    models: ["*"]
models:
  ranker: { upstream: "http://127.0.0.1:${(model.address() as AddressInfo).port}" }
`,
    );
    const file = join(scratch, 'events.jsonl');
    const store = join(scratch, 'events.db');
    const url = await startGateway(config, {}, ['--events', file, '--event-store', store]);
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${url}/ranker/predict`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [[i, 1]] }),
      });
      expect(response.status).toBe(200);
    }
    // Stopping flushes the queue and lets the writer thread finish before the process ends.
    const child = children.at(-1)!;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    model.close();

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ model: 'ranker', key: 'events-test', status: 200 });
    const database = await openDatabase({ url: store });
    const rows = await database.db.selectFrom('gateway_events').select(['model', 'caller', 'status']).execute();
    await database.close();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ model: 'ranker', caller: 'events-test', status: 200 });
  }, 60_000);
});

describe('gateway start', () => {
  it('does not start when the Redis for shared limits cannot be reached', async () => {
    const config = join(scratch, 'no-redis.yaml');
    writeFileSync(config, 'keys: []\nmodels:\n  m: { upstream: "http://127.0.0.1:9" }\n');
    await expect(startGateway(config, { MLSECOPS_REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(
      /exited 2: mlsecops: cannot reach Redis \(MLSECOPS_REDIS_URL\): connect ECONNREFUSED/,
    );
  }, 60_000);
});

// Two gateway processes sharing their limits through the real Redis (set by .ci/run).
describe.skipIf(!redisUrl)('gateway replicas on Redis', () => {
  beforeAll(async () => {
    upstream = createServer((_request, response) => response.writeHead(200).end('{}'));
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  });

  it('share one key budget: across both replicas exactly the burst is allowed', async () => {
    const key = randomBytes(12).toString('hex');
    const config = join(scratch, 'gateway.yaml');
    writeFileSync(
      config,
      `keys:
  - id: replicas-${key.slice(0, 8)}
    sha256: "${createHash('sha256').update(key).digest('hex')}"
    models: ["*"]
    limits: { requestsPerMinute: 1, burst: 6 }
models:
  echo: { upstream: "http://127.0.0.1:${(upstream.address() as AddressInfo).port}" }
`,
    );
    const env = { MLSECOPS_REDIS_URL: redisUrl };
    const [a, b] = await Promise.all([startGateway(config, env), startGateway(config, env)]);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${i % 2 ? a : b}/echo/x`, { headers: { 'x-api-key': key } });
      statuses.push(response.status);
    }
    expect(
      statuses.filter((status) => status === 200),
      String(statuses),
    ).toHaveLength(6);
    expect(
      statuses.filter((status) => status === 429),
      String(statuses),
    ).toHaveLength(4);
  }, 60_000);
});
