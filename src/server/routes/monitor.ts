import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { profileDataset, referenceProfileSchema } from '../../drift/index.js';
import { alertRuleSchema, type Monitor, monitorSettingsSchema } from '../../monitor/index.js';
import { errorSchema, modelParams } from '../schemas.js';
import type { RouteContext, ZodApp } from './context.js';

/** Largest uploaded batch, in bytes. */
const MAX_BATCH_BYTES = 512 * 2 ** 20;

const actorOf = (request: { principal?: { id: number; name: string } }) =>
  request.principal ? { id: request.principal.id, name: request.principal.name } : null;

/** Monitoring: references, checks, batches, alert rules and alerts; incidents and their timelines. */
export function registerMonitorRoutes(app: ZodApp, context: RouteContext & { monitor: Monitor }): void {
  const { monitor } = context;
  const incidentParams = z.object({ id: z.coerce.number().int().positive() });

  app.put(
    '/api/v1/monitor/models/:name/reference',
    {
      config: { access: { permission: 'model:register' } },
      schema: {
        params: modelParams,
        body: z.object({
          version: z.number().int().positive(),
          profile: referenceProfileSchema,
          settings: monitorSettingsSchema.partial().default({}),
        }),
        response: { 204: z.null(), 400: errorSchema },
      },
      bodyLimit: 64 * 2 ** 20,
    },
    async (request, reply) => {
      const { version, profile, settings } = request.body;
      await monitor.setReference(request.params.name, version, profile, settings, actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/monitor/models/:name/checks',
    {
      config: { access: { permission: 'model:read' } },
      schema: {
        params: modelParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      },
    },
    async (request) => ({ checks: await monitor.checks(request.params.name, request.query.limit) }),
  );

  app.post(
    '/api/v1/monitor/models/:name/batches',
    {
      config: { access: { permission: 'model:register' } },
      schema: {
        params: modelParams,
        querystring: z.object({ format: z.enum(['csv', 'tsv', 'jsonl', 'json', 'parquet']).default('csv') }),
      },
    },
    async (request) => {
      const [reference] = await monitor.references(request.params.name);
      if (!reference) throw new RangeError(`model ${request.params.name} has no reference profile; set one first`);
      const dir = await mkdtemp(join(tmpdir(), 'mlsecops-batch-'));
      const file = join(dir, `${randomUUID()}.${request.query.format}`);
      try {
        let bytes = 0;
        const body = request.body as Readable;
        body.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > MAX_BATCH_BYTES) body.destroy(new RangeError(`batch over ${MAX_BATCH_BYTES} bytes`));
        });
        await pipeline(body, createWriteStream(file));
        const types = Object.fromEntries(reference.profile.columns.map((column) => [column.name, column.type]));
        const { profile, issues } = await profileDataset(file, { types });
        const check = await monitor.checkBatch(request.params.name, profile);
        return { ...check, issues: issues.slice(0, 20) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.post(
    '/api/v1/monitor/models/:name/labels',
    {
      config: { access: { permission: 'model:register' } },
      schema: {
        params: modelParams,
        body: z.object({
          labels: z
            .array(
              z.object({
                requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}(#\d{1,3})?$/),
                label: z.union([z.string().max(200), z.number()]),
              }),
            )
            .min(1)
            .max(10_000),
        }),
      },
      bodyLimit: 8 * 2 ** 20,
    },
    async (request) => ({ stored: await monitor.addLabels(request.params.name, request.body.labels) }),
  );

  const admin = { access: { permission: 'admin' as const } };
  app.post('/api/v1/monitor/run', { config: admin }, async () => ({ checks: await monitor.tick() }));
  app.get('/api/v1/monitor/alert-rules', { config: admin }, async () => ({
    // Webhook secrets are write-only.
    rules: (await monitor.alerting.rules()).map((rule) => ({
      ...rule,
      webhooks: rule.webhooks.map(({ url, format }) => ({ url, format })),
    })),
  }));
  app.put('/api/v1/monitor/alert-rules', { config: admin, schema: { body: alertRuleSchema } }, async (request) => {
    const rule = await monitor.alerting.putRule(request.body, actorOf(request));
    return { name: rule.name };
  });
  app.get(
    '/api/v1/monitor/alerts',
    {
      config: admin,
      schema: { querystring: z.object({ state: z.enum(['pending', 'firing', 'resolved']).optional() }) },
    },
    async (request) => ({ alerts: await monitor.alerting.alerts(request.query.state) }),
  );

  const manage = { access: { permission: 'incident:manage' as const } };
  const readAll = { access: { permission: 'model:read' as const } };
  const noteBody = z.object({ note: z.string().min(1).max(10_000) });
  app.get(
    '/api/v1/incidents',
    {
      config: readAll,
      schema: {
        querystring: z.object({
          status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
          model: z.string().optional(),
        }),
      },
    },
    async (request) => ({ incidents: await monitor.incidents.list(request.query) }),
  );
  app.post(
    '/api/v1/incidents',
    {
      config: manage,
      schema: {
        body: z.object({
          title: z.string().min(1).max(500),
          model: z.string().max(200).nullable().default(null),
          severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).default('medium'),
          note: z.string().max(10_000).default(''),
        }),
      },
    },
    async (request, reply) => {
      const id = await monitor.incidents.open({ ...request.body, source: 'manual' }, actorOf(request));
      return reply.code(201).send(await monitor.incidents.get(id));
    },
  );
  app.get('/api/v1/incidents/:id', { config: readAll, schema: { params: incidentParams } }, async (request) =>
    monitor.incidents.get(request.params.id),
  );
  for (const [path, status] of [
    ['acknowledge', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    app.post(
      `/api/v1/incidents/:id/${path}`,
      { config: manage, schema: { params: incidentParams, body: noteBody } },
      async (request) => monitor.incidents.transition(request.params.id, status, request.body.note, actorOf(request)),
    );
  }
  app.post(
    '/api/v1/incidents/:id/notes',
    { config: manage, schema: { params: incidentParams, body: noteBody } },
    async (request) => {
      await monitor.incidents.note(request.params.id, request.body.note, actorOf(request));
      return monitor.incidents.get(request.params.id);
    },
  );
}
