import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Agent, request as upstreamRequest } from 'undici';
import { scanAnswer, tokensUsed } from './answers.js';
import type { GatewayConfig, RateLimit } from './config.js';
import { type Buckets, MemoryBuckets } from './limits.js';
import { promptHits, requestText } from './prompt-rules.js';
import { EventQueue, type EventSink, GatewayMetrics } from './telemetry.js';

export interface GatewayDeps {
  /** The configuration in force; called per request, so a reloaded file applies at once. */
  readonly config: () => GatewayConfig;
  /** Where per-request events go (batched, never waited on); none when omitted. */
  readonly events?: EventSink;
  /**
   * Callers other than the configuration's keys (the registry's tokens when mounted in `serve`):
   * who the bearer is and whether they may call a model; undefined when the token is not theirs.
   */
  readonly callers?: (token: string) => Promise<Caller | undefined>;
  readonly buckets?: Buckets;
  readonly logger?: boolean | { level: string };
}

/** Who is calling, as the gateway needs it: an id for limits and events, and the models allowed. */
export interface Caller {
  readonly id: string;
  mayCall(model: string): boolean;
  readonly limits?: RateLimit;
  /** LLM token budget as a bucket: tokens per minute, and the most saved up. */
  readonly tokenBudget?: RateLimit;
}

/** What the gateway learned about a request, for its event and metrics. */
interface RequestFacts {
  readonly model: string;
  key: string | null;
  readonly verdicts: string[];
  bodySha256: string | null;
  /** The caller's LLM token budget, charged when the answer says how many tokens it used. */
  tokenBudget?: RateLimit;
}

declare module 'fastify' {
  interface FastifyRequest {
    gateway?: RequestFacts;
  }
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
  await app.register(gatewayRoutes, deps);
  return app;
}

/**
 * The gateway as a Fastify plugin: registered at the root by `createGateway`, or under a prefix of
 * another app (`mlsecops serve --gateway-config` mounts it at `/gateway`). Its routes authenticate
 * callers themselves, so they declare public access to a host app that asks.
 */
