import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/index.js';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { createApp } from '../server/index.js';
import { type Database, LocalBlobStore, openDatabase } from '../store/index.js';
import { cli } from './test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-monitor-client-'));
let app: FastifyInstance;
let database: Database;
let server: string;
const env: Record<string, string> = {};

const csv = (seed: number, shift: number) => {
  const random = mulberry32(seed);
  return `${['score,segment', ...Array.from({ length: 400 }, () => `${(random() * 10 + shift).toFixed(3)},${random() < 0.5 ? 'a' : 'b'}`)].join('\n')}\n`;
};

beforeAll(async () => {
  database = await openDatabase({ url: ':memory:' });
  env.ADMIN = (await bootstrapAdmin(database))!.token;
  env.READER = (
    await issueToken(database, await createPrincipal(database, 'viewer', 'user', [{ scope: '*', role: 'reader' }]))
  ).token;
  app = await createApp({ database, blobs: await LocalBlobStore.create(join(scratch, 'blobs')) });
  server = await app.listen({ host: '127.0.0.1', port: 0 });
  writeFileSync(join(scratch, 'reference.csv'), csv(1, 0));
  writeFileSync(join(scratch, 'same.csv'), csv(2, 0));
  writeFileSync(join(scratch, 'shifted.csv'), csv(3, 4));
});
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(scratch, { recursive: true, force: true });
});

const remote = (args: string[], token = 'ADMIN') => cli([...args, '--server', server, '--token-env', token], env);

describe('mlsecops monitor and incidents (against a server)', () => {
  it('sets a reference, checks batches with the exit-code rule, and works incidents through', async () => {
    const profile = join(scratch, 'reference.profile.json');
    expect((await cli(['profile', join(scratch, 'reference.csv'), '--out', profile])).code).toBe(0);
    const set = await remote(['monitor', 'reference', 'scorer', '1', profile]);
    expect(set.stderr).toBe('monitoring scorer version 1 against ' + profile + '\n');
    const same = await remote(['monitor', 'batch', 'scorer', join(scratch, 'same.csv')]);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({
      source: 'batch',
      rows: 400,
      report: { dataset: { drifted: false } },
    });
    expect((await remote(['monitor', 'batch', 'scorer', join(scratch, 'shifted.csv')])).code).toBe(1);
    expect(JSON.parse((await remote(['monitor', 'checks', 'scorer'])).stdout).checks).toHaveLength(2);

    const opened = await app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${env.ADMIN}` },
      payload: { title: 'scores drifted', model: 'scorer', severity: 'high' },
    });
    const { id } = opened.json() as { id: number };
    expect((await remote(['incidents', 'list', '--status', 'open'])).stdout).toMatch(
      new RegExp(`^#${id}\\s+open\\s+high`, 'm'),
    );
    expect((await remote(['incidents', 'ack', String(id), '--note', 'on it'])).stdout).toBe(`#${id} is acknowledged\n`);
    // A reader may look but not act.
    expect((await remote(['incidents', 'resolve', String(id), '--note', 'done'], 'READER')).code).toBe(2);
    expect((await remote(['incidents', 'resolve', String(id), '--note', 'feed fixed'])).code).toBe(0);
    const shown = (await remote(['incidents', 'show', String(id)], 'READER')).stdout;
    expect(shown).toMatch(/resolved, high, model scorer/);
    expect(shown).toMatch(/acknowledged\s+admin: on it/);
  });
});
