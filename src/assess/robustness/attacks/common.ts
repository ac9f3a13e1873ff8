import type { Target } from '../target.js';

/** What every attack runs against: the target, the valid input box and the query budget per sample. */
export interface AttackContext {
  readonly target: Target;
  /** Numbers per row. */
  readonly width: number;
  /** Every feature is kept in [lo, hi]. */
  readonly lo: number;
  readonly hi: number;
  readonly seed: number;
  /** Queries one attack may spend on one sample. */
  readonly maxQueries: number;
}

/** One attacked sample: whether its prediction flipped, the input found and the queries spent. */
export interface SampleOutcome {
  readonly flipped: boolean;
  readonly adversarial?: Float32Array;
  readonly predicted?: number;
  readonly queries: number;
}

/** How far the true class is ahead of the best other class: negative once the prediction flips. */
export function margin(scores: ArrayLike<number>, label: number): number {
  let other = -Infinity;
  for (let k = 0; k < scores.length; k++) if (k !== label) other = Math.max(other, scores[k]!);
  return (scores[label] ?? -Infinity) - other;
}

export const clip = (value: number, lo: number, hi: number) => (value < lo ? lo : value > hi ? hi : value);

export function l2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

export function linf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The index of the largest score. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Scores for a list of rows in one call. */
export async function scoresOf(ctx: AttackContext, rows: readonly Float32Array[]): Promise<Float32Array[]> {
  if (rows.length === 0) return [];
  const batch = new Float32Array(rows.length * ctx.width);
  for (const [i, row] of rows.entries()) batch.set(row, i * ctx.width);
  return ctx.target.scores(batch, ctx.width);
}

export async function predictionsOf(ctx: AttackContext, rows: readonly Float32Array[]): Promise<number[]> {
  return (await scoresOf(ctx, rows)).map(argmax);
}

/** The median of a list (undefined when empty). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
