import { z } from 'zod';

/**
 * Joint moments of a profile's numeric columns, for multivariate drift: the count, means and centred
 * co-moment matrix Σ (x − μ)(x − μ)ᵀ over the rows where every one of the columns is a finite number.
 * Welford's update row by row, Chan et al.'s pairwise formula to merge shards: exact, in one pass,
 * O(d²) memory for d columns (at most MAX_JOINT).
 *
 * The columns are chosen from the first JOINT_SAMPLE_ROWS rows (those whose values there are numbers, or
 * typed `number` by an override); a chosen column that later turns out to be a category is dropped
 * when the profile is built, which leaves the moments of the others valid.
 */
export const MAX_JOINT = 100;
/** Rows the joint columns are chosen from. */
export const JOINT_SAMPLE_ROWS = 1000;
/** A column is numeric when at least this share of its present values are finite numbers. */
export const NUMERIC_SHARE = 0.98;

export const jointMomentsSchema = z.object({
  columns: z.array(z.string()).max(MAX_JOINT),
  count: z.number().int().nonnegative(),
  mean: z.array(z.number()),
  comoment: z.array(z.array(z.number())),
});
export type JointMoments = z.infer<typeof jointMomentsSchema>;

export class JointMomentsBuilder {
  private columns: string[] | undefined;
  private index = new Map<string, number>();
  private readonly sample: Map<string, string>[] = [];
  private row: Map<string, string> | undefined;
  private rowNumber = -1;
  private count = 0;
  private mean: Float64Array = new Float64Array(0);
  private comoment: Float64Array = new Float64Array(0);
  private values: Float64Array = new Float64Array(0);
  private delta: Float64Array = new Float64Array(0);

  /**
   * `columns`, when given, are the joint columns (a caller that chose them over a whole file, as the
   * parallel reader does); otherwise they are chosen from the first rows.
   */
  constructor(
    private readonly types: Readonly<Record<string, 'number' | 'category'>> = {},
    columns?: readonly string[],
  ) {
    if (columns) this.use(columns.slice(0, MAX_JOINT));
  }

  /** One cell; `parsed` is the value as a number when the caller has already read it. */
  add(row: number, column: string, value: string, parsed?: number): void {
    if (row !== this.rowNumber) {
      this.endRow();
      this.rowNumber = row;
      if (this.columns) this.values.fill(Number.NaN);
      else this.row = new Map();
    }
    if (this.row) this.row.set(column, value);
    else {
      // After the sample: straight into the row vector, no per-row allocation.
      const at = this.index.get(column);
      if (at !== undefined) this.values[at] = parsed ?? (value.trim() === '' ? Number.NaN : Number(value));
    }
  }

  private endRow(): void {
    if (this.rowNumber < 0) return;
    if (!this.columns) {
      if (this.row) this.sample.push(this.row);
      this.row = undefined;
      if (this.sample.length >= JOINT_SAMPLE_ROWS) this.choose();
      return;
    }
    this.update();
  }

  /** Picks the columns from the sample, then replays it. */
  private choose(): void {
    const seen = new Map<string, { numbers: number; present: number }>();
    for (const row of this.sample) {
      for (const [column, text] of row) {
        const entry = seen.get(column) ?? { numbers: 0, present: 0 };
        const trimmed = text.trim();
        if (trimmed !== '') {
          entry.present++;
          if (Number.isFinite(Number(trimmed))) entry.numbers++;
        }
        seen.set(column, entry);
      }
    }
    this.use(
      [...seen]
        .filter(([column, { numbers, present }]) =>
          this.types[column] ? this.types[column] === 'number' : present > 0 && numbers >= NUMERIC_SHARE * present,
        )
        .map(([column]) => column)
        .slice(0, MAX_JOINT),
    );
    for (const row of this.sample.splice(0)) this.accept(row);
  }

  private use(columns: string[]): void {
    this.columns = columns;
    this.index = new Map(columns.map((column, i) => [column, i]));
    const d = columns.length;
    this.mean = new Float64Array(d);
    this.comoment = new Float64Array(d * d);
    this.values = new Float64Array(d);
    this.delta = new Float64Array(d);
  }

  private accept(row: Map<string, string>): void {
    this.columns!.forEach((column, i) => {
      const text = row.get(column);
      this.values[i] = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
    });
    this.update();
  }

  /** Adds the row in `values` when every chosen column holds a finite number. */
  private update(): void {
    const d = this.columns!.length;
    if (d === 0) return;
    for (let i = 0; i < d; i++) if (!Number.isFinite(this.values[i]!)) return;
    this.count++;
    for (let i = 0; i < d; i++) {
      this.delta[i] = this.values[i]! - this.mean[i]!;
      this.mean[i]! += this.delta[i]! / this.count;
    }
    // C += δ_old (x − μ_new)ᵀ, the multivariate Welford step.
    for (let i = 0; i < d; i++) {
      const di = this.delta[i]!;
      for (let j = 0; j < d; j++) this.comoment[i * d + j]! += di * (this.values[j]! - this.mean[j]!);
    }
  }

  /** The moments of the columns in `keep` (the numeric columns of the finished profile). */
  build(keep: ReadonlySet<string>): JointMoments | undefined {
    this.endRow();
    this.rowNumber = -1;
    if (!this.columns) this.choose();
    const chosen = this.columns!.filter((column) => keep.has(column));
    if (chosen.length < 2) return undefined;
    const d = this.columns!.length;
    const at = chosen.map((column) => this.index.get(column)!);
    return {
      columns: chosen,
      count: this.count,
      mean: at.map((i) => this.mean[i]!),
      comoment: at.map((i) => at.map((j) => this.comoment[i * d + j]!)),
    };
  }
}

/** Moments restricted to `columns` (each must be present). */
export function restrictMoments(moments: JointMoments, columns: readonly string[]): JointMoments {
  const at = columns.map((column) => moments.columns.indexOf(column));
  return {
    columns: [...columns],
    count: moments.count,
    mean: at.map((i) => moments.mean[i]!),
    comoment: at.map((i) => at.map((j) => moments.comoment[i]![j]!)),
  };
}

/** Merges shards' moments over the columns all of them have (Chan et al.). */
export function mergeMoments(parts: readonly (JointMoments | undefined)[]): JointMoments | undefined {
  const present = parts.filter((part): part is JointMoments => part !== undefined && part.count > 0);
  if (present.length === 0) return undefined;
  const columns = present[0]!.columns.filter((column) => present.every((part) => part.columns.includes(column)));
  if (columns.length < 2) return undefined;
  let total = restrictMoments(present[0]!, columns);
  for (const next of present.slice(1).map((part) => restrictMoments(part, columns))) {
    const n = total.count + next.count;
    const delta = columns.map((_, i) => next.mean[i]! - total.mean[i]!);
    total = {
      columns: total.columns,
      count: n,
      mean: total.mean.map((mean, i) => mean + (delta[i]! * next.count) / n),
      comoment: total.comoment.map((row, i) =>
        row.map((value, j) => value + next.comoment[i]![j]! + (delta[i]! * delta[j]! * total.count * next.count) / n),
      ),
    };
  }
  return total;
}
