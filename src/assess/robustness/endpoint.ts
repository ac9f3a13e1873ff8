import { Agent, request } from 'undici';
import { RobustnessError } from './errors.js';
import type { Target } from './target.js';

/** A remote model server speaking `{"instances": [[…]]}` → `{"predictions": […]}` (KServe v1 style). */
export interface EndpointOptions {
  readonly url: string;
  /** Extra request headers, e.g. `authorization: Bearer …` through the gateway. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request, in milliseconds (default 10 s). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Rows per request (default 64). */
  readonly batchSize?: number;
  /** Largest answer read (default 8 MiB). */
  readonly maxResponseBytes?: number;
}

/**
 * One prediction as scores: an array of numbers (scores or probabilities), an object holding one
 * (`scores`, `probabilities`, `logits`), or a bare class index (made one-hot: decision only).
 */
function toScores(prediction: unknown, classes: number): Float32Array {
  const value =
    prediction && typeof prediction === 'object' && !Array.isArray(prediction)
      ? ((prediction as Record<string, unknown>).scores ??
        (prediction as Record<string, unknown>).probabilities ??
        (prediction as Record<string, unknown>).logits ??
        (prediction as Record<string, unknown>).class)
      : prediction;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return Float32Array.from(value as number[]);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < Math.max(classes, 1024)) {
    const scores = new Float32Array(Math.max(classes, value + 1));
    scores[value] = 1;
    return scores;
  }
  throw new RobustnessError(
    'ENDPOINT_ERROR',
    `a prediction is neither scores nor a class index: ${JSON.stringify(prediction)?.slice(0, 80)}`,
  );
}

export function endpointTarget(options: EndpointOptions): Target {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const batchSize = Math.max(1, options.batchSize ?? 64);
  const maxResponseBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
  const dispatcher = new Agent({ connections: concurrency, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let queries = 0;
  let classes = 0;
  let inFlight = 0;
  const waiting: (() => void)[] = [];

  async function post(instances: number[][]): Promise<Float32Array[]> {
    while (inFlight >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    try {
      const response = await request(options.url, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ instances }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > maxResponseBytes) {
          response.body.destroy();
          throw new RobustnessError('ENDPOINT_ERROR', `${options.url}: answer larger than ${maxResponseBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (response.statusCode !== 200) {
        throw new RobustnessError(
          'ENDPOINT_ERROR',
          `${options.url} answered ${response.statusCode}: ${text.slice(0, 200)}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new RobustnessError('ENDPOINT_ERROR', `${options.url} answered something that is not JSON`);
      }
      const predictions = (body as { predictions?: unknown }).predictions;
      if (!Array.isArray(predictions) || predictions.length !== instances.length) {
        throw new RobustnessError(
          'ENDPOINT_ERROR',
          `${options.url}: expected ${instances.length} predictions in "predictions"`,
        );
      }
      const scores = predictions.map((p) => toScores(p, classes));
      classes = Math.max(classes, ...scores.map((s) => s.length));
      queries += instances.length;
      return scores;
    } catch (error) {
      if (error instanceof RobustnessError) throw error;
      throw new RobustnessError('ENDPOINT_ERROR', `${options.url}: ${(error as Error).message}`);
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  }

  return {
    features: undefined,
    async scores(rows, width) {
      const all = Array.from({ length: rows.length / width }, (_, i) =>
        Array.from(rows.subarray(i * width, (i + 1) * width)),
      );
      const batches: number[][][] = [];
      for (let i = 0; i < all.length; i += batchSize) batches.push(all.slice(i, i + batchSize));
      const answers = await Promise.all(batches.map(post));
      // Class indices made one-hot before the class count was known are widened to it.
      return answers
        .flat()
        .map((s) => (s.length < classes ? Float32Array.from({ length: classes }, (_, k) => s[k] ?? 0) : s));
    },
    get queries() {
      return queries;
    },
    parallelism: concurrency,
    close: () => dispatcher.close(),
  };
}
