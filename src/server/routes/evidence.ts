import { z } from 'zod';
import { evidenceSchema, findingSchema, severitySchema } from '../../contracts/index.js';
import { ALIAS_NAME, attachableKinds, evidenceKinds, MAX_EVIDENCE_BYTES } from '../../registry/index.js';
import { errorSchema, versionParams } from '../schemas.js';
import type { RouteContext, ZodApp } from './context.js';

const recordSchema = z.object({
  id: z.number(),
  kind: z.enum(evidenceKinds),
  name: z.string(),
  digest: z.string(),
  summary: z.object({
    findings: z.number().optional(),
    bySeverity: z.record(severitySchema, z.number()).optional(),
    worst: severitySchema.optional(),
    rules: z.array(z.string()).optional(),
    files: z.number().optional(),
    errors: z.number().optional(),
    type: z.string().optional(),
    metrics: z.record(z.string(), z.number()).optional(),
  }),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

const list = (value: unknown) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);

/** Evidence attached to versions: the registry's scan reports, data scans, assessments, attestations. */
export function registerEvidenceRoutes(app: ZodApp, context: RouteContext): void {
  const { evidence, promotions } = context;
  const read = { access: { permission: 'model:read' } } as const;

  app.get(
    '/api/v1/models/:name/versions/:number/evidence',
    {
      config: read,
      schema: { params: versionParams, response: { 200: z.object({ evidence: z.array(recordSchema) }) } },
    },
    async (request) => ({ evidence: await evidence.list(request.params.name, request.params.number) }),
  );

  app.post(
    '/api/v1/models/:name/versions/:number/evidence',
    {
      config: { access: { permission: 'model:register' } },
      bodyLimit: MAX_EVIDENCE_BYTES + 1024,
      schema: {
        params: versionParams,
        body: z.object({
          kind: z.enum(attachableKinds),
          name: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/)
            .default('default'),
          document: z.unknown(),
        }),
        response: { 201: z.object({ id: z.number(), digest: z.string() }), 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { name, number } = request.params;
      const { kind, name: label, document } = request.body;
      return reply.code(201).send(await evidence.attach(request.principal!, name, number, kind, label, document));
    },
  );

  app.get(
    '/api/v1/models/:name/versions/:number/evidence/:id',
    {
      config: read,
      schema: {
        params: versionParams.extend({ id: z.coerce.number().int().positive() }),
        response: { 200: recordSchema.extend({ document: z.unknown() }), 404: errorSchema },
      },
    },
    async (request) => evidence.document(request.params.name, request.params.number, request.params.id),
  );

  app.get(
    '/api/v1/models/:name/versions/:number/evidence-document',
    {
      config: read,
      schema: {
        params: versionParams,
        querystring: z.object({ alias: z.string().regex(ALIAS_NAME).optional() }),
        response: { 200: evidenceSchema, 404: errorSchema },
      },
    },
    async (request) => promotions.evidence(request.params.name, request.params.number, request.query.alias ?? null),
  );

  app.get(
    '/api/v1/models/:name/versions/:number/findings',
    {
      config: read,
      schema: {
        params: versionParams,
        querystring: z.object({
          kind: z.enum(['scan', 'data-scan', 'assessment']).default('scan'),
          severity: z.preprocess(list, z.array(severitySchema)).optional(),
          rule: z.string().max(200).optional(),
          path: z.string().max(4096).optional(),
          q: z.string().max(200).optional(),
          offset: z.coerce.number().int().nonnegative().default(0),
          limit: z.coerce.number().int().positive().max(10_000).default(500),
        }),
        response: {
          200: z.object({
            total: z.number(),
            matched: z.number(),
            facets: z.object({
              bySeverity: z.record(z.string(), z.number()),
              byRule: z.record(z.string(), z.number()),
              byPath: z.record(z.string(), z.number()),
            }),
            findings: z.array(findingSchema),
          }),
        },
      },
    },
    async (request) => {
      const { kind, severity, rule, path, q, offset, limit } = request.query;
      return evidence.findings(request.params.name, request.params.number, {
        kind,
        offset,
        limit,
        ...(severity ? { severity } : {}),
        ...(rule ? { rule } : {}),
        ...(path ? { path } : {}),
        ...(q ? { text: q } : {}),
      });
    },
  );
}
