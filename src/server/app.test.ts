import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/index.js';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { type Database, LocalBlobStore } from '../store/index.js';
import { testDatabases } from '../store/test-support.js';
import { createApp } from './app.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-app-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(testDatabases)('registry server on $name', ({ name, open }) => {
  let app: FastifyInstance;
  let database: Database;
  let admin: string;
  let publisher: string;
  let reader: string;
  const routes: { method: string; url: string }[] = [];
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    database = await open();
    const blobs = await LocalBlobStore.create(join(scratch, name));
    admin = (await bootstrapAdmin(database))!.token;
    publisher = (
      await issueToken(
        database,
        await createPrincipal(database, 'ci', 'service', [{ scope: 'sentiment', role: 'publisher' }]),
      )
    ).token;
    reader = (
      await issueToken(database, await createPrincipal(database, 'analyst', 'user', [{ scope: '*', role: 'reader' }]))
    ).token;
    app = await createApp({ database, blobs, maxFailedAuthPerMinute: 1000 });
    await app.ready();
    // Every route the app serves, as it registered them (HEAD routes come with GET ones).
    for (const route of app.routeTable) routes.push({ method: route.method, url: route.url });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('creates one admin token on first start and none on the next', async () => {
    expect(admin).toMatch(/^mls_/);
    expect(await bootstrapAdmin(database)).toBeUndefined();
  });

  it('every route but health, the OpenAPI document and the dashboard files refuses anonymous and bad tokens', async () => {
    // With a dashboard folder, so its routes are walked too: they serve files, which hold no data.
    const dashboardDir = join(scratch, `${name}-dashboard`);
    mkdirSync(join(dashboardDir, 'assets'), { recursive: true });
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>mlsecops</title>');
    writeFileSync(join(dashboardDir, 'assets', 'app.js'), 'export {};');
    const served = await createApp({
      database,
      blobs: await LocalBlobStore.create(join(scratch, `${name}-served`)),
      maxFailedAuthPerMinute: 1000,
      dashboardDir,
    });
    await served.ready();
    const publicUrls = ['/healthz', '/openapi.json', '/', '/assets/*'];
    expect(served.routeTable.length).toBeGreaterThanOrEqual(routes.length + 2);
    for (const route of served.routeTable) {
      const url = route.url.replace(':name', 'sentiment').replace(':number', '1').replace('*', 'app.js');
      const anonymous = await served.inject({ method: route.method as 'GET', url });
      const forged = await served.inject({
        method: route.method as 'GET',
        url,
        headers: auth(`mls_${'A'.repeat(43)}`),
      });
      if (publicUrls.includes(route.url)) {
        expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(200);
        expect(route.access).toEqual({ public: true });
      } else {
        expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(forged.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    }
    await served.close();
  });

  it('a route registered without declaring its access is refused at start', async () => {
    const bare = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, `${name}-bare`)) });
    expect(() => bare.get('/forgotten', async () => 'x')).toThrow(/declares no access/);
    await bare.close();
  });

  it('registers, uploads, scans: clean is available, malicious is rejected and only admins may fetch it', async () => {
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/models',
          headers: auth(reader),
          payload: { name: 'sentiment' },
        })
      ).statusCode,
    ).toBe(403);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/models',
      headers: auth(admin),
      payload: { name: 'sentiment', description: 'reviews' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const upload = (file: string, token: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/models/sentiment/versions',
        headers: { ...auth(token), 'content-type': 'application/octet-stream' },
        payload: readFileSync(join(examples, file)),
      });
    const clean = await upload('encoder.safetensors', publisher);
    expect(clean.statusCode, clean.body).toBe(201);
    expect(clean.json()).toMatchObject({ number: 1, status: 'available' });
    const evil = await upload('backdoored-classifier.pkl', publisher);
    expect(evil.json()).toMatchObject({ number: 2, status: 'rejected', scan: { worst: 'critical' } });
    expect(evil.json().scan.rules).toContain('pickle.dangerous-global');

    const fetch = (number: number, token: string) =>
      app.inject({ method: 'GET', url: `/api/v1/models/sentiment/versions/${number}/artifact`, headers: auth(token) });
    const good = await fetch(1, reader);
    expect(good.statusCode).toBe(200);
    expect(good.rawPayload.equals(readFileSync(join(examples, 'encoder.safetensors')))).toBe(true);
    expect(good.headers['x-content-sha256']).toBe(clean.json().digest);
    expect((await fetch(2, reader)).statusCode).toBe(403);
    expect((await fetch(2, admin)).statusCode).toBe(200);

    const versions = await app.inject({
      method: 'GET',
      url: '/api/v1/models/sentiment/versions',
      headers: auth(reader),
    });
    expect(versions.json().map((v: { status: string }) => v.status)).toEqual(['available', 'rejected']);
  });

  it('scopes roles to models: a publisher of one model cannot register another', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: auth(admin), payload: { name: 'other' } });
    const denied = await app.inject({
      method: 'POST',
      url: '/api/v1/models/other/versions',
      headers: { ...auth(publisher), 'content-type': 'application/octet-stream' },
      payload: Buffer.from('x'),
    });
    expect(denied.statusCode).toBe(403);
  });

  it('rejects traversal and encoded names in every form', async () => {
    for (const bad of [
      '..',
      '..%2f..%2fetc',
      '%2e%2e',
      '%252e%252e%252f',
      'a%5cb',
      'a;b',
      'a%00b',
      'A',
      `${'a'.repeat(300)}`,
      '.hidden',
    ]) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/models/${bad}/versions`, headers: auth(admin) });
      expect([400, 404, 414], bad).toContain(response.statusCode);
      expect(response.statusCode, bad).not.toBe(200);
    }
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/models',
      headers: auth(admin),
      payload: { name: '../escape' },
    });
    expect(created.statusCode).toBe(400);
  });

  it('serves an OpenAPI document naming the routes', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/models',
        '/api/v1/models/{name}/versions',
        '/api/v1/models/{name}/versions/{number}/artifact',
      ]),
    );
  });
});

describe('failed-authentication limit', () => {
  it('answers 429 after too many failures from one address', async () => {
    const database = await testDatabases[0]!.open();
    const app = await createApp({
      database,
      blobs: await LocalBlobStore.create(join(scratch, 'limit')),
      maxFailedAuthPerMinute: 3,
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await app.inject({ method: 'GET', url: '/api/v1/models', headers: { authorization: 'Bearer nope' } }))
          .statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    await app.close();
    await database.close();
  });
});

describe('gateway mounted in the registry server', () => {
  it('serves /gateway with registry tokens, per-model rights from the roles, and config keys alike', async () => {
    const model = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((done) => model.listen(0, '127.0.0.1', done));
    const upstream = `http://127.0.0.1:${(model.address() as AddressInfo).port}`;
    const config = parseGatewayConfig(`
keys: [{ id: cfg, sha256: '${createHash('sha256').update('config-key').digest('hex')}', models: ['*'] }]
models:
  ranker: { upstream: ${upstream} }
  secret: { upstream: ${upstream} }
`);
    const database = await testDatabases[0]!.open();
    const app = await createApp({
      database,
      blobs: await LocalBlobStore.create(join(scratch, 'mounted')),
      gateway: { config: () => config },
    });
    await bootstrapAdmin(database);
    const reader = (
      await issueToken(
        database,
        await createPrincipal(database, 'app', 'service', [{ scope: 'ranker', role: 'reader' }]),
      )
    ).token;
    const call = (path: string, token: string) =>
      app.inject({
        method: 'POST',
        url: `/gateway/${path}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: '{}',
      });
    expect((await call('ranker/predict', reader)).statusCode).toBe(200);
    expect((await call('secret/predict', reader)).statusCode).toBe(403);
    expect((await call('ranker/predict', 'config-key')).statusCode).toBe(200);
    expect((await call('ranker/predict', 'mls_nope')).statusCode).toBe(401);
    expect(
      app.routeTable.filter((route) => route.url.startsWith('/gateway')).every((route) => 'public' in route.access),
    ).toBe(true);
    await app.close();
    await database.close();
    model.close();
  });
});
