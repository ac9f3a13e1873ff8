import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyFromPem } from '../integrity/index.js';
import { bootstrapAdmin, createPrincipal, issueToken } from '../registry/index.js';
import { createApp } from '../server/index.js';
import { type Database, LocalBlobStore, openDatabase } from '../store/index.js';
import { cli } from './test-support.js';

const examples = resolve(import.meta.dirname, '../../examples/models');
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-client-'));
let app: FastifyInstance;
let database: Database;
let blobs: LocalBlobStore;
let server: string;
const env: Record<string, string> = {};

beforeAll(async () => {
  database = await openDatabase({ url: ':memory:' });
  blobs = await LocalBlobStore.create(join(scratch, 'blobs'));
  env.ADMIN = (await bootstrapAdmin(database))!.token;
  env.CI_TOKEN = (
    await issueToken(database, await createPrincipal(database, 'ci', 'service', [{ scope: '*', role: 'publisher' }]))
  ).token;
  env.REVIEWER = (
    await issueToken(database, await createPrincipal(database, 'reviewer', 'user', [{ scope: '*', role: 'approver' }]))
  ).token;
  app = await createApp({ database, blobs });
  server = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(scratch, { recursive: true, force: true });
});

const run = (args: string[], token: string) => cli([...args, '--server', server, '--token-env', token], env);

describe('push, pull, versions, approve, promote over HTTP', () => {
  it('pushes, scans, approves, promotes and pulls by alias with the digest verified', async () => {
    const clean = await run(['push', 'ranker', join(examples, 'encoder.safetensors'), '--create'], 'CI_TOKEN');
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/ranker version 1: available/);
    const evil = await run(['push', 'ranker', join(examples, 'backdoored-classifier.pkl')], 'CI_TOKEN');
    expect(evil.code).toBe(1);
    expect(evil.stdout).toMatch(/version 2: rejected .*worst critical/);

    expect((await run(['approve', 'ranker', '1'], 'CI_TOKEN')).code).toBe(2); // publishers cannot approve
    expect((await run(['approve', 'ranker', '1'], 'REVIEWER')).code).toBe(0);
    const promoted = await run(['promote', 'ranker', '1', 'production', '--from', 'none'], 'ADMIN');
    expect(promoted.stdout, promoted.stderr).toMatch(/ranker@production: nothing → 1/);
    expect((await run(['promote', 'ranker', '2', 'production'], 'ADMIN')).stderr).toMatch(/gate failed/);

    const out = join(scratch, 'pulled.safetensors');
    const pulled = await run(['pull', 'ranker', 'production', '--out', out], 'CI_TOKEN');
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(examples, 'encoder.safetensors')))).toBe(true);
    expect((await run(['pull', 'ranker', '2', '--out', join(scratch, 'evil.pkl')], 'CI_TOKEN')).code).toBe(2);
    expect(existsSync(join(scratch, 'evil.pkl'))).toBe(false);

    const listed = await run(['versions', 'ranker', '--json'], 'CI_TOKEN');
    expect(JSON.parse(listed.stdout).map((v: { status: string }) => v.status)).toEqual(['available', 'rejected']);
  });

  it('pull refuses bytes that do not match the registered digest and writes nothing', async () => {
    const versions = JSON.parse((await run(['versions', 'ranker', '--json'], 'CI_TOKEN')).stdout);
    const path = await blobs.localPath(versions[0].digest);
    chmodSync(path, 0o600);
    writeFileSync(path, 'swapped on disk');
    const out = join(scratch, 'swapped.bin');
    const pulled = await run(['pull', 'ranker', '1', '--out', out], 'CI_TOKEN');
    expect(pulled.code).toBe(2);
    expect(pulled.stderr).toMatch(/not written/);
    expect(existsSync(out)).toBe(false);
  });

  it('needs a server and a token', async () => {
    expect((await cli(['versions', 'ranker'], {})).code).toBe(2);
    expect((await cli(['versions', 'ranker', '--server', server], {})).stderr).toMatch(/401/);
  });
});

