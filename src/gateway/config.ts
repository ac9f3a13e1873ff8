import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const rate = z.object({
  /** Sustained requests per minute. */
  requestsPerMinute: z.number().positive().max(1_000_000),
  /** Requests allowed at once above the sustained rate. */
  burst: z.number().int().positive().max(100_000),
});

const modelName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);

/** The gateway's one configuration file (YAML or JSON), validated before anything is served. */
export const gatewayConfigSchema = z.object({
  keys: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
        /** SHA-256 (hex) of the API key: the file never holds the key itself. */
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        /** Models the key may call (`*`: all). */
        models: z.array(z.union([z.literal('*'), modelName])).min(1),
        limits: rate.optional(),
        /**
         * LLM tokens the key may use: refilled at `tokensPerMinute`, at most `maxTokens` saved up.
         * Charged after each answer from its `usage.total_tokens`; a key below zero waits.
         */
        tokenBudget: z
          .object({
            tokensPerMinute: z.number().positive().max(1e9),
            maxTokens: z.number().int().positive().max(1e9),
          })
          .optional(),
      }),
    )
    .max(10_000),
  models: z.record(
    modelName,
    z.object({
      upstream: z.url({ protocol: /^https?$/ }),
      kind: z.enum(['rest', 'openai']).default('rest'),
      timeoutMs: z.number().int().positive().max(600_000).default(30_000),
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .max(64 << 20)
        .default(1 << 20),
      /** Retries for GET/HEAD only: a repeated POST could run inference (and bill) twice. */
      retries: z.number().int().min(0).max(5).default(1),
      limits: rate.optional(),
      /** JSON Schema every request body must satisfy. */
      schema: z.record(z.string(), z.unknown()).optional(),
      /**
       * Detectors for chat models: `block` refuses, `alert` lets through and reports (shadow mode),
       * `off`. `failOpen` says what happens when a detector itself fails: pass (true) or refuse.
       */
      detectors: z
        .object({
          promptInjection: z.enum(['block', 'alert', 'off']).default('alert'),
          outputRedaction: z.enum(['redact', 'alert', 'off']).default('off'),
          failOpen: z.boolean().default(false),
        })
        .default({ promptInjection: 'alert', outputRedaction: 'off', failOpen: false }),
    }),
  ),
  limits: z
    .object({
      perIp: rate.optional(),
      perKey: rate.optional(),
    })
    .default({}),
  /** Deepest JSON nesting accepted in request bodies. */
  maxJsonDepth: z.number().int().positive().max(1000).default(32),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type RateLimit = z.infer<typeof rate>;

export class GatewayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayConfigError';
  }
}

/** Parses and validates configuration text; YAML is a superset of JSON, so both are read the same way. */
export function parseGatewayConfig(text: string, source = 'gateway config'): GatewayConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { schema: 'core', maxAliasCount: 100 });
  } catch (error) {
    throw new GatewayConfigError(`${source}: not YAML or JSON: ${(error as Error).message}`);
  }
  const parsed = gatewayConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new GatewayConfigError(`${source}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

export async function loadGatewayConfig(path: string): Promise<GatewayConfig> {
  return parseGatewayConfig(await readFile(path, 'utf8'), path);
}
