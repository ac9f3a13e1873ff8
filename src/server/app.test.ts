import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditExport, verifyExport } from '../cli/commands/audit.js';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { type Database, LocalBlobStore, S3BlobStore } from '../store/index.js';
import { testDatabases } from '../store/test-support.js';
import { createApp } from './app.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-server-'));
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

  it('every route but health and the OpenAPI document refuses anonymous and bad tokens', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const route of routes) {
      const url = route.url.replace(':name', 'sentiment').replace(':number', '1');
      const anonymous = await app.inject({ method: route.method as 'GET', url });
      const forged = await app.inject({ method: route.method as 'GET', url, headers: auth(`mls_${'A'.repeat(43)}`) });
      if (route.url === '/healthz' || route.url === '/openapi.json') {
        expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(200);
        expect(app.routeTable.find((entry) => entry.url === route.url)?.access).toEqual({ public: true });
      } else {
        expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(forged.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    }
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

describe.each(testDatabases)('promotion on $name', ({ name, open }) => {
  let app: FastifyInstance;
  let database: Database;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    database = await open();
    tokens.admin = (await bootstrapAdmin(database))!.token;
    const make = async (principal: string, role: 'publisher' | 'approver') =>
      (await issueToken(database, await createPrincipal(database, principal, 'user', [{ scope: '*', role }]))).token;
    tokens.ci = await make('ci', 'publisher');
    tokens.reviewer = await make('reviewer', 'approver');
    tokens.second = await make('second', 'approver');
    app = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, `promo-${name}`)) });
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: as('admin'), payload: { name: 'ranker' } });
    for (const file of ['encoder.safetensors', 'embeddings.npy', 'backdoored-classifier.pkl']) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/models/ranker/versions',
        headers: { ...as('ci'), 'content-type': 'application/octet-stream' },
        payload: readFileSync(join(examples, file)),
      });
    }
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const promote = (version: number, alias: string, from?: number | null, who = 'admin') =>
    app.inject({
      method: 'PUT',
      url: `/api/v1/models/ranker/aliases/${alias}`,
      headers: as(who),
      payload: from === undefined ? { version } : { version, from },
    });
  const decide = (version: number, who: string, decision = 'approve') =>
    app.inject({
      method: 'POST',
      url: `/api/v1/models/ranker/versions/${version}/approvals`,
      headers: as(who),
      payload: { decision },
    });

  it('gates production on approvals by someone other than the uploader, and never promotes a rejected version', async () => {
    expect((await promote(1, 'staging')).statusCode).toBe(200);
    const blocked = await promote(1, 'production');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().message).toMatch(/0 of 1 approvals/);
    expect((await decide(1, 'ci')).statusCode).toBe(403); // a publisher cannot approve at all
    expect((await decide(1, 'reviewer')).statusCode).toBe(201);
    expect((await decide(1, 'reviewer')).statusCode).toBe(409);
    const gate = await app.inject({
      method: 'GET',
      url: '/api/v1/models/ranker/versions/1/gate?alias=production',
      headers: as('ci'),
    });
    expect(gate.json().passed).toBe(true);
    expect((await promote(1, 'production', null)).statusCode).toBe(200);
    await decide(3, 'reviewer');
    const rejected = await promote(3, 'production');
    expect(rejected.statusCode).toBe(403);
    expect(rejected.json().message).toMatch(/scan: version is rejected/);
    expect((await promote(1, 'production', null, 'ci')).statusCode).toBe(403); // publishers cannot promote
    const evidence = await database.db.selectFrom('gate_results').select(['alias', 'passed']).execute();
    expect(evidence.filter((row) => row.passed === 0).length).toBeGreaterThanOrEqual(2);
  });

  it('of two promotions from the same state, one wins and the other gets a clean conflict', async () => {
    await decide(2, 'reviewer');
    const [a, b] = await Promise.all([promote(2, 'production', 1), promote(2, 'production', 1)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect((await promote(1, 'production', 1)).statusCode).toBe(409);
  });

  it('answers which version production pointed to at a given time', async () => {
    const history = await app.inject({
      method: 'GET',
      url: '/api/v1/models/ranker/aliases/production/history',
      headers: as('ci'),
    });
    const moves = history.json().moves as { version: number; movedAt: string }[];
    expect(moves.map((move) => move.version)).toEqual([1, 2]);
    const before = new Date(Date.parse(moves[0]!.movedAt) - 1000).toISOString();
    const at = async (time: string) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/models/ranker/aliases/production/history?at=${time}`,
          headers: as('ci'),
        })
      ).json().at.version;
    expect(await at(before)).toBeNull();
    expect(await at(moves[0]!.movedAt)).toBe(1);
    expect(await at(moves[1]!.movedAt)).toBe(2);
  });
});

describe.each(testDatabases)('audit trail on $name', ({ name, open }) => {
  it('records every change, and the signed checkpoint exposes edits, deletions and reorderings made in the database', async () => {
    const database = await open();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const app = await createApp({
      database,
      blobs: await LocalBlobStore.create(join(scratch, `audit-${name}`)),
      auditKey: privateKey,
    });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    const approver = {
      authorization: `Bearer ${(await issueToken(database, await createPrincipal(database, 'rev', 'user', [{ scope: '*', role: 'approver' }]))).token}`,
    };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'audited' } });
    await app.inject({
      method: 'POST',
      url: '/api/v1/models/audited/versions',
      headers: { ...admin, 'content-type': 'application/octet-stream' },
      payload: readFileSync(join(examples, 'encoder.safetensors')),
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/models/audited/versions/1/approvals',
      headers: approver,
      payload: { decision: 'approve' },
    });
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/v1/models/audited/aliases/production',
          headers: admin,
          payload: { version: 1 },
        })
      ).statusCode,
    ).toBe(200);

    const fetchExport = async (): Promise<AuditExport> => {
      const key = (await app.inject({ method: 'GET', url: '/api/v1/audit/key', headers: admin })).json();
      const checkpoint = (await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoint', headers: admin })).body;
      const entries = (await app.inject({ method: 'GET', url: '/api/v1/audit/entries', headers: admin })).json()
        .entries;
      return { origin: key.origin, key: { name: key.name, pem: key.pem }, checkpoint, entries };
    };
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const original = await fetchExport();
    expect(original.entries.map((entry) => JSON.parse(entry).kind)).toEqual([
      'model.created',
      'version.uploaded',
      'version.scanned',
      'approval.recorded',
      'gate.evaluated',
      'alias.moved',
    ]);
    expect(verifyExport(original, pem).ok).toBe(true);

    const inclusion = (
      await app.inject({ method: 'GET', url: '/api/v1/audit/proof/inclusion?index=2&size=6', headers: admin })
    ).json();
    expect(inclusion.hashes.length).toBeGreaterThan(0);

    // Each edit is made in the database directly and checked against the checkpoint taken before it.
    const body = (seq: number) =>
      database.db.selectFrom('audit_entries').select('body').where('seq', '=', seq).executeTakeFirstOrThrow();
    const [b1, b2] = [(await body(1)).body, (await body(2)).body];
    const attempts: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        'edited',
        () =>
          database.db
            .updateTable('audit_entries')
            .set({ body: b1.replace('"size":', '"size":1') })
            .where('seq', '=', 1)
            .execute(),
        () => database.db.updateTable('audit_entries').set({ body: b1 }).where('seq', '=', 1).execute(),
      ],
      [
        'reordered',
        async () => {
          await database.db.updateTable('audit_entries').set({ body: b2 }).where('seq', '=', 1).execute();
          await database.db.updateTable('audit_entries').set({ body: b1 }).where('seq', '=', 2).execute();
        },
        async () => {
          await database.db.updateTable('audit_entries').set({ body: b1 }).where('seq', '=', 1).execute();
          await database.db.updateTable('audit_entries').set({ body: b2 }).where('seq', '=', 2).execute();
        },
      ],
      ['deleted', () => database.db.deleteFrom('audit_entries').where('seq', '=', 5).execute(), async () => {}],
    ];
    for (const [what, tamper, undo] of attempts) {
      await tamper();
      const after = await fetchExport();
      const verdict = verifyExport({ ...after, checkpoint: original.checkpoint }, pem);
      expect(verdict.ok, what).toBe(false);
      await undo();
    }
    await app.close();
    await database.close();
  });
});

describe.each(testDatabases)('accounts and tokens on $name', ({ name, open }) => {
  it('admins create service accounts and tokens, revoke them, and every change is audited', async () => {
    const database = await open();
    const app = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, `accounts-${name}`)) });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/principals',
      headers: admin,
      payload: { name: 'ci-bot', kind: 'service', bindings: [{ scope: 'ranker', role: 'publisher' }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/principals',
          headers: admin,
          payload: { name: 'ci-bot', kind: 'service' },
        })
      ).statusCode,
    ).toBe(409);
    const issued = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/principals/${id}/tokens`,
        headers: admin,
        payload: { ttlDays: 30 },
      })
    ).json();
    expect(issued.token).toMatch(/^mls_/);
    expect(Date.parse(issued.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const bot = { authorization: `Bearer ${issued.token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/principals', headers: bot })).statusCode).toBe(403);
    const stored = await database.db
      .selectFrom('tokens')
      .select('hash')
      .where('id', '=', issued.id)
      .executeTakeFirstOrThrow();
    expect(stored.hash).not.toContain(issued.token.slice(4));
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${issued.id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/models/ranker/versions', headers: bot })).statusCode).toBe(
      401,
    );
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${issued.id}`, headers: admin })).statusCode,
    ).toBe(404);
    const kinds = (await app.inject({ method: 'GET', url: '/api/v1/audit/entries', headers: admin }))
      .json()
      .entries.map((e: string) => JSON.parse(e).kind);
    expect(kinds).toEqual(['principal.created', 'token.issued', 'token.revoked']);
    await database.db
      .updateTable('tokens')
      .set({ revoked_at: null, expires_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', issued.id)
      .execute();
    expect((await app.inject({ method: 'GET', url: '/api/v1/models/ranker/versions', headers: bot })).statusCode).toBe(
      401,
    );
    await app.close();
    await database.close();
  });
});

