import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadPack } from '../../policy/index.js';
import { bootstrapAdmin } from '../../registry/index.js';
import { createApp } from '../../server/index.js';
import { LocalBlobStore, openDatabase } from '../../store/index.js';
import { dashboardDir } from '../dashboard.js';
import { CliError } from '../errors.js';

/**
 * The demo home: a folder holding one embedded registry (SQLite, blobs, audit and signing keys, the
 * admin token) and the generated datasets. A marker file says the folder is one, so `--reset` never
 * wipes a folder the demo did not make.
 */

const MARKER = '.mlsecops-demo';
const ADMIN_TOKEN = 'admin-token';

const missing = (error: NodeJS.ErrnoException) => {
  if (error.code === 'ENOENT') return undefined;
  throw error;
};

async function isDemoHome(dir: string): Promise<'absent' | 'empty' | 'demo' | 'other'> {
  const entries = await readdir(dir).catch(missing);
  if (entries === undefined) return 'absent';
  if (entries.length === 0) return 'empty';
  return entries.includes(MARKER) ? 'demo' : 'other';
}

/** Creates the demo home, wiping it first with `reset`; refuses a non-empty folder the demo did not make. */
export async function prepareHome(dir: string, reset: boolean): Promise<void> {
  const kind = await isDemoHome(dir);
  if (kind === 'other')
    throw new CliError(
      'BAD_ARGUMENTS',
      `${dir} is not empty and not a demo home (no ${MARKER} file): choose another --home`,
    );
  if (reset && kind === 'demo') await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, MARKER), 'made by `mlsecops demo`; `mlsecops demo --reset` deletes this folder\n');
}

/** A private key kept in the home (0600), its public half beside it; made on first use. */
async function keyIn(dir: string, name: string): Promise<KeyObject> {
  const path = join(dir, `${name}.pem`);
  const existing = await readFile(path, 'utf8').catch(missing);
  if (existing) return createPrivateKey(existing);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600, flag: 'wx' });
  await writeFile(join(dir, `${name}.pub.pem`), publicKey.export({ type: 'spki', format: 'pem' }) as string);
  return privateKey;
}

export interface DemoServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly adminToken: string;
  /** Signs version 1; the server trusts its public half. */
  readonly signingKey: KeyObject;
  readonly auditPublicKey: string;
  close(): Promise<void>;
}

/**
 * Starts the registry on embedded defaults in the demo home, the way `serve` does (audit key kept in
 * the folder, scheduled monitor checks), trusting the demo's own signing key. The first start creates
 * the admin and keeps its token in the home (0600) so later starts can print it again.
 */
export async function startDemoServer(
  dir: string,
  listen: { host: string; port: number },
  logger: false | { level: string },
): Promise<DemoServer> {
  const database = await openDatabase({ url: join(dir, 'registry.db') });
  let app: FastifyInstance | undefined;
  try {
    const blobs = await LocalBlobStore.create(join(dir, 'blobs'));
    const admin = await bootstrapAdmin(database);
    const tokenPath = join(dir, ADMIN_TOKEN);
    if (admin) await writeFile(tokenPath, `${admin.token}\n`, { mode: 0o600 });
    const adminToken = admin?.token ?? (await readFile(tokenPath, 'utf8').catch(missing))?.trim();
    if (!adminToken)
      throw new CliError('BAD_ARGUMENTS', `${dir} has a database but no ${ADMIN_TOKEN}: start over with --reset`);
    const auditKey = await keyIn(dir, 'audit-ed25519');
    const signingKey = await keyIn(dir, 'demo-signing');
    const dashboard = dashboardDir();
    app = await createApp({
      database,
      blobs,
      auditKey,
      trust: [{ kind: 'public-key', key: createPublicKey(signingKey) }],
      logger,
      monitor: { intervalMs: 60_000, allow: [] },
      // The baseline pack beside the approvals: version 2's poisoned data blocks it on its own.
      gatePolicies: [loadPack('baseline')],
      ...(dashboard ? { dashboardDir: dashboard } : {}),
    });
    const url = await app.listen(listen);
    const started = app;
    return {
      app: started,
      url,
      adminToken,
      signingKey,
      auditPublicKey: join(dir, 'audit-ed25519.pub.pem'),
      close: async () => {
        await started.close();
        await database.close();
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}
