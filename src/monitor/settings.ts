import { z } from 'zod';
import { driftTestSchema, severitySchema } from '../contracts/index.js';

/** How a monitored model version is checked: its window over gateway events and its drift rule. */
export const monitorSettingsSchema = z.object({
  /** Gateway events of the last this many seconds form the current window. */
  windowSeconds: z
    .number()
    .int()
    .positive()
    .max(30 * 86_400)
    .default(3600),
  /**
   * Count windows: the newest this many query instances, however old (windowSeconds then only bounds
   * how far back to look). Unset: the window is time only.
   */
  windowRows: z.number().int().positive().max(1_000_000).optional(),
  /** Fewer query instances than this in the window: no check (too little to judge). */
  minRows: z.number().int().positive().max(1_000_000).default(100),
  /** At most this many newest instances are read per window. */
  maxRows: z.number().int().positive().max(1_000_000).default(50_000),
  /** Names of array instances' positions (default: the profile's column order). */
  features: z.array(z.string()).max(100_000).optional(),
  shareThreshold: z.number().min(0).max(1).default(0.5),
  /**
   * The reference column holding the model's outputs (e.g. predictions on the training data): the
   * answers' predictions are profiled into it, so prediction drift is tested like any column.
   */
  predictionColumn: z.string().min(1).optional(),
  tests: z.record(z.string(), z.object({ test: driftTestSchema, threshold: z.number().min(0).optional() })).default({}),
});
export type MonitorSettings = z.infer<typeof monitorSettingsSchema>;

/**
 * What an alert rule watches, per model, from each check:
 * - `drift.share`: share of drifted columns; `drift.dataset`: 1 when the dataset drifted;
 * - `drift.column:<name>`: 1 when that column drifted;
 * - `gateway.detections`: requests with a detector verdict in the window;
 *   `gateway.blocked`: requests refused by a detector; `gateway.errors`: answers with status ≥ 500;
 * - `gateway.extraction.minW`: the lowest extraction score (Shapiro–Wilk W) of any caller (low = suspicious);
 * - `drift.multivariate`: 1 when the PCA reconstruction error drifted;
 * - `performance.accuracy`, `performance.mae`, `performance.rmse`, `performance.labelled`: predictions
 *   of the window against the labels sent for them (accuracy for classes, MAE/RMSE for numbers).
 */
export const metricSchema = z
  .string()
  .regex(
    /^(drift\.(share|dataset|multivariate|column:.+)|gateway\.(detections|blocked|errors|extraction\.minW)|performance\.(accuracy|mae|rmse|labelled))$/,
    {
      message: 'unknown metric',
    },
  );

export const webhookTargetSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key for `x-mlsecops-signature`. */
  secret: z.string().min(16).max(500),
  /** `json`: the alert as JSON; `slack`: a Slack-compatible `{ text }` payload. */
  format: z.enum(['json', 'slack']).default('json'),
});
export type WebhookTarget = z.infer<typeof webhookTargetSchema>;

export const alertRuleSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  /** A model name, or `*` for every monitored model. */
  model: z.string().min(1).max(200).default('*'),
  metric: metricSchema,
  op: z.enum(['>', '>=', '<', '<=']),
  threshold: z.number(),
  /** The condition must hold this long (across checks) before the alert fires. */
  forSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(0),
  severity: severitySchema.default('high'),
  /** Open an incident when the alert fires (one per rule and model while it is open). */
  openIncident: z.boolean().default(true),
  webhooks: z.array(webhookTargetSchema).max(10).default([]),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