describe.each(testDatabases)('annotations and evidence on $name', ({ name, open }) => {
  it('stores tags, a model card and lineage, bounds their size, and the gate can require them', async () => {
    const database = await open();
    const app = await createApp({
      database,
      blobs: await LocalBlobStore.create(join(scratch, `notes-${name}`)),
      gatePolicy: { approvals: { default: 0 }, requireEvidence: { production: ['modelCard', 'lineage'] } },
    });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'carded' } });
    for (let i = 0; i < 2; i++) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/models/carded/versions',
        headers: { ...admin, 'content-type': 'application/octet-stream' },
        payload: readFileSync(join(examples, 'encoder.safetensors')),
      });
    }
    const patch = (payload: unknown) =>
      app.inject({
        method: 'PATCH',
        url: '/api/v1/models/carded/versions/2',
        headers: admin,
        payload: payload as object,
      });
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/v1/models/carded/aliases/production',
          headers: admin,
          payload: { version: 2 },
        })
      ).json().message,
    ).toMatch(/no model card.*no lineage/);
    expect((await patch({ tags: ['bad tag with spaces'] })).statusCode).toBe(400);
    expect((await patch({ modelCard: 'x'.repeat(70 * 1024) })).statusCode).toBe(400);
    expect((await patch({ lineage: { parents: [{ model: 'carded', version: 9 }] } })).statusCode).toBe(400);
    const ok = await patch({
      tags: ['nlp', 'v2'],
      modelCard: '# Carded\nA ranker.',
      lineage: {
        datasets: [{ name: 'train.csv', sha256: 'a'.repeat(64) }],
        parents: [{ model: 'carded', version: 1 }],
      },
      metadata: { epochs: 3, framework: 'torch' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const version = (
      await app.inject({ method: 'GET', url: '/api/v1/models/carded/versions/2', headers: admin })
    ).json();
    expect(version.annotations).toMatchObject({
      tags: ['nlp', 'v2'],
      metadata: { epochs: 3 },
      lineage: { parents: [{ model: 'carded', version: 1 }] },
    });
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/v1/models/carded/aliases/production',
          headers: admin,
          payload: { version: 2 },
        })
      ).statusCode,
    ).toBe(200);
    await app.close();
    await database.close();
  });
});

