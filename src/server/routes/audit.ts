import { z } from 'zod';
import type { RouteContext, ZodApp } from './context.js';

/** The audit log: checkpoints, entries and proofs. */
export function registerAuditRoutes(app: ZodApp, context: RouteContext): void {
  const { audit } = context;
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
}