describe('signed uploads', () => {
  let signedApp: FastifyInstance;
  let signedServer: string;
  let signedDb: Database;
  const keys = join(scratch, 'keys');

  beforeAll(async () => {
    await cli(['keygen', keys, '--type', 'ecdsa-p256']);
    await cli(['keygen', `${keys}-other`, '--type', 'ed25519']);
    signedDb = await openDatabase({ url: ':memory:' });
    env.S_ADMIN = (await bootstrapAdmin(signedDb))!.token;
    env.S_REVIEWER = (
      await issueToken(
        signedDb,
        await createPrincipal(signedDb, 'reviewer', 'user', [{ scope: '*', role: 'approver' }]),
      )
    ).token;
    signedApp = await createApp({
      database: signedDb,
      blobs: await LocalBlobStore.create(join(scratch, 'signed-blobs')),
      trust: [{ kind: 'public-key', key: publicKeyFromPem(readFileSync(`${keys}.pub.pem`, 'utf8')) }],
      gatePolicy: { approvals: { default: 0 }, requireSignature: ['production'] },
    });
    signedServer = await signedApp.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await signedApp.close();
    await signedDb.close();
  });

  const runSigned = (args: string[]) => cli([...args, '--server', signedServer, '--token-env', 'S_ADMIN'], env);

  it('verifies a signature of the uploaded file, and the production gate requires one', async () => {
    const folder = join(scratch, 'to-sign');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'model.safetensors');
    copyFileSync(join(examples, 'encoder.safetensors'), file);
    expect((await cli(['sign', file, '--key', `${keys}.pem`, '--signature', join(scratch, 'model.sig')])).code).toBe(0);
    expect(
      (await cli(['sign', file, '--key', `${keys}-other.pem`, '--signature', join(scratch, 'other.sig')])).code,
    ).toBe(0);

    const unsigned = await runSigned(['push', 'signed', file, '--create']);
    expect(unsigned.code, unsigned.stderr).toBe(0);
    const blocked = await runSigned(['promote', 'signed', '1', 'production']);
    expect(blocked.stderr).toMatch(/signature: no verified signature/);

    const wrongKey = await runSigned(['push', 'signed', file, '--signature', join(scratch, 'other.sig')]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/does not verify with any trusted key/);

    const signed = await runSigned(['push', 'signed', file, '--signature', join(scratch, 'model.sig')]);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/signature verified \(key sha256:[0-9a-f]{64}\)/);
    expect((await runSigned(['promote', 'signed', '3', 'production'])).code).toBe(0);

    const pulled = join(scratch, 'pulled-signed.safetensors');
    const withKey = await runSigned(['pull', 'signed', '3', '--out', pulled, '--public-key', `${keys}.pub.pem`]);
    expect(withKey.stdout, withKey.stderr).toMatch(/signature verified/);
    const unsignedPull = await runSigned([
      'pull',
      'signed',
      '1',
      '--out',
      join(scratch, 'u.bin'),
      '--public-key',
      `${keys}.pub.pem`,
    ]);
    expect(unsignedPull.code).toBe(2);
    expect(existsSync(join(scratch, 'u.bin'))).toBe(false);
    const otherKey = await runSigned([
      'pull',
      'signed',
      '3',
      '--out',
      join(scratch, 'o.bin'),
      '--public-key',
      `${keys}-other.pub.pem`,
    ]);
    expect(otherKey.stderr).toMatch(/signature check failed/);

    // A valid signature of other bytes does not vouch for this upload.
    const other = join(scratch, 'other.bin');
    writeFileSync(other, 'different bytes');
    const mismatch = await runSigned(['push', 'signed', other, '--signature', join(scratch, 'model.sig')]);
    expect(mismatch.stderr).toMatch(/does not cover this artifact/);
  });
});
