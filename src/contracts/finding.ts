import { z } from 'zod';
import { severitySchema } from './severity.js';

/** Framework and advisory identifiers a finding maps to. */
export const referenceSchema = z.object({
  kind: z.enum(['mitre-atlas', 'owasp-ml', 'owasp-llm', 'cve', 'ghsa', 'cwe', 'url']),
  id: z.string().min(1),
  url: z.string().url().optional(),
});
export type Reference = z.infer<typeof referenceSchema>;

/** Where a finding is: whichever of these apply. `member` chains archive members with `!/`. */
export const locationSchema = z.object({
  path: z.string(),
  member: z.string().optional(),
  offset: z.number().int().nonnegative().optional(),
  row: z.number().int().nonnegative().optional(),
  column: z.string().optional(),
  span: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).optional(),
});
export type Location = z.infer<typeof locationSchema>;

export const findingSchema = z.object({
  /** Stable identifier, e.g. `pickle.dangerous-global`. */
  ruleId: z.string().regex(/^[a-z0-9]+(\.[a-z0-9-]+)+$/),
  title: z.string(),
  severity: severitySchema,
  category: z.string(),
  location: locationSchema,
  /** What was seen, in words a reviewer can check against the file. */
  evidence: z.string(),
  /** Entity type of data findings (`EMAIL`, `CREDIT_CARD`, `AWS_ACCESS_KEY`, …), stable across releases. */
  entity: z.string().optional(),
  remediation: z.string(),
  references: z.array(referenceSchema),
  /** Machine-readable facts (e.g. `global: "os.system"`) for policies and tests. */
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type Finding = z.infer<typeof findingSchema>;
