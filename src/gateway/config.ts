import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { referenceProfileSchema } from '../drift/index.js';
import { type ClassifyOptions, loadPromptClassifier } from './classifier.js';

const rate = z.object({
  /** Sustained requests per minute. */
  requestsPerMinute: z.number().positive().max(1_000_000),
  /** Requests allowed at once above the sustained rate. */
  burst: z.number().int().positive().max(100_000),
});

const modelName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);

const mode = z.enum(['block', 'alert', 'off']);

/** Detectors of a model, each with its mode; everything has a default so `{}` is a valid start. */
const detectorsSchema = z
  .object({
    /** Chat models: instruction-override, jailbreak and encoded-payload rules over the prompt. */
    promptInjection: mode.default('alert'),
    /**
     * Chat models: a local ONNX prompt classifier (see classifier.ts for the model shapes read). The
     * prompt is refused or reported when the injection probability reaches `threshold`. `path` and
     * `tokenizer` are read from disk, relative to the configuration file; nothing is downloaded.
     * Inference runs at most `maxConcurrent` at once and is waited for at most `timeoutMs`; beyond
     * either, the detector has failed and `failOpen` decides.
     */
    promptClassifier: z
      .object({
        mode: mode.default('alert'),
        path: z.string().min(1).optional(),
        tokenizer: z.string().min(1).optional(),
        output: z.string().min(1).optional(),
        label: z.number().int().min(0).max(10_000).default(1),
        threshold: z.number().gt(0).lt(1).default(0.5),
        chunkChars: z.number().int().min(16).max(100_000).default(2000),
        maxChunks: z.number().int().min(1).max(64).default(4),
        maxTokens: z.number().int().min(8).max(8192).default(512),
        timeoutMs: z.number().int().positive().max(60_000).default(2000),
        maxConcurrent: z.number().int().positive().max(256).default(4),
      })
      .prefault({ mode: 'off' })
      .refine((value) => value.mode === 'off' || value.path !== undefined, {
        message: 'promptClassifier needs a path',
      }),
    /** Chat models: personal data and secrets in answers (`redact` rewrites them). */
    outputRedaction: z.enum(['redact', 'alert', 'off']).default('off'),
    /**
     * Chat models: system-prompt leakage. `tokens` are canaries the operator placed in system prompts;
     * with `inject`, the gateway also appends a fresh one to each request's system message.
     */
    canary: z
      .object({
        mode: mode.default('block'),
        tokens: z.array(z.string().min(8).max(200)).max(100).default([]),
        inject: z.boolean().default(false),
      })
      .prefault({ mode: 'off' }),
    /** Model servers: PRADA-style extraction detection over each client's query distances. */
    extraction: z
      .object({
        mode: mode.default('alert'),
        /** Shapiro–Wilk W below this over the client's minimum distances raises the alarm. */
        minW: z.number().gt(0).lt(1).default(0.9),
        minQueries: z.number().int().min(20).max(5000).default(100),
        maxStored: z.number().int().positive().max(10_000).default(500),
        window: z.number().int().min(20).max(5000).default(2000),
      })
      .prefault({}),
    /** Model servers: near-duplicate queries (membership and attribute inference probing). */
    probing: z
      .object({
        mode: mode.default('alert'),
        /** Near means within this fraction of the query's norm. */
        radius: z.number().min(0).max(1).default(0.01),
        maxRepeats: z.number().int().positive().max(10_000).default(25),
        window: z.number().int().positive().max(10_000).default(200),
      })
      .prefault({}),
    /** Model servers: answers with full probability vectors per client above a rate. */
    fullProbabilities: z
      .object({
        mode: mode.default('alert'),
        requestsPerMinute: z.number().positive().max(1_000_000).default(60),
        burst: z.number().int().positive().max(100_000).default(600),
      })
      .prefault({ mode: 'off' }),
    /**
     * Model servers: inputs outside a reference profile (`mlsecops profile`): numbers beyond the
     * reference range widened by `tolerance` of its width, wrong types, unseen categories, unknown
     * features. `profile` is the profile's file, read when the configuration is loaded; array
     * instances are matched to `features` by position (default: the profile's column order).
     */
    outOfDistribution: z
      .object({
        mode: mode.default('alert'),
        profile: referenceProfileSchema.optional(),
        tolerance: z.number().min(0).max(100).default(0.05),
        features: z.array(z.string()).max(100_000).optional(),
      })
      .prefault({ mode: 'off' })
      .refine((value) => value.mode === 'off' || value.profile !== undefined, {
        message: 'outOfDistribution needs a profile',
      }),
    failOpen: z.boolean().default(false),
  })
  .prefault({});

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
       * Detectors: `block` refuses, `alert` lets through and reports (shadow mode), `off`. `failOpen`
       * says what happens when a detector itself fails: pass (true) or refuse (false).
       */
      detectors: detectorsSchema,
      /** Answer limits for model servers: probability vectors rounded and/or cut to the top k. */
      outputs: z
        .object({
          decimals: z.number().int().min(0).max(8).optional(),
          topK: z.number().int().positive().max(1000).optional(),
        })
        .optional(),
    }),
  ),
  limits: z
    .object({
      perIp: rate.optional(),
      perKey: rate.optional(),
    })
    .default({}),
  /**
   * Single sign-on for callers: OIDC JWTs (signature from the provider's JWKS, issuer, audience,
   * expiry) as bearer tokens; the groups claim decides which models a user may call.
   */
  oidc: z
    .object({
      issuer: z.string().min(1),
      audience: z.string().min(1),
      jwksUri: z.url({ protocol: /^https?$/ }),
      groupsClaim: z.string().min(1).default('groups'),
      /** Group → models its members may call (`*`: all). */
      groupModels: z.record(z.string(), z.array(z.union([z.literal('*'), modelName]))),
      algorithms: z.array(z.string()).default(['RS256', 'ES256', 'EdDSA']),
      limits: rate.optional(),
    })
    .optional(),
  /**
   * What each request's event holds besides who, which model, status, latency and verdicts: `hash`,
   * the SHA-256 of the body only; `features`, also the query instances of model-server requests (at
   * most 16), which the monitor's drift windows read. Prompts are never stored.
   */
  events: z.object({ inputs: z.enum(['hash', 'features']).default('hash') }).prefault({}),
  /** Deepest JSON nesting accepted in request bodies. */
  maxJsonDepth: z.number().int().positive().max(1000).default(32),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type RateLimit = z.infer<typeof rate>;
