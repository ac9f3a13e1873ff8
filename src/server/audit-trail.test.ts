import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuditExport, verifyExport } from '../cli/commands/audit.js';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { LocalBlobStore } from '../store/index.js';
import { testDatabases } from '../store/test-support.js';
import { createApp } from './app.js';
import { upload } from './test-support.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-audit-trail-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
    await upload(app, '/api/v1/models/audited/versions', admin, readFileSync(join(examples, 'encoder.safetensors')));
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