export async function gatewayRoutes(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  const buckets = deps.buckets ?? new MemoryBuckets();
  const metrics = new GatewayMetrics();
  const events = new EventQueue(deps.events, metrics);
  app.addHook('onClose', async () => events.close());
  // One event and one set of metrics per proxied request, after the response is sent.
  app.addHook('onResponse', async (request, reply) => {
    const facts = request.gateway;
    if (!facts) return;
    const latency = reply.elapsedTime;
    metrics.requests.inc({ model: facts.model, status: String(reply.statusCode) });
    metrics.latency.observe({ model: facts.model }, latency / 1000);
    for (const verdict of facts.verdicts) metrics.detections.inc({ verdict });
    events.push({
      at: new Date().toISOString(),
      model: facts.model,
      key: facts.key,
      status: reply.statusCode,
      latencyMs: Math.round(latency * 100) / 100,
      verdicts: facts.verdicts,
      bodySha256: facts.bodySha256,
    });
  });
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  app.addHook('onClose', async () => agent.close());
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new WeakMap<object, ValidateFunction>();

  // Bodies arrive as raw bytes: checked here, forwarded unchanged.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 << 20 }, (_request, body, done) => done(null, body));

  /** A configuration key (by hash), else whoever the host's caller check says. */
  const callerOf = async (token: string, config: GatewayConfig): Promise<Caller | undefined> => {
    const hash = keyHash(token);
    const entry = config.keys.find((candidate) => timingSafeEqual(Buffer.from(candidate.sha256, 'hex'), hash));
    if (entry) {
      const budget = entry.tokenBudget;
      return {
        id: entry.id,
        mayCall: (model) => entry.models.includes('*') || entry.models.includes(model),
        ...(entry.limits ? { limits: entry.limits } : {}),
        ...(budget ? { tokenBudget: { requestsPerMinute: budget.tokensPerMinute, burst: budget.maxTokens } } : {}),
      };
    }
    return deps.callers ? deps.callers(token) : undefined;
  };

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

  const open = { config: { access: { public: true as const } } };
  app.get('/healthz', open, async () => ({ ok: true }));
  app.get('/metrics', open, async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  app.all('/:model/*', open, async (request, reply) => {
    const config = deps.config();
    const { model } = request.params as { model: string };
    const target = config.models[model];
    if (!target) return refuse(reply, 404, 'UNKNOWN_MODEL', `no model ${model}`);
    const facts: RequestFacts = { model, key: null, verdicts: [], bodySha256: null };
    request.gateway = facts;
    if (await limited(reply, `ip:${request.ip}`, config.limits.perIp)) return reply;

    const presented = apiKeyOf(request.headers);
    const key = presented ? await callerOf(presented, config) : undefined;
    if (!key) return refuse(reply, 401, 'UNAUTHENTICATED', 'a valid API key is required');
    if (!key.mayCall(model)) return refuse(reply, 403, 'FORBIDDEN', `key ${key.id} may not call ${model}`);
    facts.key = key.id;
    if (await limited(reply, `key:${key.id}`, key.limits ?? config.limits.perKey)) return reply;
    if (await limited(reply, `model:${model}`, target.limits)) return reply;
    if (target.kind === 'openai' && key.tokenBudget) {
      // Only asks: the answer's tokens are charged once it says how many it used.
      const left = await buckets.take(`tokens:${key.id}`, key.tokenBudget, 0);
      if (!left.allowed) {
        reply.header('retry-after', String(Math.ceil(left.retryAfterMs / 1000)));
        return refuse(reply, 429, 'TOKEN_BUDGET', `key ${key.id} has used its token budget; retry later`);
      }
      facts.tokenBudget = key.tokenBudget;
    }

    const body = request.body as Buffer | undefined;
    if (body && body.length > 0) facts.bodySha256 = createHash('sha256').update(body).digest('hex');
    if (body && body.length > target.maxBodyBytes) {
      return refuse(reply, 413, 'TOO_LARGE', `request body over ${target.maxBodyBytes} bytes`);
    }
    let json: unknown;
    if (body && body.length > 0 && /json/i.test(String(request.headers['content-type'] ?? ''))) {
      const text = body.toString('utf8');
      if (jsonDepth(text) > config.maxJsonDepth) {
        return refuse(reply, 400, 'TOO_DEEP', `JSON nested deeper than ${config.maxJsonDepth}`);
      }
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
    const verdicts: string[] = [];
    if (target.kind === 'openai' && body && body.length > 0) {
      // Parsed above when labelled JSON; a chat body under another content type is still read, so a
      // label cannot switch the prompt check off.
      const parsedBody = json ?? parseOrUndefined(body);
      const { detectors } = target;
      if (detectors.promptInjection !== 'off') {
        let hits: ReturnType<typeof promptHits>;
        try {
          hits = promptHits(requestText(parsedBody));
        } catch (error) {
          if (!detectors.failOpen) return refuse(reply, 503, 'DETECTOR_FAILED', 'prompt check failed (fail-closed)');
          request.log.error({ err: error }, 'prompt check failed; passing (fail-open)');
          hits = [];
        }
        if (hits.length > 0) {
          const rules = [...new Set(hits.map((hit) => hit.rule))];
          request.log.warn({ model, key: key.id, rules, mode: detectors.promptInjection }, 'prompt injection');
          if (detectors.promptInjection === 'block') {
            facts.verdicts.push(...rules.map((rule) => `prompt-injection:${rule}:blocked`));
            return reply.code(403).send({ error: 'PROMPT_INJECTION', message: 'the prompt was refused', rules });
          }
          verdicts.push(...rules.map((rule) => `prompt-injection:${rule}`));
        }
      }
      if (detectors.outputRedaction === 'redact' && (parsedBody as { stream?: unknown })?.stream === true) {
        return refuse(
          reply,
          400,
          'STREAM_NOT_ALLOWED',
          'this model redacts answers, which needs them whole: set stream to false',
        );
      }
    }
    facts.verdicts.push(...verdicts);
    if (verdicts.length > 0) reply.header('x-mlsecops-verdicts', verdicts.join(', '));
    return forward(request, reply, target, body);
  });

  async function forward(
    request: FastifyRequest,
    reply: FastifyReply,
    target: GatewayConfig['models'][string],
    body: Buffer | undefined,
  ): Promise<FastifyReply> {
    const { upstream, timeoutMs, retries } = target;
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
        const json = /application\/json/i.test(String(response.headers['content-type'] ?? ''));
        const budget = request.gateway?.tokenBudget;
        if (target.kind === 'openai' && json && (target.detectors.outputRedaction !== 'off' || budget)) {
          const answer = await scanAnswer(request, reply, target.detectors.outputRedaction, response.body);
          const used = budget ? tokensUsed(answer) : 0;
          if (budget && used > 0) await buckets.take(`tokens:${request.gateway?.key}`, budget, used);
          return reply.send(answer);
        }
        // Small answers of known length go out in one write; anything else (streams, SSE) is piped.
        const length = Number(response.headers['content-length'] ?? Number.NaN);
        if (Number.isFinite(length) && length <= SMALL_ANSWER) {
          return reply.send(Buffer.from(await response.body.arrayBuffer()));
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
}

/** Answers up to this size with a known length are sent as one buffer rather than piped. */
const SMALL_ANSWER = 256 << 10;

/** A body as JSON, or undefined when it is not JSON. */
function parseOrUndefined(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The API key: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  const key = headers['x-api-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}
