import type { Redis } from 'ioredis';
import type { RateLimit } from './config.js';

export interface Decision {
  readonly allowed: boolean;
  /** When refused: how long until one request would be allowed. */
  readonly retryAfterMs: number;
}

/**
 * Token buckets by key. `take` spends `cost` tokens (default 1) when at least one is left; a cost
 * larger than what is left drives the bucket below zero (an LLM answer's tokens are known only
 * after it), and later takes wait until it refills. A cost of 0 only asks. Buckets in memory decide
 * at once; shared ones answer with a promise (every request takes up to three, so the in-memory
 * default spares the request path a promise each).
 */
export interface Buckets {
  take(key: string, limit: RateLimit, cost?: number, now?: number): Decision | Promise<Decision>;
}

const ALLOWED: Decision = Object.freeze({ allowed: true, retryAfterMs: 0 });

/** Tokens in a bucket after `elapsed` ms, and the decision for one request. */
function refill(tokens: number, elapsedMs: number, limit: RateLimit): number {
  return Math.min(limit.burst, tokens + (elapsedMs * limit.requestsPerMinute) / 60_000);
}

/** Buckets in this process's memory: the default, for one gateway replica. */
export class MemoryBuckets implements Buckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  take(key: string, limit: RateLimit, cost = 1, now = Date.now()): Decision {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= 1_000_000) this.buckets.clear();
      bucket = { tokens: limit.burst, at: now };
      this.buckets.set(key, bucket);
    }
    const tokens = refill(bucket.tokens, Math.max(0, now - bucket.at), limit);
    bucket.at = now;
    if (tokens >= 1) {
      bucket.tokens = tokens - cost;
      return ALLOWED;
    }
    bucket.tokens = tokens;
    return { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) * 60_000) / limit.requestsPerMinute) };
  }
}

// One atomic step per request in Redis: refill by elapsed time (Redis's clock, so replicas with
// skewed clocks agree), spend a token if there is one, and keep the bucket only as long as it takes
// to fill up again.
const TAKE = `
local tokens = tonumber(redis.call('HGET', KEYS[1], 't'))
local at = tonumber(redis.call('HGET', KEYS[1], 'a'))
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local perMs = tonumber(ARGV[2]) / 60000
local burst = tonumber(ARGV[3])
if tokens == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local allowed = 0
if tokens >= 1 then tokens = tokens - tonumber(ARGV[4]); allowed = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
if allowed == 1 then return {1, 0} end
return {0, math.ceil((1 - tokens) / perMs)}
`;

/** Buckets in Redis, shared by every gateway replica using the same Redis. */
export class RedisBuckets implements Buckets {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'mlsecops:gw:',
  ) {}

  async take(key: string, limit: RateLimit, cost = 1): Promise<Decision> {
    const [allowed, retry] = (await this.redis.eval(
      TAKE,
      1,
      `${this.prefix}${key}`,
      '0',
      String(limit.requestsPerMinute),
      String(limit.burst),
      String(cost),
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterMs: Number(retry) };
  }
}

/**
 * Shared buckets on the Redis at `url`, once it answers. A replica that cannot reach the shared
 * counters does not start; one that started before its connection was up would answer its first
 * requests with errors. Commands are never queued while the connection is down: a request gets an
 * error at once rather than waiting.
 */
export async function connectBuckets(
  url: string,
  timeoutMs = 10_000,
): Promise<{ buckets: RedisBuckets; redis: Redis }> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    lazyConnect: true,
    connectTimeout: timeoutMs,
  });
  // Connection errors surface on the requests that meet them (and in the request log), not as
  // ioredis's unhandled-error warnings; the last one explains a failed start.
  let last: Error | undefined;
  redis.on('error', (error: Error) => {
    last = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach Redis (MLSECOPS_REDIS_URL): ${(last ?? (error as Error)).message}`);
  }
  return { buckets: new RedisBuckets(redis), redis };
}
