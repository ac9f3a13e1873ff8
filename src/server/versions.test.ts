import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { S3BlobStore } from '../store/index.js';
import { testDatabases } from '../store/test-support.js';
import { createApp } from './app.js';
import { registryApp, upload } from './test-support.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-versions-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(testDatabases)('accounts and tokens on $name', ({ name, open }) => {
  it('admins create service accounts and tokens, revoke them, and every change is audited', async () => {
    const { app, database, admin, close } = await registryApp(open, join(scratch, `accounts-${name}`));
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
    await close();
  });
});

describe.each(testDatabases)('annotations and evidence on $name', ({ name, open }) => {
  it('stores tags, a model card and lineage, bounds their size, and the gate can require them', async () => {
    const { app, admin, close } = await registryApp(open, join(scratch, `notes-${name}`), {
      gatePolicy: { approvals: { default: 0 }, requireEvidence: { production: ['modelCard', 'lineage'] } },
    });
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'carded' } });
    for (let i = 0; i < 2; i++) {
      await upload(app, '/api/v1/models/carded/versions', admin, readFileSync(join(examples, 'encoder.safetensors')));
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
    await close();
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
    const push = async (file: string) =>
      (await upload(app, '/api/v1/models/stored/versions', admin, readFileSync(join(examples, file)))).json();
    expect(await push('encoder.safetensors')).toMatchObject({ status: 'available' });
    expect(await push('backdoored-classifier.pkl')).toMatchObject({ status: 'rejected' });
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
    const { app, admin, close } = await registryApp(() => testDatabases[0]!.open(), join(scratch, 'archives'));
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'packed' } });
    const archives = resolve(import.meta.dirname, '../scan/archive/testdata');
    const statusOf = async (file: string) =>
      (await upload(app, '/api/v1/models/packed/versions', admin, readFileSync(join(archives, file)))).json().status;
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
    await close();
  });
});

describe.each(testDatabases)('deleting versions on $name', ({ name, open }) => {
  it('needs the delete permission, keeps history, refuses while an alias points there, and resists encoded traversal', async () => {
    const { app, database, admin, close } = await registryApp(open, join(scratch, `delete-${name}`), {
      gatePolicy: { approvals: { default: 0 } },
    });
    const ci = {
      authorization: `Bearer ${(await issueToken(database, await createPrincipal(database, 'ci', 'service', [{ scope: '*', role: 'publisher' }]))).token}`,
    };
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'pruned' } });
    for (let i = 0; i < 2; i++) {
      await upload(app, '/api/v1/models/pruned/versions', ci, readFileSync(join(examples, 'encoder.safetensors')));
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
    await close();
  });
});

describe.each(testDatabases)('concurrent uploads on $name', ({ name, open }) => {
  it('numbers concurrent uploads uniquely and consecutively', async () => {
    const { app, admin, close } = await registryApp(open, join(scratch, `concurrent-${name}`));
    await app.inject({ method: 'POST', url: '/api/v1/models', headers: admin, payload: { name: 'busy' } });
    const bytes = readFileSync(join(examples, 'embeddings.npy'));
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upload(app, '/api/v1/models/busy/versions', admin, Buffer.concat([bytes, Buffer.from([i])])),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(results.map((r) => r.json().number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    await close();
  });
});

describe.each(testDatabases)('changing roles on $name', ({ name, open }) => {
  it('takes effect on the next request and is audited with the roles before and after', async () => {
    const { app, admin, close } = await registryApp(open, join(scratch, `roles-${name}`));
    const id = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/principals',
        headers: admin,
        payload: { name: 'analyst', kind: 'user', bindings: [{ scope: '*', role: 'reader' }] },
      })
    ).json().id;
    const token = (await app.inject({ method: 'POST', url: `/api/v1/principals/${id}/tokens`, headers: admin })).json()
      .token;
    const analyst = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/principals', headers: analyst })).statusCode).toBe(403);
    const changed = await app.inject({
      method: 'PUT',
      url: `/api/v1/principals/${id}/bindings`,
      headers: admin,
      payload: { bindings: [{ scope: '*', role: 'admin' }] },
    });
    expect(changed.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/principals', headers: analyst })).statusCode).toBe(200);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/v1/principals/999/bindings',
          headers: admin,
          payload: { bindings: [] },
        })
      ).statusCode,
    ).toBe(404);
    const entries = (await app.inject({ method: 'GET', url: '/api/v1/audit/entries', headers: admin }))
      .json()
      .entries.map((e: string) => JSON.parse(e));
    const change = entries.find((entry: { kind: string }) => entry.kind === 'roles.changed');
    expect(change.details).toEqual({
      principal: 'analyst',
      before: [{ scope: '*', role: 'reader' }],
      after: [{ scope: '*', role: 'admin' }],
    });
    await close();
  });
});
