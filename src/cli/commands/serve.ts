import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { watch } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Buckets, EventSink, GatewayConfig } from '../../gateway/index.js';
import type { TrustAnchor } from '../../integrity/index.js';
import type { OidcConfig } from '../../registry/index.js';
import { dashboardDir } from '../dashboard.js';
import { CliError } from '../errors.js';
import type { Io } from './shared.js';
import { readText } from './sign.js';

interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly dataDir: string;
  readonly gatewayConfig?: string;
  readonly oidcConfig?: string;
  readonly trustKey?: string[];
  readonly trustRoot?: string[];
  readonly requireSignature?: string[];
  readonly gatePolicy?: string[];
  readonly webhook?: string[];
  readonly webhookAllow?: string[];
  readonly monitorInterval: string;
  readonly alertAllow?: string[];
}

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description('run the model registry server (SQLite and a blob folder under --data-dir by default)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--data-dir <dir>', 'where the embedded database and blobs live', '.mlsecops')
    .option('--gateway-config <file>', 'also run the inference gateway at /gateway (registry tokens accepted)')
    .option('--oidc-config <json>', 'single sign-on: {issuer, audience, jwksUri, groupsClaim?, groupRoles}')
    .option('--trust-key <pems...>', 'public keys that signatures attached to versions must verify with')
    .option('--trust-root <pems...>', 'root certificates for signatures carrying a certificate chain')
    .option('--require-signature <aliases...>', 'aliases that may only point to versions with a verified signature')
    .option(
      '--gate-policy <policies...>',
      'policies every promotion must pass (files or pack:<name>, e.g. pack:baseline)',
    )
    .option('--webhook <urls...>', 'send audit events to these URLs, signed with $MLSECOPS_WEBHOOK_SECRET')
    .option('--webhook-allow <cidrs...>', 'private address ranges webhooks may reach (refused by default)')
    .option('--monitor-interval <seconds>', 'check monitored models every this many seconds (0: only on request)', '60')
    .option('--alert-allow <cidrs...>', 'private address ranges alert webhooks may reach (refused by default)')
    .action(async (flags: ServeFlags) => {
      // The server's dependencies load only when it runs: every other command starts faster.
      const [
        { createApp },
        { LocalBlobStore, openDatabase, S3BlobStore },
        { bootstrapAdmin },
        { defaultGatePolicy },
        integrity,
      ] = await Promise.all([
        import('../../server/index.js'),
        import('../../store/index.js'),
        import('../../registry/index.js'),
        import('../../policy/index.js'),
        import('../../integrity/index.js'),
      ]);
      const { certificatesFromPem, publicKeyFromPem } = integrity;
      const port = Number(flags.port);
      const monitorSeconds = Number(flags.monitorInterval);
      if (!(monitorSeconds >= 0))
        throw new CliError('BAD_ARGUMENTS', `bad --monitor-interval ${flags.monitorInterval}`);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError('BAD_ARGUMENTS', `bad --port ${flags.port}`);
      const url = io.env.MLSECOPS_DATABASE_URL || join(flags.dataDir, 'registry.db');
      const database = await openDatabase({ url });
      const blobUrl = io.env.MLSECOPS_BLOB_URL;
      const blobs = blobUrl
        ? await S3BlobStore.create(blobUrl, join(flags.dataDir, 'blob-cache'))
        : await LocalBlobStore.create(join(flags.dataDir, 'blobs'));
      const admin = await bootstrapAdmin(database);
      if (admin) {
        io.stderr.write(
          `First start: created the admin account. Its token is shown once, now; store it safely:\n\n  ${admin.token}\n\n`,
        );
      }
      const auditKey = await loadOrCreateAuditKey(flags.dataDir, io);
      const secret = io.env.MLSECOPS_WEBHOOK_SECRET;
      if (flags.webhook && !secret)
        throw new CliError('BAD_ARGUMENTS', '--webhook needs MLSECOPS_WEBHOOK_SECRET to sign events');
      const webhooks = flags.webhook
        ? { hooks: flags.webhook.map((url) => ({ url, secret: secret as string })), allow: flags.webhookAllow ?? [] }
        : undefined;
      const trust: TrustAnchor[] = [];
      for (const path of flags.trustKey ?? [])
        trust.push({ kind: 'public-key', key: publicKeyFromPem(await readText(path)) });
      const roots = [];
      for (const path of flags.trustRoot ?? []) roots.push(...certificatesFromPem(await readText(path)));
      if (roots.length) trust.push({ kind: 'certificate-chain', roots });
      const gatePolicy = { ...defaultGatePolicy, requireSignature: flags.requireSignature ?? [] };
      const gatePolicies = await loadGatePolicies(flags.gatePolicy ?? []);
      const oidc = flags.oidcConfig ? await readOidcConfig(flags.oidcConfig) : undefined;
      const gateway = flags.gatewayConfig ? await mountedGateway(flags.gatewayConfig, url, io) : undefined;
      const dashboard = dashboardDir();
      const app = await createApp({
        database,
        blobs,
        auditKey,
        trust,
        gatePolicy,
        gatePolicies,
        ...(oidc ? { oidc } : {}),
        ...(gateway ? { gateway } : {}),
        logger: { level: 'info' },
        ...(webhooks ? { webhooks } : {}),
        monitor: { intervalMs: monitorSeconds * 1000, allow: flags.alertAllow ?? [] },
        ...(dashboard ? { dashboardDir: dashboard } : {}),
      });
      const address = await app.listen({ host: flags.host, port });
      io.stderr.write(`mlsecops registry listening on ${address} (OpenAPI at ${address}/openapi.json)\n`);
      io.stderr.write(
        dashboard
          ? `Dashboard at ${address}/ (sign in with an API token)\n`
          : 'No dashboard: it is not built (npm run build)\n',
      );
      const stop = async () => {
        await app.close();
        await database.close();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
    });
}

