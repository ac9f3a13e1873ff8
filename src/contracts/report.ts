import { z } from 'zod';
import { findingSchema } from './finding.js';
import { severities, severitySchema } from './severity.js';

export const reportSchemaVersion = '1.0.0';

export const fileStatusSchema = z.enum(['scanned', 'partial', 'skipped', 'error']);
export type FileStatus = z.infer<typeof fileStatusSchema>;

export const fileResultSchema = z.object({
  path: z.string(),
  /** Formats recognised by content, outermost first (e.g. `zip`, `pytorch`, `pickle`). */
  formats: z.array(z.string()),
  size: z.number().int().nonnegative(),
  status: fileStatusSchema,
  /** Why a file is partial, skipped or in error. */
  errors: z.array(z.object({ code: z.string(), message: z.string(), member: z.string().optional() })),
  /** Archive members and nested objects looked at inside this file. */
  members: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type FileResult = z.infer<typeof fileResultSchema>;

export const summarySchema = z.object({
  files: z.number().int().nonnegative(),
  findings: z.number().int().nonnegative(),
  bySeverity: z.object(
    Object.fromEntries(severities.map((s) => [s, z.number().int().nonnegative()])) as {
      [K in (typeof severities)[number]]: z.ZodNumber;
    },
  ),
  byStatus: z.partialRecord(fileStatusSchema, z.number().int().nonnegative()),
  highest: severitySchema.optional(),
});
export type Summary = z.infer<typeof summarySchema>;

export const reportSchema = z.object({
  schemaVersion: z.literal(reportSchemaVersion),
  /** What produced it: a model scan, a data scan, a policy gate (findings are the failed rules), an assessment. */
  kind: z.enum(['model-scan', 'data-scan', 'policy-gate', 'assessment']),
  tool: z.object({ name: z.literal('mlsecops'), version: z.string() }),
  startedAt: z.string().datetime(),
  finishedAt: z.string().datetime(),
  targets: z.array(z.string()),
  files: z.array(fileResultSchema),
  findings: z.array(findingSchema),
  summary: summarySchema,
  /** Measurements of an assessment (e.g. `cleanAccuracy`, `robustAccuracy`, `failedProbes`), for gates. */
  metrics: z.record(z.string(), z.number()).optional(),
});
export type Report = z.infer<typeof reportSchema>;
