import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { type Database, LocalBlobStore } from '../store/index.js';
import { testDatabases } from '../store/test-support.js';
import { createApp } from './app.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-promotion-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
    // Stored decisions are listed newest first, per model and across models, with who asked.
    const listed = (await app.inject({ url: '/api/v1/models/ranker/gate-decisions', headers: as('ci') })).json();
    expect(listed.decisions.length).toBe(evidence.length);
    expect(listed.decisions[0]).toMatchObject({ model: 'ranker', alias: 'production', passed: false, version: 3 });
    expect(listed.decisions[0].requestedBy).toBe('admin');
    const limited = (await app.inject({ url: '/api/v1/gate-decisions?limit=1', headers: as('ci') })).json();
    expect(limited.decisions).toEqual([listed.decisions[0]]);
  });

  it('tells a token who it belongs to and what it may do everywhere', async () => {
    const me = (await app.inject({ url: '/api/v1/me', headers: as('reviewer') })).json();
    expect(me).toMatchObject({ name: 'reviewer', kind: 'user', bindings: [{ scope: '*', role: 'approver' }] });
    expect(me.permissions).toEqual(['model:read', 'model:approve', 'model:promote', 'incident:manage']);
    expect((await app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
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
