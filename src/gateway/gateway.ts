import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Agent, request as upstreamRequest } from 'undici';
import type { GatewayConfig, RateLimit } from './config.js';
import { type Buckets, MemoryBuckets } from './limits.js';

export interface GatewayDeps {
  /** The configuration in force; called per request, so a reloaded file applies at once. */
  readonly config: () => GatewayConfig;
  readonly buckets?: Buckets;
  readonly logger?: boolean | { level: string };
}

/** Headers never forwarded: hop-by-hop ones, and the caller's credentials for this gateway. */
const DROPPED = new Set([
  'authorization',
  'x-api-key',
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

/** Deepest nesting of a JSON text, counted over brackets outside strings, without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

function keyHash(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/**
 * The inference gateway: `/{model}/…` is proxied to the model's upstream after the caller's API key,
 * its right to the model, the rate limits (per address, key and model) and the request body (size,
 * nesting, JSON Schema) pass. Responses, streamed ones (SSE) included, flow back as they arrive.
 */
export async function createGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger
      ? {
          ...(typeof deps.logger === 'object' ? deps.logger : {}),
          redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
        }
      : false,
    bodyLimit: 64 << 20,
  });
  const buckets = deps.buckets ?? new MemoryBuckets();
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  app.addHook('onClose', async () => agent.close());
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new WeakMap<object, ValidateFunction>();

  // Bodies arrive as raw bytes: checked here, forwarded unchanged.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 << 20 }, (_request, body, done) => done(null, body));

  const refuse = (reply: FastifyReply, status: number, error: string, message: string) =>
    reply.code(status).send({ error, message });

  const limited = async (reply: FastifyReply, key: string, limit: RateLimit | undefined): Promise<boolean> => {
    if (!limit) return false;
    const decision = await buckets.take(key, limit);
    if (decision.allowed) return false;
    reply.header('retry-after', String(Math.ceil(decision.retryAfterMs / 1000)));
    refuse(reply, 429, 'RATE_LIMITED', `rate limit reached (${key.split(':')[0]}); retry later`);
    return true;
  };

  app.get('/healthz', async () => ({ ok: true }));

  app.all('/:model/*', async (request, reply) => {
    const config = deps.config();
    const { model } = request.params as { model: string };
    const target = config.models[model];
    if (!target) return refuse(reply, 404, 'UNKNOWN_MODEL', `no model ${model}`);
    if (await limited(reply, `ip:${request.ip}`, config.limits.perIp)) return reply;

    const presented = apiKeyOf(request.headers);
    const hash = presented ? keyHash(presented) : undefined;
    const key = hash ? config.keys.find((entry) => timingSafeEqual(Buffer.from(entry.sha256, 'hex'), hash)) : undefined;
    if (!key) return refuse(reply, 401, 'UNAUTHENTICATED', 'a valid API key is required');
    if (!key.models.includes('*') && !key.models.includes(model)) {
      return refuse(reply, 403, 'FORBIDDEN', `key ${key.id} may not call ${model}`);
    }
    if (await limited(reply, `key:${key.id}`, key.limits ?? config.limits.perKey)) return reply;
    if (await limited(reply, `model:${model}`, target.limits)) return reply;

    const body = request.body as Buffer | undefined;
    if (body && body.length > target.maxBodyBytes) {
      return refuse(reply, 413, 'TOO_LARGE', `request body over ${target.maxBodyBytes} bytes`);
    }
    if (body && body.length > 0 && /json/i.test(String(request.headers['content-type'] ?? ''))) {
      const text = body.toString('utf8');
      if (jsonDepth(text) > config.maxJsonDepth) {
        return refuse(reply, 400, 'TOO_DEEP', `JSON nested deeper than ${config.maxJsonDepth}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return refuse(reply, 400, 'BAD_JSON', 'request body is not valid JSON');
      }
      if (target.schema) {
        let validate = validators.get(target.schema);
        if (!validate) {
          validate = ajv.compile(target.schema);
          validators.set(target.schema, validate);
        }
        if (!validate(json)) {
          const first = validate.errors?.[0];
          return refuse(
            reply,
            400,
            'SCHEMA',
            `request body ${first?.instancePath || '(root)'} ${first?.message ?? 'is invalid'}`,
          );
        }
      }
    }
    return forward(request, reply, target.upstream, target.timeoutMs, target.retries, body);
  });

  async function forward(
    request: FastifyRequest,
    reply: FastifyReply,
    upstream: string,
    timeoutMs: number,
    retries: number,
    body: Buffer | undefined,
  ): Promise<FastifyReply> {
    const rest = (request.params as { '*': string })['*'];
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const url = new URL(`${upstream.replace(/\/$/, '')}/${rest}${query}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || DROPPED.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers['x-forwarded-for'] = request.ip;
    const idempotent = request.method === 'GET' || request.method === 'HEAD';
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await upstreamRequest(url, {
          method: request.method as 'GET',
          headers,
          ...(body && body.length > 0 ? { body } : {}),
          dispatcher: agent,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        reply.code(response.statusCode);
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && !DROPPED.has(name)) reply.header(name, value);
        }
        return reply.send(response.body);
      } catch (error) {
        if (idempotent && attempt < retries) continue;
        const timedOut = /timeout/i.test((error as Error).name + (error as Error).message);
        return refuse(
          reply,
          timedOut ? 504 : 502,
          timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_ERROR',
          timedOut ? 'the model server did not answer in time' : 'the model server could not be reached',
        );
      }
    }
  }

  return app;
}

/** The API key: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  const key = headers['x-api-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}