/** One model's entry: its upstream, limits, schema and detectors. */
export type ModelConfig = GatewayConfig['models'][string];

export class GatewayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayConfigError';
  }
}

/** Parses and validates configuration text; YAML is a superset of JSON, so both are read the same way. */
export function parseGatewayConfig(text: string, source = 'gateway config'): GatewayConfig {
  return validated(readText(text, source), source);
}

function readText(text: string, source: string): unknown {
  try {
    return parseYaml(text, { schema: 'core', maxAliasCount: 100 });
  } catch (error) {
    throw new GatewayConfigError(`${source}: not YAML or JSON: ${(error as Error).message}`);
  }
}

function validated(raw: unknown, source: string): GatewayConfig {
  const parsed = gatewayConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new GatewayConfigError(`${source}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Reads a configuration file. Profiles named by path are read from beside it, classifier paths are
 * resolved against its folder, and each configured classifier is loaded, so a missing or broken
 * model fails the load instead of the first request.
 */
export async function loadGatewayConfig(path: string): Promise<GatewayConfig> {
  const raw = readText(await readFile(path, 'utf8'), path);
  const models = (raw as { models?: unknown } | null)?.models;
  const here = (file: unknown) => (typeof file === 'string' ? resolve(dirname(path), file) : file);
  if (models && typeof models === 'object') {
    for (const [name, model] of Object.entries(models)) {
      const detectors = (model as { detectors?: Record<string, Record<string, unknown> | undefined> } | null)
        ?.detectors;
      const classifier = detectors?.promptClassifier;
      if (classifier && typeof classifier === 'object') {
        classifier.path = here(classifier.path);
        classifier.tokenizer = here(classifier.tokenizer);
      }
      const detector = detectors?.outOfDistribution;
      if (typeof detector?.profile !== 'string') continue;
      const file = resolve(dirname(path), detector.profile);
      try {
        detector.profile = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new GatewayConfigError(`${path}: models.${name} profile ${file}: ${(error as Error).message}`);
      }
    }
  }
  const config = validated(raw, path);
  for (const [name, model] of Object.entries(config.models)) {
    const classifier = model.detectors.promptClassifier;
    if (classifier.mode === 'off') continue;
    try {
      await loadPromptClassifier(classifierOptions(classifier));
    } catch (error) {
      throw new GatewayConfigError(`${path}: models.${name}.detectors.promptClassifier: ${(error as Error).message}`);
    }
  }
  return config;
}

/** The loader's options from a model's `promptClassifier` settings. */
export function classifierOptions(settings: ModelConfig['detectors']['promptClassifier']): ClassifyOptions {
  if (!settings.path) throw new GatewayConfigError('promptClassifier needs a path');
  return { ...settings, path: settings.path };
}
