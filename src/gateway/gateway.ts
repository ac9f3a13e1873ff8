import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Agent } from 'undici';
import { instancesOf } from './abuse/features.js';
import { QueryScreen } from './abuse/screen.js';
import { screenChat } from './chat.js';
import type { GatewayConfig, ModelConfig, RateLimit } from './config.js';
import { type Refusal, type RequestFacts, refuse } from './facts.js';
import { forwardedPath } from './forward-path.js';
import { type Buckets, type Decision, MemoryBuckets } from './limits.js';
import { OidcCallers } from './oidc.js';
import { checkProfile } from './profile-check.js';
import { sendAnswer } from './respond.js';
import { EventQueue, type EventSink, GatewayMetrics } from './telemetry.js';
import { callUpstream, type UpstreamAnswer, upstreamOf } from './upstream.js';

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
  const queries = new QueryScreen();
  const oidc = new OidcCallers();
  app.addHook('onClose', async () => events.close());
  // One event and one set of metrics per proxied request, after the response is sent.
  app.addHook('onResponse', (request, reply, done) => {
    const facts = request.gateway;
    if (facts) record(facts, reply.statusCode, reply.elapsedTime);
    done();
  });
  const record = (facts: RequestFacts, status: number, latency: number) => {
    metrics.requests.inc({ model: facts.model, status: String(status) });
    metrics.latency.observe({ model: facts.model }, latency / 1000);
    for (const verdict of facts.verdicts) metrics.detections.inc({ verdict: verdict.split(':')[0]! });
    if (!events.accepting) return;
    events.push({
      at: new Date().toISOString(),
      model: facts.model,
      key: facts.key,
      status,
      latencyMs: Math.round(latency * 100) / 100,
      verdicts: facts.verdicts,
      bodySha256: facts.bodySha256,
      ...(facts.scores ? { scores: facts.scores } : {}),
      ...(facts.inputs ? { inputs: facts.inputs } : {}),
      ...(facts.outputs ? { outputs: facts.outputs } : {}),
      ...(facts.requestId ? { requestId: facts.requestId } : {}),
    });
  };
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  app.addHook('onClose', async () => agent.close());
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new WeakMap<object, ValidateFunction>();

  // Bodies arrive as raw bytes: checked here, forwarded unchanged.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 << 20 }, (_request, body, done) => done(null, body));

  /** The configuration's keys with their hashes decoded and their callers built, once per configuration. */
  const keyCallers = new WeakMap<GatewayConfig['keys'], { hash: Buffer; caller: Caller }[]>();
  const configuredCallers = (keys: GatewayConfig['keys']) => {
    let known = keyCallers.get(keys);
    if (!known) {
      known = keys.map((entry) => {
        const budget = entry.tokenBudget;
        const anyModel = entry.models.includes('*');
        const caller: Caller = {
          id: entry.id,
          mayCall: (model) => anyModel || entry.models.includes(model),
          ...(entry.limits ? { limits: entry.limits } : {}),
          ...(budget ? { tokenBudget: { requestsPerMinute: budget.tokensPerMinute, burst: budget.maxTokens } } : {}),
        };
        return { hash: Buffer.from(entry.sha256, 'hex'), caller };
      });
      keyCallers.set(keys, known);
    }
    return known;
  };

  /** A configuration key (by hash), a single sign-on JWT, else whoever the host's caller check says. */
  const callerOf = (token: string, config: GatewayConfig): Caller | Promise<Caller | undefined> => {
    const hash = keyHash(token);
    for (const known of configuredCallers(config.keys)) if (timingSafeEqual(known.hash, hash)) return known.caller;
    return otherCaller(token, config);
  };
  const otherCaller = async (token: string, config: GatewayConfig): Promise<Caller | undefined> => {
    const user = config.oidc ? await oidc.caller(token, config.oidc) : undefined;
    return user ?? (deps.callers ? deps.callers(token) : undefined);
  };

  /** Spends a token of the limit; refuses the request (true) when none is left. */
  const limited = (reply: FastifyReply, key: string, decision: Decision | undefined): boolean => {
    if (!decision || decision.allowed) return false;
    reply.header('retry-after', String(Math.ceil(decision.retryAfterMs / 1000)));
    refuse(reply, {
      status: 429,
      error: 'RATE_LIMITED',
      message: `rate limit reached (${key.split(':')[0]}); retry later`,
    });
    return true;
  };
  /** The bucket's decision: at once from memory, awaited only from a shared store. */
  const take = (key: string, limit: RateLimit | undefined): Decision | Promise<Decision> | undefined =>
    limit && buckets.take(key, limit);

  const open = { config: { access: { public: true as const } } };
  app.get('/healthz', open, async () => ({ ok: true }));
  app.get('/metrics', open, async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  app.all('/:model/*', open, async (request, reply) => {
    const config = deps.config();
    const { model } = request.params as { model: string };
    const target = config.models[model];
    if (!target) return refuse(reply, { status: 404, error: 'UNKNOWN_MODEL', message: `no model ${model}` });
    const path = forwardedPath(request.url, request.routeOptions.url ?? '/:model/*');
    if (path === undefined) {
      return refuse(reply, {
        status: 400,
        error: 'BAD_PATH',
        message: 'dot segments and malformed encoding are refused',
      });
    }
    const facts: RequestFacts = { model, key: null, verdicts: [], bodySha256: null };
    request.gateway = facts;
    const ip = `ip:${request.ip}`;
    let decision = take(ip, config.limits.perIp);
    if (limited(reply, ip, decision instanceof Promise ? await decision : decision)) return reply;

    const presented = apiKeyOf(request.headers);
    let key = presented ? callerOf(presented, config) : undefined;
    if (key instanceof Promise) key = await key;
    if (!key) return refuse(reply, { status: 401, error: 'UNAUTHENTICATED', message: 'a valid API key is required' });
    if (!key.mayCall(model)) {
      return refuse(reply, { status: 403, error: 'FORBIDDEN', message: `key ${key.id} may not call ${model}` });
    }
    facts.key = key.id;
    const perKey = `key:${key.id}`;
    decision = take(perKey, key.limits ?? config.limits.perKey);
    if (limited(reply, perKey, decision instanceof Promise ? await decision : decision)) return reply;
    const perModel = `model:${model}`;
    decision = take(perModel, target.limits);
    if (limited(reply, perModel, decision instanceof Promise ? await decision : decision)) return reply;
    if (target.kind === 'openai' && key.tokenBudget) {
      // Only asks: the answer's tokens are charged once it says how many it used.
      const left = await buckets.take(`tokens:${key.id}`, key.tokenBudget, 0);
      if (!left.allowed) {
        reply.header('retry-after', String(Math.ceil(left.retryAfterMs / 1000)));
        return refuse(reply, {
          status: 429,
          error: 'TOKEN_BUDGET',
          message: `key ${key.id} has used its token budget; retry later`,
        });
      }
      facts.tokenBudget = key.tokenBudget;
    }

    let body = request.body as Buffer | undefined;
    const checked = checkBody(body, String(request.headers['content-type'] ?? ''), target, config);
    if (body && body.length > 0 && events.accepting) {
      facts.bodySha256 = createHash('sha256').update(body).digest('hex');
    }
    if ('error' in checked) return refuse(reply, checked);
    const { json } = checked;
    if (target.kind === 'openai' && body && body.length > 0) {
      // Parsed above when labelled JSON; a chat body under another content type is still read, so a
      // label cannot switch the prompt check off.
      const screened = await screenChat(target, json ?? parseOrUndefined(body), body, facts, request.log);
      if ('error' in screened) return refuse(reply, screened);
      body = screened.body;
    } else if (target.kind === 'rest' && json !== undefined) {
      const refusal = checkProfile(target, json, facts) ?? queries.screen(target, json, facts, request.log);
      if (refusal) return refuse(reply, refusal);
      if (config.events.inputs === 'features') {
        facts.inputs = instancesForEvent(json);
        facts.requestId = requestIdOf(request.headers['x-request-id']);
        reply.header('x-mlsecops-request-id', facts.requestId);
      }
    }
    return forward(request, reply, target, path, body);
  });

  /** Size, nesting, JSON syntax and the model's JSON Schema; the parsed body when it is JSON. */
  function checkBody(
    body: Buffer | undefined,
    contentType: string,
    target: ModelConfig,
    config: GatewayConfig,
  ): Refusal | { json: unknown } {
    if (!body || body.length === 0) return { json: undefined };
    if (body.length > target.maxBodyBytes) {
      return { status: 413, error: 'TOO_LARGE', message: `request body over ${target.maxBodyBytes} bytes` };
    }
    if (!/json/i.test(contentType)) return { json: undefined };
    const text = body.toString('utf8');
    if (jsonDepth(text) > config.maxJsonDepth) {
      return { status: 400, error: 'TOO_DEEP', message: `JSON nested deeper than ${config.maxJsonDepth}` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { status: 400, error: 'BAD_JSON', message: 'request body is not valid JSON' };
    }
    if (target.schema) {
      let validate = validators.get(target.schema);
      if (!validate) {
        validate = ajv.compile(target.schema);
        validators.set(target.schema, validate);
      }
      if (!validate(json)) {
        const first = validate.errors?.[0];
        const where = first?.instancePath || '(root)';
        return { status: 400, error: 'SCHEMA', message: `request body ${where} ${first?.message ?? 'is invalid'}` };
      }
    }
    return { json };
  }

  async function forward(
    request: FastifyRequest,
    reply: FastifyReply,
    target: ModelConfig,
    path: string,
    body: Buffer | undefined,
  ): Promise<FastifyReply> {
    const { timeoutMs, retries } = target;
    const queryAt = request.url.indexOf('?');
    const { origin, base } = upstreamOf(target.upstream);
    const headers: Record<string, string> = {};
    const incoming = request.headers;
    for (const name in incoming) {
      const value = incoming[name];
      if (value === undefined || DROPPED.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers['x-forwarded-for'] = request.ip;
    const call = {
      origin,
      path: `${base}/${path}${queryAt === -1 ? '' : request.url.slice(queryAt)}`,
      method: request.method,
      headers,
      body,
      timeoutMs,
    };
    const idempotent = request.method === 'GET' || request.method === 'HEAD';
    for (let attempt = 0; ; attempt++) {
      let response: UpstreamAnswer;
      try {
        response = await callUpstream(agent, call);
      } catch (error) {
        if (idempotent && attempt < retries) continue;
        const timedOut = /timeout/i.test((error as Error).name + (error as Error).message);
        return refuse(
          reply,
          timedOut
            ? { status: 504, error: 'UPSTREAM_TIMEOUT', message: 'the model server did not answer in time' }
            : { status: 502, error: 'UPSTREAM_ERROR', message: 'the model server could not be reached' },
        );
      }
      reply.code(response.statusCode);
      const answered = response.headers;
      for (const name in answered) {
        const value = answered[name];
        if (value !== undefined && !DROPPED.has(name)) reply.header(name, value);
      }
      try {
        return await sendAnswer(buckets, request, reply, target, response);
      } catch {
        // The upstream failed mid-answer (reset, body timeout): nothing may have been sent yet.
        if (reply.sent) return reply;
        return refuse(reply, {
          status: 502,
          error: 'UPSTREAM_ERROR',
          message: 'the model server broke off its answer',
        });
      }
    }
  }
}

/** The caller's request id when it is a short token, else a fresh one. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();
}

/** The query instances of a request for its event: at most 16, each as sent. */
function instancesForEvent(json: unknown): unknown[] {
  const instances = instancesOf(json);
  return instances.slice(0, 16);
}

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
