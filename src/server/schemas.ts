import { z } from 'zod';
import { MODEL_NAME } from '../registry/index.js';

/** Route schemas shared by several route modules. */
export const modelParams = z.object({ name: z.string().regex(MODEL_NAME) });
export const versionParams = modelParams.extend({ number: z.coerce.number().int().positive() });
export const modelSchema = z.object({ name: z.string(), description: z.string(), createdAt: z.string() });
export const versionSchema = z.object({
  number: z.number(),
  status: z.enum(['quarantined', 'available', 'rejected', 'deleted']),
  digest: z.string().nullable(),
  size: z.number().nullable(),
  createdAt: z.string(),
  scan: z.object({ findings: z.number(), worst: z.string().optional(), rules: z.array(z.string()) }).optional(),
  signature: z
    .object({ verified: z.boolean(), signer: z.string(), subject: z.string(), verifiedAt: z.string() })
    .optional(),
});
export const errorSchema = z.object({ error: z.string(), message: z.string() });
