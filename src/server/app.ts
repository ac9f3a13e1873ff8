import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { type Buckets, DatabaseSink, type EventSink, type GatewayConfig, gatewayRoutes } from '../gateway/index.js';
import type { TrustAnchor } from '../integrity/index.js';
import { IncidentError, Monitor, operationalEvidence } from '../monitor/index.js';
import type { GatePolicy, Policy } from '../policy/index.js';
import {
  AuditTrail,
  authenticate,
  can,
  DestinationPolicy,
  deliverWebhook,
  EvidenceStore,
  ModelRegistry,
  OidcAuthenticator,
  type OidcConfig,
  type Permission,
  type Principal,
  Promotions,
  RegistryError,
  type WebhookConfig,
  WebhookDispatcher,
} from '../registry/index.js';
import type { BlobStore, Database } from '../store/index.js';
import { toolVersion } from '../version.js';
import { FailedAuthLimiter } from './auth-limiter.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAuditRoutes } from './routes/audit.js';
import type { RouteContext } from './routes/context.js';
import { registerEvidenceRoutes } from './routes/evidence.js';
import { registerModelRoutes } from './routes/models.js';
import { registerMonitorRoutes } from './routes/monitor.js';
import { registerPromotionRoutes } from './routes/promotion.js';

export interface AppDeps {
  readonly database: Database;
  readonly blobs: BlobStore;
  /** Pino options or false; tokens are redacted from every log line either way. */
  readonly logger?: boolean | { level: string };
  readonly failOn?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  readonly maxArtifactBytes?: number;
  /** Ed25519 key that signs audit checkpoints; keep it (the CLI's serve stores one in the data folder). */
  readonly auditKey?: KeyObject;
  /** The audit log's origin line and note key name (default `mlsecops-registry`). */
  readonly auditOrigin?: string;
  /**
   * The inference gateway, mounted at `/gateway`: its configuration (reloadable), optional shared
   * limit buckets, and optionally where its events go (default: written to `database` on this thread;
   * `serve` hands them to a writer thread). Registry tokens are accepted there too, with `model:read`.
   */
  readonly gateway?: { readonly config: () => GatewayConfig; readonly buckets?: Buckets; readonly events?: EventSink };
  /** Single sign-on: OIDC JWTs accepted as bearer tokens, groups mapped to roles. */
  readonly oidc?: OidcConfig;
  /** Keys and certificate roots that signatures attached to versions must verify with. */
  readonly trust?: readonly TrustAnchor[];
  /** What promotions must show (approvals per alias); default: one approval for production. */
  readonly gatePolicy?: GatePolicy;
  /** Policies every promotion must pass besides the change-control settings (`serve --gate-policy`). */
  readonly gatePolicies?: readonly Policy[];
  /** Webhooks: destinations, CIDR ranges allowed despite being private, and how often to send. */
  readonly webhooks?: {
    readonly hooks: readonly WebhookConfig[];
    readonly allow?: readonly string[];
    readonly intervalMs?: number;
  };
  /**
   * Monitoring: how often the gateway windows are checked (no schedule when omitted; checks run on
   * `POST /api/v1/monitor/run` and on batch uploads) and CIDR ranges alert webhooks may reach
   * despite being private.
   */
  readonly monitor?: { readonly intervalMs?: number; readonly allow?: readonly string[] };
  /** Failed authentications allowed per client address per minute before 429. */
  readonly maxFailedAuthPerMinute?: number;
  /**
   * The built web dashboard (`dist/web`), served at `/`. Its files are public: they hold no data,
   * which the dashboard reads from the API with the user's token like any other client.
   */
  readonly dashboardDir?: string;
}

/** What every route declares: the permission it needs, or that it is public. There is no default. */
export type Access =
  | { readonly public: true }
  | { readonly permission: Permission }
  /** Any valid token, whatever it may do (who am I). */
  | { readonly authenticated: true };

