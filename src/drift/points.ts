import type { NumericColumnProfile } from './profile.js';
import { NumberSketch } from './sketch.js';

/** A numeric column as weighted points in value order: every value (exact) or the sketch's bucket values. */
export interface Points {
  readonly values: Float64Array;
  /** Per point; absent when every value counts once. */
  readonly weights?: Float64Array;
  readonly total: number;
  readonly exact: boolean;
}

export function pointsOf(column: NumericColumnProfile): Points {
  // Sorted here: a profile read from a file is not trusted to keep its values in order.
  if (column.exact) return { values: Float64Array.from(column.exact).sort(), total: column.exact.length, exact: true };
  if (!column.sketch)
    throw new RangeError(`column ${column.name}: a version 1 profile has no distribution; profile again`);
  const buckets = NumberSketch.fromJSON(column.sketch).buckets();
  return {
    values: Float64Array.from(buckets, (bucket) => bucket.value),
    weights: Float64Array.from(buckets, (bucket) => bucket.count),
    total: buckets.reduce((sum, bucket) => sum + bucket.count, 0),
    exact: false,
  };
}
