import { z } from 'zod';
import { MAX_JOINT } from './moments.js';
import { MAX_COLUMNS } from './profile.js';

/**
 * The stored form of a reference profile (profile.ts builds and merges them) and of its joint
 * moments (moments.ts). Apart from the code that builds profiles, which worker threads load.
 */
export const jointMomentsSchema = z.object({
  columns: z.array(z.string()).max(MAX_JOINT),
  count: z.number().int().nonnegative(),
  mean: z.array(z.number()),
  comoment: z.array(z.array(z.number())),
});

const sketchSchema = z.object({
  alpha: z.number().gt(0).lt(1),
  zero: z.number().nonnegative(),
  positive: z.object({ index: z.array(z.number().int()), count: z.array(z.number().nonnegative()) }),
  negative: z.object({ index: z.array(z.number().int()), count: z.array(z.number().nonnegative()) }),
});

const numericColumn = z.object({
  name: z.string(),
  type: z.literal('number'),
  count: z.number().int().nonnegative(),
  /** Empty, NA, NaN and null cells, and (for numbers) cells that are not numbers. */
  missing: z.number().int().nonnegative(),
  /** +Infinity and -Infinity: counted, never part of the statistics. */
  infinite: z.number().int().nonnegative().default(0),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  /** Sample standard deviation (n - 1). */
  std: z.number().nonnegative(),
  /** Quantiles at the profile's `quantiles`, in order. */
  quantiles: z.array(z.number()),
  /** Distinct values, up to MAX_CATEGORIES; null when there are more. */
  distinct: z.number().int().nonnegative().nullable().optional(),
  /** Counts per value when there are at most MAX_DISCRETE distinct values (for discrete tests). */
  values: z.record(z.string(), z.number().int().nonnegative()).optional(),
  sketch: sketchSchema.optional(),
  /** Every finite value, sorted, while there are at most EXACT_LIMIT of them. */
  exact: z.array(z.number()).optional(),
});

const categoryColumn = z.object({
  name: z.string(),
  type: z.literal('category'),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  categories: z.record(z.string(), z.number().int().nonnegative()),
  /** Values outside the kept categories; 0 means the list is complete. */
  other: z.number().int().nonnegative(),
});

export const referenceProfileSchema = z.object({
  kind: z.literal('mlsecops.profile'),
  /** 1: no sketches (range checks only); 2: sketches, mergeable, usable for drift. */
  schemaVersion: z.union([z.literal(1), z.literal(2)]),
  rows: z.number().int().nonnegative(),
  quantiles: z.array(z.number().min(0).max(1)),
  columns: z.array(z.discriminatedUnion('type', [numericColumn, categoryColumn])).max(MAX_COLUMNS),
  /** Joint moments of up to 100 numeric columns, for multivariate drift (moments.ts). */
  joint: jointMomentsSchema.optional(),
});

export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;
export type ColumnProfile = ReferenceProfile['columns'][number];
export type NumericColumnProfile = Extract<ColumnProfile, { type: 'number' }>;
export type CategoryColumnProfile = Extract<ColumnProfile, { type: 'category' }>;
export type ColumnType = ColumnProfile['type'];

export type JointMoments = z.infer<typeof jointMomentsSchema>;