describe('registry server on object storage', () => {
  it('uploads, scans and serves artifacts kept in an S3-compatible server', async () => {
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(scratch, 's3-server') });
    const { port } = await s3.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    await new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials }).send(
      new CreateBucketCommand({ Bucket: 'registry' }),
    );
    const database = await testDatabases[0]!.open();
    const blobs = await S3BlobStore.create(
      `s3://registry/blobs?endpoint=${endpoint}`,
      join(scratch, 's3-cache'),
      credentials,
    );
    const app = await createApp({ database, blobs });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'stored' } });
    const upload = async (file: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/models/stored/versions',
          headers: { ...admin, 'content-type': 'application/octet-stream' },
          payload: readFileSync(join(examples, file)),
        })
      ).json();
    expect(await upload('encoder.safetensors')).toMatchObject({ status: 'available' });
    expect(await upload('backdoored-classifier.pkl')).toMatchObject({ status: 'rejected' });
    const download = await app.inject({
      method: 'GET',
      url: '/api/v1/models/stored/versions/1/artifact',
      headers: admin,
    });
    expect(download.rawPayload.equals(readFileSync(join(examples, 'encoder.safetensors')))).toBe(true);
    await app.close();
    await database.close();
    await s3.close();
  });
});

describe('archive uploads', () => {
  it('rejects archives whose member names or types an extractor must not trust', async () => {
    const database = await testDatabases[0]!.open();
    const app = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, 'archives')) });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'packed' } });
    const archives = resolve(import.meta.dirname, '../scan/archive/testdata');
    const statusOf = async (file: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/models/packed/versions',
          headers: { ...admin, 'content-type': 'application/octet-stream' },
          payload: readFileSync(join(archives, file)),
        })
      ).json().status;
    expect(await statusOf('clean.tar')).toBe('available');
    for (const file of ['climbing.tar', 'absolute.tar', 'special.tar', 'slip.zip', 'control-chars.zip']) {
      expect(await statusOf(file), file).toBe('rejected');
    }
    // A JSON body naming a source path or URI is not an upload: the registry never reads caller-chosen paths.
    const bySource = await app.inject({
      method: 'POST',
      url: '/api/v1/models/packed/versions',
      headers: admin,
      payload: { source: 'file:///etc/passwd' },
    });
    expect(bySource.statusCode).toBe(415);
    await app.close();
    await database.close();
  });
});

