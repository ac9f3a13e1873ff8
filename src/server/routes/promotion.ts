import { z } from 'zod';
import { gateDecisionSchema } from '../../contracts/index.js';
import { ALIAS_NAME } from '../../registry/index.js';
import { errorSchema, modelParams, versionParams } from '../schemas.js';
import type { RouteContext, ZodApp } from './context.js';

/** Approvals, the promotion gate and alias history. */
export function registerPromotionRoutes(app: ZodApp, context: RouteContext): void {
  const { promotions } = context;
  const aliasParams = modelParams.extend({ alias: z.string().regex(ALIAS_NAME) });
  const gateSchema = z.object({
    passed: z.boolean(),
    checks: z.array(z.object({ check: z.string(), passed: z.boolean(), detail: z.string() })),
    decisions: z.array(gateDecisionSchema),
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

  const storedSchema = z.object({
    id: z.number(),
    model: z.string(),
    version: z.number(),
    alias: z.string(),
    passed: z.boolean(),
    checks: gateSchema.shape.checks,
    decision: z.unknown(),
    decidedAt: z.string(),
    requestedBy: z.string(),
  });
  const limit = z.object({ limit: z.coerce.number().int().positive().max(1000).default(100) });
  app.get(
    '/api/v1/gate-decisions',
    {
      config: { access: { permission: 'model:read' } },
      schema: { querystring: limit, response: { 200: z.object({ decisions: z.array(storedSchema) }) } },
    },
    async (request) => ({ decisions: await promotions.decisions(undefined, request.query.limit) }),
  );
  app.get(
    '/api/v1/models/:name/gate-decisions',
    {
      config: { access: { permission: 'model:read' } },
      schema: {
        params: modelParams,
        querystring: limit,
        response: { 200: z.object({ decisions: z.array(storedSchema) }) },
      },
    },
    async (request) => ({ decisions: await promotions.decisions(request.params.name, request.query.limit) }),
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
}
