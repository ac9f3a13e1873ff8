import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { z } from 'zod';
import type { Answer } from './graders.js';

/** The one HTTP path of the llm assessment: bounded in time, bytes and retries. */
export interface ChatClientOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxResponseBytes: number;
  /** Waits for a rate-limit slot before each attempt. */
  readonly throttle: () => Promise<void>;
  /** Base backoff in ms; doubled each retry, capped at 10 s. */
  readonly backoffMs?: number;
}

export class ChatError extends Error {
  constructor(
    readonly code: 'TIMEOUT' | 'HTTP_STATUS' | 'RESPONSE_TOO_LARGE' | 'BAD_RESPONSE' | 'NETWORK',
    message: string,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(z.object({ function: z.object({ name: z.string(), arguments: z.unknown().optional() }) }))
            .nullish(),
        }),
      }),
    )
    .min(1),
});

async function readBounded(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw new ChatError('RESPONSE_TOO_LARGE', `response exceeds ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

/** Posts one chat-completions request body; retries 429 and 5xx with exponential backoff. */
export async function postChat(body: unknown, options: ChatClientOptions): Promise<unknown> {
  const backoff = options.backoffMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    await options.throttle();
    const signal = AbortSignal.timeout(options.timeoutMs);
    let status: number;
    let retryAfter: string | string[] | undefined;
    let raw: Buffer;
    try {
      const response = await request(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        body: JSON.stringify(body),
        signal,
      });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      try {
        raw = await readBounded(response.body, options.maxResponseBytes);
      } catch (error) {
        response.body.destroy();
        throw error;
      }
    } catch (error) {
      if (error instanceof ChatError) throw error;
      if (signal.aborted) throw new ChatError('TIMEOUT', `no answer within ${options.timeoutMs} ms`);
      if (attempt < options.retries) {
        await sleep(Math.min(10_000, backoff * 2 ** attempt));
        continue;
      }
      throw new ChatError('NETWORK', error instanceof Error ? error.message : String(error));
    }
    if (retryable(status) && attempt < options.retries) {
      const hinted = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) * 1000;
      await sleep(Math.min(10_000, Number.isFinite(hinted) && hinted > 0 ? hinted : backoff * 2 ** attempt));
      continue;
    }
    if (status < 200 || status >= 300) throw new ChatError('HTTP_STATUS', `HTTP ${status}`);
    try {
      return JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      throw new ChatError('BAD_RESPONSE', 'the answer is not JSON');
    }
  }
}

/** Reads the first choice of an OpenAI-compatible completion; anything else is a BAD_RESPONSE. */
export function parseCompletion(json: unknown): Answer {
  const parsed = completionSchema.safeParse(json);
  if (!parsed.success) throw new ChatError('BAD_RESPONSE', 'the answer is not an OpenAI chat completion');
  const message = parsed.data.choices[0]!.message;
  return {
    content: message.content ?? '',
    toolCalls: (message.tool_calls ?? []).map((c) => ({
      name: c.function.name,
      arguments:
        typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments ?? {}),
    })),
  };
}

/** Spaces requests `1/rate` seconds apart across all workers; no limit when rate is 0 or absent. */
export function createThrottle(rate: number | undefined, now: () => number = Date.now): () => Promise<void> {
  if (!rate || rate <= 0) return async () => {};
  const interval = 1000 / rate;
  let next = 0;
  return async () => {
    const time = now();
    const slot = Math.max(time, next);
    next = slot + interval;
    if (slot > time) await sleep(slot - time);
  };
}