describe.each(testDatabases)('deleting versions on $name', ({ name, open }) => {
  it('needs the delete permission, keeps history, refuses while an alias points there, and resists encoded traversal', async () => {
    const database = await open();
    const app = await createApp({
      database,
      blobs: await LocalBlobStore.create(join(scratch, `delete-${name}`)),
      gatePolicy: { approvals: { default: 0 } },
    });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    const ci = {
      authorization: `Bearer ${(await issueToken(database, await createPrincipal(database, 'ci', 'service', [{ scope: '*', role: 'publisher' }]))).token}`,
    };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'pruned' } });
    for (let i = 0; i < 2; i++) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/models/pruned/versions',
        headers: { ...ci, 'content-type': 'application/octet-stream' },
        payload: readFileSync(join(examples, 'encoder.safetensors')),
      });
    }
    const remove = (path: string, headers = admin) =>
      app.inject({ method: 'DELETE', url: `/api/v1/models/${path}`, headers });
    expect((await remove('pruned/versions/1', ci)).statusCode).toBe(403); // registering is not deleting
    await app.inject({
      method: 'PUT',
      url: '/api/v1/models/pruned/aliases/staging',
      headers: admin,
      payload: { version: 2 },
    });
    expect((await remove('pruned/versions/2')).statusCode).toBe(409);
    for (const path of [
      '..%2f..%2fpruned/versions/1',
      '%2e%2e/versions/1',
      '%252e%252e%252fpruned/versions/1',
      'pruned%2fversions%2f1/versions/1',
      'pruned/versions/1%00',
      'pruned/versions/..%2f1',
    ]) {
      expect([400, 404], path).toContain((await remove(path)).statusCode);
    }
    expect((await remove('pruned/versions/1')).statusCode).toBe(204);
    expect((await remove('pruned/versions/1')).statusCode).toBe(404);
    const versions = (
      await app.inject({ method: 'GET', url: '/api/v1/models/pruned/versions', headers: admin })
    ).json();
    expect(versions.map((v: { status: string }) => v.status)).toEqual(['deleted', 'available']);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/models/pruned/versions/1/artifact', headers: admin }))
        .statusCode,
    ).toBe(404);
    // Bearer tokens only: a cookie authenticates nothing, so cross-site requests carry no authority.
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: '/api/v1/models/pruned/versions/2',
          headers: { cookie: 'session=x' },
        })
      ).statusCode,
    ).toBe(401);
    await app.close();
    await database.close();
  });
});

describe.each(testDatabases)('concurrent uploads on $name', ({ name, open }) => {
  it('numbers concurrent uploads uniquely and consecutively', async () => {
    const database = await open();
    const app = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, `concurrent-${name}`)) });
    const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'busy' } });
    const bytes = readFileSync(join(examples, 'embeddings.npy'));
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/models/busy/versions',
          headers: { ...admin, 'content-type': 'application/octet-stream' },
          payload: Buffer.concat([bytes, Buffer.from([i])]),
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(results.map((r) => r.json().number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    await app.close();
    await database.close();
  });
});
