import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobError, LocalBlobStore } from './blobs.js';
import { migrateToLatest } from './migrations.js';
import { testDatabases } from './test-support.js';

describe.each(testDatabases)('registry database on $name', ({ name, open }) => {
  it('applies the migrations once, then finds nothing to apply', async () => {
    const database = await open();
    try {
      expect(await migrateToLatest(database.db as never, database.dialect)).toEqual([]);
      expect(database.dialect).toBe(name);
    } finally {
      await database.close();
    }
  });

  it('numbers versions uniquely per model and enforces references', async () => {
    const database = await open();
    const { db } = database;
    try {
      const now = new Date().toISOString();
      const { id: principal } = await db
        .insertInto('principals')
        .values({ name: 'admin', kind: 'user', created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { id: model } = await db
        .insertInto('models')
        .values({ name: 'sentiment', description: '', created_at: now, created_by: principal })
        .returning('id')
        .executeTakeFirstOrThrow();
      const version = {
        model_id: model,
        number: 1,
        status: 'quarantined' as const,
        artifact_digest: null,
        artifact_size: null,
        metadata: '{}',
        created_at: now,
        created_by: principal,
      };
      await db.insertInto('model_versions').values(version).execute();
      await expect(db.insertInto('model_versions').values(version).execute()).rejects.toThrow();
      await expect(
        db
          .insertInto('model_versions')
          .values({ ...version, number: 2, model_id: 9999 })
          .execute(),
      ).rejects.toThrow();
      const big = await db
        .insertInto('model_versions')
        .values({ ...version, number: 3, artifact_size: 5 * 2 ** 40 })
        .returning('artifact_size')
        .executeTakeFirstOrThrow();
      expect(Number(big.artifact_size)).toBe(5 * 2 ** 40);
    } finally {
      await database.close();
    }
  });
});

describe('LocalBlobStore', () => {
  const root = mkdtempSync(join(tmpdir(), 'mlsecops-blobs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores by SHA-256, read-only, in folders only its user can enter, and deduplicates', async () => {
    const store = await LocalBlobStore.create(join(root, 'a'));
    const first = await store.put(Readable.from([Buffer.from('model '), Buffer.from('bytes')]), 1024);
    // sha256 of "model bytes", from `printf 'model bytes' | sha256sum`.
    expect(first).toEqual({
      digest: '9cb7487000bc86ac36ce83c4acfabe8878552be99572a6770f65ab1d048a5c48',
      size: 11,
      created: true,
    });
    expect(await text(await store.open(first.digest))).toBe('model bytes');
    const path = await store.localPath(first.digest);
    expect(statSync(path).mode & 0o777).toBe(0o400);
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'a', 'incoming')).mode & 0o777).toBe(0o700);
    expect((await store.put(Readable.from([Buffer.from('model bytes')]), 1024)).created).toBe(false);
  });

  it('refuses oversized uploads and leaves nothing behind, and refuses digests that are not digests', async () => {
    const store = await LocalBlobStore.create(join(root, 'b'));
    await expect(store.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000)).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
    expect(readdirSync(join(root, 'b', 'incoming'))).toEqual([]);
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), `${'0'.repeat(63)}/`, '']) {
      await expect(store.open(bad)).rejects.toBeInstanceOf(BlobError);
    }
    await expect(store.open('0'.repeat(64))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an upload that fails midway leaves no blob and no incoming file', async () => {
    const store = await LocalBlobStore.create(join(root, 'c'));
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(failing, 1 << 20)).rejects.toMatchObject({ code: 'ABORTED' });
    expect(readdirSync(join(root, 'c', 'incoming'))).toEqual([]);
    expect(readdirSync(join(root, 'c', 'sha256'))).toEqual([]);
  });
});
