import { z } from 'zod';
import { AccessAdmin, can, MODEL_NAME, permissions } from '../../registry/index.js';
import { errorSchema } from '../schemas.js';
import type { RouteContext, ZodApp } from './context.js';

/** Accounts and tokens (admin only). */
export function registerAdminRoutes(app: ZodApp, context: RouteContext): void {
  const { deps, audit } = context;
  const admins = new AccessAdmin(deps.database, audit);
  const adminOnly = { access: { permission: 'admin' as const } };
  const bindingSchema = z.object({
    // `*`, a model, or a project `<project>.*`.
    scope: z.union([z.literal('*'), z.string().regex(MODEL_NAME), z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}\.\*$/)]),
    role: z.enum(['reader', 'publisher', 'approver', 'admin']),
  });

  app.get(
    '/api/v1/me',
    {
      config: { access: { authenticated: true } },
      schema: {
        response: {
          200: z.object({
            id: z.number(),
            name: z.string(),
            kind: z.string(),
            bindings: z.array(z.object({ scope: z.string(), role: z.string() })),
            /** What the caller may do on every model (`*` bindings); per-model rights are in `bindings`. */
            permissions: z.array(z.string()),
          }),
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return {
        id: principal.id,
        name: principal.name,
        kind: principal.kind,
        bindings: principal.bindings.map((binding) => ({ ...binding })),
        permissions: permissions.filter((permission) => can(principal, permission)),
      };
    },
  );

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

  app.put(
    '/api/v1/principals/:id/bindings',
    {
      config: adminOnly,
      schema: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ bindings: z.array(bindingSchema).max(100) }),
        response: { 204: z.null(), 404: errorSchema },
      },
    },
    async (request, reply) => {
      await admins.setBindings(request.principal!, request.params.id, request.body.bindings);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/principals/:id/tokens',
    {
      config: adminOnly,
      schema: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        // No body at all is fine: a token that does not expire.
        body: z.object({ ttlDays: z.number().int().min(1).max(3650).optional() }).nullish(),
        response: {
          201: z.object({ token: z.string(), id: z.number(), prefix: z.string(), expiresAt: z.string().nullable() }),
          404: errorSchema,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await admins.issueToken(request.principal!, request.params.id, request.body?.ttlDays)),
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
}