/** A served route and the access it declared: what the deny-by-default test walks. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteEntry[];
  }
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * The registry server, built and returned without listening (tests use `inject`). Every route must
 * declare its access at registration, or registration fails; a request passes only if the route is
 * public or the caller's token grants the route's permission (on the model named in the URL).
 */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger
      ? {
          ...(typeof deps.logger === 'object' ? deps.logger : {}),
          redact: ['req.headers.authorization', 'req.headers.cookie'],
        }
      : false,
    bodyLimit: 1 << 20,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const audit = new AuditTrail(deps.database, {
    origin: deps.auditOrigin ?? 'mlsecops-registry',
    name: deps.auditOrigin ?? 'mlsecops-registry',
    privateKey: deps.auditKey ?? generateKeyPairSync('ed25519').privateKey,
  });
  const registry = new ModelRegistry(
    deps.database,
    deps.blobs,
    { failOn: deps.failOn ?? 'high', maxArtifactBytes: deps.maxArtifactBytes ?? 64 * 2 ** 30 },
    audit,
  );
  const promotions = new Promotions(deps.database, audit, {
    ...(deps.gatePolicy ? { settings: deps.gatePolicy } : {}),
    policies: deps.gatePolicies ?? [],
    operational: (model, version) => operationalEvidence(deps.database, model, version),
  });
  if (deps.webhooks && deps.webhooks.hooks.length > 0) {
    const dispatcher = new WebhookDispatcher(
      audit,
      deps.webhooks.hooks,
      new DestinationPolicy(deps.webhooks.allow ?? []),
    );
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    app.addHook('onReady', async () => {
      await dispatcher.tick();
      timer = setInterval(() => {
        if (running) return;
        running = true;
        dispatcher
          .tick()
          .then((deliveries) => {
            for (const failed of deliveries.filter((delivery) => !delivery.delivered)) {
              app.log.warn({ url: failed.url, seq: failed.seq, error: failed.error }, 'webhook not delivered');
            }
          })
          .catch((error: unknown) => app.log.error({ err: error }, 'webhook dispatch failed'))
          .finally(() => {
            running = false;
          });
      }, deps.webhooks?.intervalMs ?? 2000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  }
  const oidc = deps.oidc ? new OidcAuthenticator(deps.database, deps.oidc) : undefined;
  const limiter = new FailedAuthLimiter(deps.maxFailedAuthPerMinute ?? 20);

  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access: every route must`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such route' });
    if ('public' in access) return;
    if (limiter.blocked(request.ip)) {
      return reply
        .code(429)
        .send({ error: 'TOO_MANY_FAILURES', message: 'too many failed authentications; wait a minute' });
    }
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const principal = !token
      ? undefined
      : token.startsWith('mls_') || !oidc
        ? await authenticate(deps.database, token)
        : await oidc.authenticate(token);
    if (!principal) {
      limiter.fail(request.ip);
      return reply.code(401).send({ error: 'UNAUTHENTICATED', message: 'a valid bearer token is required' });
    }
    const model = modelOf(request);
    if ('permission' in access && !can(principal, access.permission, model)) {
      return reply
        .code(403)
        .send({ error: 'FORBIDDEN', message: `needs ${access.permission}${model ? ` on ${model}` : ''}` });
    }
    request.principal = principal;
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RegistryError) {
      const code = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 400, FORBIDDEN: 403 }[error.code];
      return reply.code(code).send({ error: error.code, message: error.message });
    }
    if (error instanceof IncidentError) {
      return reply.code(error.code === 'NOT_FOUND' ? 404 : 409).send({ error: error.code, message: error.message });
    }
    if (error instanceof RangeError) return reply.code(400).send({ error: 'BAD_REQUEST', message: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'BAD_REQUEST', message: (error as Error).message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'INTERNAL', message: 'internal error' });
  });

  // Uploads arrive as a raw stream, hashed and bounded by the blob store as they are written.
  app.addContentTypeParser(
    ['application/octet-stream', 'text/csv', 'text/tab-separated-values', 'application/x-ndjson', 'application/jsonl'],
    { bodyLimit: Number.MAX_SAFE_INTEGER },
    (_request, payload, done) => done(null, payload),
  );

  await app.register(swagger, {
    openapi: {
      info: { title: 'mlsecops registry', version: toolVersion },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.get('/healthz', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  if (deps.gateway) {
    const { config, buckets, events } = deps.gateway;
    await app.register(gatewayRoutes, {
      prefix: '/gateway',
      config,
      ...(buckets ? { buckets } : {}),
      // Mounted, the gateway writes its events to the registry's database, where the monitor reads them.
      events: events ?? new DatabaseSink(deps.database),
      callers: async (token) => {
        // The same callers as the registry: its tokens, and single sign-on JWTs when configured.
        const principal = token.startsWith('mls_')
          ? await authenticate(deps.database, token)
          : await oidc?.authenticate(token);
        if (!principal) return undefined;
        return { id: `principal:${principal.name}`, mayCall: (model) => can(principal, 'model:read', model) };
      },
    });
  }
  const monitorPolicy = new DestinationPolicy(deps.monitor?.allow ?? []);
  const monitor = new Monitor({
    database: deps.database,
    audit,
    notify: (target, body) => deliverWebhook(target, body, monitorPolicy),
    log: app.log,
  });
  scheduleMonitor(app, monitor, deps.monitor?.intervalMs);
  const evidence = new EvidenceStore(deps.database, audit);
  const context: RouteContext = { deps, registry, promotions, evidence, audit };
  registerMonitorRoutes(app, { ...context, monitor });
  registerModelRoutes(app, context);
  registerPromotionRoutes(app, context);
  registerEvidenceRoutes(app, context);
  registerAdminRoutes(app, context);
  registerAuditRoutes(app, context);
  if (deps.dashboardDir) await registerDashboard(app, deps.dashboardDir);

  return app;
}

/** The dashboard may load its own scripts and styles and call this server's API, nothing else. */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The dashboard's static files: `index.html` at `/` and the hashed build assets under `/assets/`.
 * Routing happens in the URL fragment, so no other path is needed; `send` refuses traversal.
 */
async function registerDashboard(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false });
  const publicRoute = { config: { access: { public: true } as const }, schema: { hide: true } };
  const secure = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
  app.get('/', publicRoute, (_request, reply) =>
    secure(reply).header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }),
  );
  // Asset names carry their content hash: they never change, so browsers may keep them for good.
  app.get('/assets/*', publicRoute, (request, reply) =>
    secure(reply)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(`assets/${(request.params as { '*': string })['*']}`, { cacheControl: false, dotfiles: 'deny' }),
  );
}

/** Runs the monitor's checks every `intervalMs`, never two at once; stops with the app. */
function scheduleMonitor(app: FastifyInstance, monitor: Monitor, intervalMs: number | undefined): void {
  if (!intervalMs) return;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      if (running) return;
      running = true;
      monitor
        .tick()
        .catch((error: unknown) => app.log.error({ err: error }, 'monitor checks failed'))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

/** The model a request is about: the `:name` route parameter, when the route has one. */
function modelOf(request: FastifyRequest): string | undefined {
  const params = request.params as { name?: unknown } | undefined;
  return typeof params?.name === 'string' ? params.name : undefined;
}
