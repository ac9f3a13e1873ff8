import type { JointMoments } from './profile-schema.js';

/**
 * Joint moments of a profile's numeric columns, for multivariate drift: the count, means and centred
 * co-moment matrix Σ (x − μ)(x − μ)ᵀ over the rows where every one of the columns is a finite number.
 * Rows are added in blocks: a block's own means and co-moments (two passes over it) join the totals
 * by Chan et al.'s pairwise formula, which also merges shards. Exact up to rounding, in one pass,
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
/** Complete rows added to the moments at a time: d × BLOCK_ROWS doubles of memory. */
const BLOCK_ROWS = 256;

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
  /** Complete rows not yet added to the moments, column after column (`BLOCK_ROWS` per column). */
  private block: Float64Array = new Float64Array(0);
  private blockRows = 0;

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
    if (row !== this.rowNumber) this.startRow(row);
    if (this.row) this.row.set(column, value);
    else {
      // After the sample: straight into the row vector, no per-row allocation.
      const at = this.index.get(column);
      if (at !== undefined) this.values[at] = parsed ?? (value.trim() === '' ? Number.NaN : Number(value));
    }
  }

  /** The place of `column` among the joint columns (-1: not one); undefined while they are not chosen yet. */
  indexOf(column: string): number | undefined {
    return this.columns ? (this.index.get(column) ?? -1) : undefined;
  }

  /** add() once the columns are chosen, for the joint column at `index` (indexOf), its value read. */
  set(row: number, index: number, value: number): void {
    if (row !== this.rowNumber) this.startRow(row);
    this.values[index] = value;
  }

  private startRow(row: number): void {
    this.endRow();
    this.rowNumber = row;
    if (this.columns) this.values.fill(Number.NaN);
    else this.row = new Map();
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
    this.block = new Float64Array(d * BLOCK_ROWS);
  }

  private accept(row: Map<string, string>): void {
    this.columns!.forEach((column, i) => {
      const text = row.get(column);
      this.values[i] = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
    });
    this.update();
  }

  /** Adds the row in `values` when every chosen column holds a finite number (to the block). */
  private update(): void {
    const d = this.columns!.length;
    if (d === 0) return;
    const values = this.values;
    const block = this.block;
    for (let i = 0; i < d; i++) if (!Number.isFinite(values[i]!)) return;
    const row = this.blockRows++;
    for (let i = 0; i < d; i++) block[i * BLOCK_ROWS + row] = values[i]!;
    if (this.blockRows === BLOCK_ROWS) this.flush();
  }

  /**
   * Adds the block's rows to the moments: the block's own means and centred co-moments (two passes
   * over it, column by column), merged into the totals by Chan et al.'s formula.
   */
  private flush(): void {
    const n = this.blockRows;
    if (n === 0) return;
    const d = this.columns!.length;
    const block = this.block;
    const mean = this.mean;
    const comoment = this.comoment;
    const delta = this.delta;
    const total = this.count + n;
    for (let i = 0; i < d; i++) {
      const column = i * BLOCK_ROWS;
      let sum = 0;
      for (let r = 0; r < n; r++) sum += block[column + r]!;
      const blockMean = sum / n;
      for (let r = 0; r < n; r++) block[column + r]! -= blockMean;
      delta[i] = blockMean - mean[i]!;
    }
    const weight = (this.count * n) / total;
    // Upper triangle only: C is symmetric, build() reads it both ways.
    for (let i = 0; i < d; i++) {
      const a = i * BLOCK_ROWS;
      let j = i;
      // Four columns per pass over column i; each sum still runs over the rows in order.
      for (; j + 4 <= d; j += 4) {
        const b = j * BLOCK_ROWS;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let r = 0; r < n; r++) {
          const x = block[a + r]!;
          s0 += x * block[b + r]!;
          s1 += x * block[b + BLOCK_ROWS + r]!;
          s2 += x * block[b + 2 * BLOCK_ROWS + r]!;
          s3 += x * block[b + 3 * BLOCK_ROWS + r]!;
        }
        comoment[i * d + j]! += s0 + delta[i]! * delta[j]! * weight;
        comoment[i * d + j + 1]! += s1 + delta[i]! * delta[j + 1]! * weight;
        comoment[i * d + j + 2]! += s2 + delta[i]! * delta[j + 2]! * weight;
        comoment[i * d + j + 3]! += s3 + delta[i]! * delta[j + 3]! * weight;
      }
      for (; j < d; j++) {
        const b = j * BLOCK_ROWS;
        let sum = 0;
        for (let r = 0; r < n; r++) sum += block[a + r]! * block[b + r]!;
        comoment[i * d + j]! += sum + delta[i]! * delta[j]! * weight;
      }
    }
    for (let i = 0; i < d; i++) mean[i]! += (delta[i]! * n) / total;
    this.count = total;
    this.blockRows = 0;
  }

  /** The moments of the columns in `keep` (the numeric columns of the finished profile). */
  build(keep: ReadonlySet<string>): JointMoments | undefined {
    this.endRow();
    this.rowNumber = -1;
    if (!this.columns) this.choose();
    this.flush();
    const chosen = this.columns!.filter((column) => keep.has(column));
    if (chosen.length < 2) return undefined;
    const d = this.columns!.length;
    const at = chosen.map((column) => this.index.get(column)!);
    return {
      columns: chosen,
      count: this.count,
      mean: at.map((i) => this.mean[i]!),
      comoment: at.map((i) => at.map((j) => this.comoment[Math.min(i, j) * d + Math.max(i, j)]!)),
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
