import type { Readable } from 'node:stream';
import { z } from 'zod';
import { annotateVersion, annotationsSchema, attachSignature, can, signatureBundle } from '../../registry/index.js';
import { errorSchema, modelParams, modelSchema, versionParams, versionSchema } from '../schemas.js';
import type { RouteContext, ZodApp } from './context.js';

/** Models, versions, uploads, downloads, signatures and annotations. */
export function registerModelRoutes(app: ZodApp, context: RouteContext): void {
  const { deps, registry, audit } = context;
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
}
