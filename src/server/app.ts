import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Readable } from 'node:stream';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TrustAnchor } from '../integrity/index.js';
import {
  AccessAdmin,
  ALIAS_NAME,
  AuditTrail,
  annotateVersion,
  annotationsSchema,
  attachSignature,
  authenticate,
  can,
  DestinationPolicy,
  type GatePolicy,
  MODEL_NAME,
  ModelRegistry,
  OidcAuthenticator,
  type OidcConfig,
  type Permission,
  type Principal,
  Promotions,
  RegistryError,
  signatureBundle,
  type WebhookConfig,
  WebhookDispatcher,
} from '../registry/index.js';
import type { BlobStore, Database } from '../store/index.js';
import { toolVersion } from '../version.js';
import { FailedAuthLimiter } from './auth-limiter.js';

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
  /** Single sign-on: OIDC JWTs accepted as bearer tokens, groups mapped to roles. */
  readonly oidc?: OidcConfig;
  /** Keys and certificate roots that signatures attached to versions must verify with. */
  readonly trust?: readonly TrustAnchor[];
  /** What promotions must show (approvals per alias); default: one approval for production. */
  readonly gatePolicy?: GatePolicy;
  /** Webhooks: destinations, CIDR ranges allowed despite being private, and how often to send. */
  readonly webhooks?: {
    readonly hooks: readonly WebhookConfig[];
    readonly allow?: readonly string[];
    readonly intervalMs?: number;
  };
  /** Failed authentications allowed per client address per minute before 429. */
  readonly maxFailedAuthPerMinute?: number;
}

/** What every route declares: the permission it needs, or that it is public. There is no default. */
export type Access = { readonly public: true } | { readonly permission: Permission };

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

