import { z } from 'zod';
import { findingSchema } from './finding.js';

export const driftTests = ['ks', 'chisquare', 'z', 'psi', 'jensenshannon', 'wasserstein'] as const;
export const driftTestSchema = z.enum(driftTests);
export type DriftTest = z.infer<typeof driftTestSchema>;

const sideSchema = z.object({
  /** Rows. */
  count: z.number().int().nonnegative(),
  /** Empty, NA, NaN or null cells, and cells of the wrong type. */
  missing: z.number().int().nonnegative(),
  /** ±Infinity in numeric columns: counted, never part of a statistic. */
  infinite: z.number().int().nonnegative(),
});

export const columnDriftSchema = z.object({
  column: z.string(),
  type: z.enum(['number', 'category']),
  /** `tested`: a statistic was computed; `absent`: the current data lacks the column; `empty`: no values to test. */
  status: z.enum(['tested', 'absent', 'empty']),
  test: driftTestSchema.optional(),
  statistic: z.number().optional(),
  /** For the tests that have one (ks, chisquare, z). */
  pValue: z.number().min(0).max(1).optional(),
  /** p-value tests drift when p < threshold; distances (psi, jensenshannon, wasserstein) when statistic >= threshold. */
  threshold: z.number().optional(),
  drifted: z.boolean(),
  /** True when the statistic came from sketches (beyond the profile's exact limit), not every value. */
  approximate: z.boolean(),
  reference: sideSchema,
  current: sideSchema,
  /** Why the test was chosen, and anything unusual (new categories, constant reference). */
  notes: z.array(z.string()),
});
export type ColumnDrift = z.infer<typeof columnDriftSchema>;

export const driftReportSchema = z.object({
  schemaVersion: z.literal('1.0.0'),
  kind: z.literal('drift'),
  tool: z.object({ name: z.literal('mlsecops'), version: z.string() }),
  startedAt: z.string().datetime(),
  finishedAt: z.string().datetime(),
  reference: z.string(),
  current: z.string(),
  columns: z.array(columnDriftSchema),
  dataset: z.object({
    /** Drifted columns / columns tested or absent. */
    share: z.number().min(0).max(1),
    /** The dataset drifts when share >= this. */
    threshold: z.number().min(0).max(1),
    drifted: z.boolean(),
    rule: z.string(),
  }),
  /** Multivariate drift by PCA reconstruction error over the numeric columns, when both profiles allow it. */
  multivariate: z
    .object({
      method: z.literal('pca-reconstruction'),
      columns: z.array(z.string()),
      components: z.number().int().nonnegative(),
      /** Share of the reference's standardised variance the kept components explain. */
      explained: z.number(),
      /** Mean squared reconstruction error of reference and current rows. */
      referenceError: z.number(),
      currentError: z.number(),
      ratio: z.number(),
      /** Drift when ratio >= limit. */
      limit: z.number(),
      drifted: z.boolean(),
      rows: z.object({ reference: z.number().int(), current: z.number().int() }),
    })
    .optional(),
  findings: z.array(findingSchema),
});
export type DriftReport = z.infer<typeof driftReportSchema>;