/** Policies for the promotion gate, checked before the server starts: a bad one stops it with its errors. */
async function loadGatePolicies(references: readonly string[]) {
  if (references.length === 0) return [];
  const { loadPolicy, PolicyError } = await import('../../policy/index.js');
  return Promise.all(
    references.map((reference) =>
      loadPolicy(reference).catch((error: unknown) => {
        throw error instanceof PolicyError ? new CliError('BAD_ARGUMENTS', error.message) : error;
      }),
    ),
  );
}

/**
 * The Ed25519 key that signs audit checkpoints, kept in the data folder (0600) so checkpoints from
 * before a restart still verify; its public half is written beside it for auditors to copy.
 */
async function loadOrCreateAuditKey(dataDir: string, io: Io): Promise<KeyObject> {
  const path = join(dataDir, 'audit-ed25519.pem');
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing) return createPrivateKey(existing);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600, flag: 'wx' });
  await writeFile(join(dataDir, 'audit-ed25519.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }) as string);
  io.stderr.write(
    `Audit checkpoints are signed with ${path}; give auditors ${join(dataDir, 'audit-ed25519.pub.pem')}.\n`,
  );
  return privateKey;
}

async function readOidcConfig(path: string): Promise<OidcConfig> {
  let config: OidcConfig;
  try {
    config = JSON.parse(await readText(path)) as OidcConfig;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('BAD_ARGUMENTS', `--oidc-config ${path}: ${(error as Error).message}`);
  }
  if (!config.issuer || !config.audience || !config.jwksUri || typeof config.groupRoles !== 'object') {
    throw new CliError('BAD_ARGUMENTS', '--oidc-config needs issuer, audience, jwksUri and groupRoles');
  }
  return config;
}

/**
 * The gateway configuration for `serve`, reloaded when its file changes (an invalid edit is ignored),
 * and the writer of its events into the registry's database (where the monitor reads them), on a
 * thread of its own; an in-memory database has no second connection, so the app writes there itself.
 */
async function mountedGateway(
  path: string,
  databaseUrl: string,
  io: Io,
): Promise<{ config: () => GatewayConfig; buckets?: Buckets; events?: EventSink }> {
  const { connectBuckets, loadGatewayConfig, WorkerEventSink } = await import('../../gateway/index.js');
  let config: GatewayConfig;
  try {
    config = await loadGatewayConfig(path);
  } catch (error) {
    throw new CliError('BAD_ARGUMENTS', (error as Error).message);
  }
  watch(path, { persistent: false }, () => {
    loadGatewayConfig(path).then(
      (next) => {
        config = next;
      },
      (error: Error) => io.stderr.write(`gateway configuration not reloaded: ${error.message}\n`),
    );
  });
  const redisUrl = io.env.MLSECOPS_REDIS_URL;
  const buckets = redisUrl ? (await connectBuckets(redisUrl)).buckets : undefined;
  const events = databaseUrl === ':memory:' ? undefined : await WorkerEventSink.start({ store: databaseUrl });
  return { config: () => config, ...(buckets ? { buckets } : {}), ...(events ? { events } : {}) };
}