const modelParams = z.object({ name: z.string().regex(MODEL_NAME) });
const versionParams = modelParams.extend({ number: z.coerce.number().int().positive() });
const modelSchema = z.object({ name: z.string(), description: z.string(), createdAt: z.string() });
const versionSchema = z.object({
  number: z.number(),
  status: z.enum(['quarantined', 'available', 'rejected', 'deleted']),
  digest: z.string().nullable(),
  size: z.number().nullable(),
  createdAt: z.string(),
  scan: z.object({ findings: z.number(), worst: z.string().optional(), rules: z.array(z.string()) }).optional(),
  signature: z
    .object({ verified: z.boolean(), signer: z.string(), subject: z.string(), verifiedAt: z.string() })
    .optional(),
});
const errorSchema = z.object({ error: z.string(), message: z.string() });

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
  const promotions = new Promotions(deps.database, audit, deps.gatePolicy);
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
    if (!can(principal, access.permission, model)) {
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
    'application/octet-stream',
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

  app.get(
    '/api/v1/models',
    { config: { access: { permission: 'model:read' } }, schema: { response: { 200: z.array(modelSchema) } } },
    async (request) =>
      (await registry.listModels()).filter((model) => can(request.principal!, 'model:read', model.name)),
  );

  app.post(
    '/api/v1/models',
    {
      config: { access: { permission: 'model:register' } },
      schema: {
        body: z.object({ name: z.string().max(200), description: z.string().max(4096).default('') }),
        response: { 201: modelSchema, 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const created = await registry.createModel(request.principal!, request.body.name, request.body.description);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/models/:name',
    {
      config: { access: { permission: 'model:read' } },
      schema: { params: modelParams, response: { 200: modelSchema } },
    },
    async (request) => registry.getModel(request.params.name),
  );

  app.get(
    '/api/v1/models/:name/versions',
    {
      config: { access: { permission: 'model:read' } },
      schema: { params: modelParams, response: { 200: z.array(versionSchema) } },
    },
    async (request) => registry.listVersions(request.params.name),
  );

  app.post(
    '/api/v1/models/:name/versions',
    {
      config: { access: { permission: 'model:register' } },
      schema: { params: modelParams, response: { 201: versionSchema, 404: errorSchema, 415: errorSchema } },
    },
    async (request, reply) => {
      if (request.headers['content-type'] !== 'application/octet-stream') {
        return reply
          .code(415)
          .send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'upload the artifact as application/octet-stream' });
      }
      const version = await registry.uploadVersion(request.principal!, request.params.name, request.body as Readable);
      return reply.code(201).send(version);
    },
  );

  app.delete(
    '/api/v1/models/:name/versions/:number',
    {
      config: { access: { permission: 'model:delete' } },
      schema: { params: versionParams, response: { 204: z.null(), 404: errorSchema, 409: errorSchema } },
    },
    async (request, reply) => {
      await registry.deleteVersion(request.principal!, request.params.name, request.params.number);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/models/:name/versions/:number/artifact',
    { config: { access: { permission: 'model:read' } }, schema: { params: versionParams } },
    async (request, reply) => {
      const { name, number } = request.params;
      const privileged = can(request.principal!, 'artifact:read-quarantined', name);
      const { version, stream } = await registry.artifact(name, number, privileged);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('x-content-sha256', version.digest ?? '')
        .send(stream);
    },
  );

  app.put(
    '/api/v1/models/:name/versions/:number/signature',
    {
      config: { access: { permission: 'model:register' } },
      schema: {
        params: versionParams,
        body: z.record(z.string(), z.unknown()),
        response: {
          200: z.object({ verified: z.literal(true), signer: z.string(), subject: z.string(), verifiedAt: z.string() }),
          400: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) =>
      attachSignature(
        deps.database,
        audit,
        deps.trust ?? [],
        request.principal!,
        request.params.name,
        request.params.number,
        JSON.stringify(request.body),
      ),
  );

  app.patch(
    '/api/v1/models/:name/versions/:number',
    {
      config: { access: { permission: 'model:register' } },
      schema: {
        params: versionParams,
        body: annotationsSchema,
        response: { 200: annotationsSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) =>
      annotateVersion(
        deps.database,
        audit,
        request.principal!,
        request.params.name,
        request.params.number,
        request.body,
      ),
  );

  app.get(
    '/api/v1/models/:name/versions/:number',
    {
      config: { access: { permission: 'model:read' } },
      schema: {
        params: versionParams,
        response: { 200: versionSchema.extend({ annotations: annotationsSchema }), 404: errorSchema },
      },
    },
    async (request) => registry.getVersion(request.params.name, request.params.number),
  );

  app.get(
    '/api/v1/models/:name/versions/:number/signature',
    { config: { access: { permission: 'model:read' } }, schema: { params: versionParams } },
    async (request, reply) =>
      reply
        .header('content-type', 'application/json')
        .send(await signatureBundle(deps.database, request.params.name, request.params.number)),
  );

  const aliasParams = modelParams.extend({ alias: z.string().regex(ALIAS_NAME) });
  const gateSchema = z.object({
    passed: z.boolean(),
    checks: z.array(z.object({ check: z.string(), passed: z.boolean(), detail: z.string() })),
  });

  app.post(
    '/api/v1/models/:name/versions/:number/approvals',
    {
      config: { access: { permission: 'model:approve' } },
      schema: {
        params: versionParams,
        body: z.object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(2000).default('') }),
        response: { 201: z.object({ recorded: z.literal(true) }), 403: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const { name, number } = request.params;
      await promotions.decide(request.principal!, name, number, request.body.decision, request.body.comment);
      return reply.code(201).send({ recorded: true });
    },
  );

  app.get(
    '/api/v1/models/:name/versions/:number/gate',
    {
      config: { access: { permission: 'model:read' } },
      schema: {
        params: versionParams,
        querystring: z.object({ alias: z.string().regex(ALIAS_NAME) }),
        response: { 200: gateSchema },
      },
    },
    async (request) => promotions.gate(request.params.name, request.params.number, request.query.alias),
  );

  app.put(
    '/api/v1/models/:name/aliases/:alias',
    {
      config: { access: { permission: 'model:promote' } },
      schema: {
        params: aliasParams,
        body: z.object({
          version: z.number().int().positive(),
          from: z.number().int().positive().nullable().optional(),
        }),
        response: {
          200: z.object({ alias: z.string(), version: z.number(), previous: z.number().nullable(), gate: gateSchema }),
          403: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request) => {
      const { name, alias } = request.params;
      return promotions.promote(request.principal!, name, request.body.version, alias, request.body.from);
    },
  );

  app.get(
    '/api/v1/models/:name/aliases/:alias/history',
    {
      config: { access: { permission: 'model:read' } },
      schema: {
        params: aliasParams,
        querystring: z.object({ at: z.iso.datetime().optional() }),
        response: {
          200: z.object({
            moves: z.array(z.object({ version: z.number().nullable(), movedAt: z.string(), movedBy: z.string() })),
            at: z.object({ time: z.string(), version: z.number().nullable() }).optional(),
          }),
        },
      },
    },
    async (request) => {
      const { name, alias } = request.params;
      const moves = await promotions.history(name, alias);
      const time = request.query.at;
      return time
        ? { moves, at: { time, version: await promotions.aliasAt(name, alias, new Date(time).toISOString()) } }
        : { moves };
    },
  );

  const admins = new AccessAdmin(deps.database, audit);
  const adminOnly = { access: { permission: 'admin' as const } };
  const bindingSchema = z.object({
    scope: z.union([z.literal('*'), z.string().regex(MODEL_NAME)]),
    role: z.enum(['reader', 'publisher', 'approver', 'admin']),
  });

  app.get(
    '/api/v1/principals',
    {
      config: adminOnly,
      schema: {
        response: {
          200: z.array(
            z.object({
              id: z.number(),
              name: z.string(),
              kind: z.string(),
              bindings: z.array(z.object({ scope: z.string(), role: z.string() })),
            }),
          ),
        },
      },
    },
    async () => admins.list(),
  );

  app.post(
    '/api/v1/principals',
    {
      config: adminOnly,
      schema: {
        body: z.object({
          name: z.string().max(128),
          kind: z.enum(['user', 'service']),
          bindings: z.array(bindingSchema).max(100).default([]),
        }),
        response: { 201: z.object({ id: z.number() }), 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const { name, kind, bindings } = request.body;
      return reply.code(201).send({ id: await admins.createPrincipal(request.principal!, name, kind, bindings) });
    },
  );

  app.post(
    '/api/v1/principals/:id/tokens',
    {
      config: adminOnly,
      schema: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ ttlDays: z.number().int().min(1).max(3650).optional() }).default({}),
        response: {
          201: z.object({ token: z.string(), id: z.number(), prefix: z.string(), expiresAt: z.string().nullable() }),
          404: errorSchema,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await admins.issueToken(request.principal!, request.params.id, request.body.ttlDays)),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: adminOnly,
      schema: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 204: z.null(), 404: errorSchema },
      },
    },
    async (request, reply) => {
      await admins.revokeToken(request.principal!, request.params.id);
      return reply.code(204).send(null);
    },
  );

  const b64 = (hashes: readonly Buffer[]) => hashes.map((hash) => hash.toString('base64'));
  const readAll = { access: { permission: 'model:read' as const } };

  app.get('/api/v1/audit/checkpoint', { config: readAll }, async (_request, reply) =>
    reply.header('content-type', 'text/plain; charset=utf-8').send(await audit.checkpoint()),
  );
  app.get(
    '/api/v1/audit/key',
    {
      config: readAll,
      schema: { response: { 200: z.object({ name: z.string(), origin: z.string(), pem: z.string() }) } },
    },
    async () => audit.publicKey(),
  );
  app.get(
    '/api/v1/audit/entries',
    {
      config: readAll,
      schema: {
        querystring: z.object({
          from: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(10_000).default(1000),
        }),
        response: { 200: z.object({ from: z.number(), entries: z.array(z.string()) }) },
      },
    },
    async (request) => ({
      from: request.query.from,
      entries: await audit.entries(request.query.from, request.query.limit),
    }),
  );
  app.get(
    '/api/v1/audit/proof/inclusion',
    {
      config: readAll,
      schema: {
        querystring: z.object({
          index: z.coerce.number().int().min(0),
          size: z.coerce.number().int().min(1).optional(),
        }),
        response: { 200: z.object({ hashes: z.array(z.string()) }) },
      },
    },
    async (request) => ({ hashes: b64(await audit.inclusion(request.query.index, request.query.size)) }),
  );
  app.get(
    '/api/v1/audit/proof/consistency',
    {
      config: readAll,
      schema: {
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1).optional() }),
        response: { 200: z.object({ hashes: z.array(z.string()) }) },
      },
    },
    async (request) => ({ hashes: b64(await audit.consistency(request.query.from, request.query.to)) }),
  );

  return app;
}

/** The model a request is about: the `:name` route parameter, when the route has one. */
function modelOf(request: FastifyRequest): string | undefined {
  const params = request.params as { name?: unknown } | undefined;
  return typeof params?.name === 'string' ? params.name : undefined;
}
