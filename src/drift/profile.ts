import { z } from 'zod';

/**
 * A reference profile: what each column of a reference dataset looked like, compact enough to keep
 * beside a model version and read on every request. Numbers keep count, missing, range, mean, standard
 * deviation and quantiles (from a bounded, deterministic reservoir); categories keep their counts (the
 * most frequent `MAX_CATEGORIES`, the rest summed as `other`, so a complete list says so by `other: 0`).
 */
const numericColumn = z.object({
  name: z.string(),
  type: z.literal('number'),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  std: z.number().nonnegative(),
  /** Quantiles at `QUANTILES`, in order. */
  quantiles: z.array(z.number()),
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
  schemaVersion: z.literal(1),
  rows: z.number().int().nonnegative(),
  quantiles: z.array(z.number().min(0).max(1)),
  columns: z.array(z.discriminatedUnion('type', [numericColumn, categoryColumn])).max(100_000),
});

export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;
export type ColumnProfile = ReferenceProfile['columns'][number];

export const QUANTILES: readonly number[] = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999];
const MAX_CATEGORIES = 1000;
const RESERVOIR = 10_000;
/** A column is numeric when at least this share of its present values parse as finite numbers. */
const NUMERIC_SHARE = 0.98;

class ColumnState {
  count = 0;
  missing = 0;
  numbers = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  mean = 0;
  m2 = 0;
  readonly reservoir: number[] = [];
  readonly categories = new Map<string, number>();
  other = 0;
  /** xorshift state: the reservoir is the same for the same data. */
  private seed = 0x9e3779b9;

  constructor(readonly name: string) {}

  add(value: string): void {
    this.count++;
    const trimmed = value.trim();
    if (trimmed === '' || /^(?:na|nan|null|none)$/i.test(trimmed)) {
      this.missing++;
      return;
    }
    const number = Number(trimmed);
    if (Number.isFinite(number)) this.addNumber(number);
    const known = this.categories.get(trimmed);
    if (known !== undefined) this.categories.set(trimmed, known + 1);
    else if (this.categories.size < MAX_CATEGORIES) this.categories.set(trimmed, 1);
    else this.other++;
  }

  private addNumber(value: number): void {
    this.numbers++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.numbers;
    this.m2 += delta * (value - this.mean);
    if (this.reservoir.length < RESERVOIR) this.reservoir.push(value);
    else {
      const slot = this.random() % this.numbers;
      if (slot < RESERVOIR) this.reservoir[slot] = value;
    }
  }

  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  /** The column's profile; rows the reader gave no value for (empty cells) count as missing. */
  build(rows: number): ColumnProfile {
    if (rows > this.count) {
      this.missing += rows - this.count;
      this.count = rows;
    }
    const present = this.count - this.missing;
    if (present > 0 && this.numbers >= NUMERIC_SHARE * present) {
      const sorted = Float64Array.from(this.reservoir).sort();
      return {
        name: this.name,
        type: 'number',
        count: this.count,
        missing: this.missing + (present - this.numbers),
        min: this.min,
        max: this.max,
        mean: this.mean,
        std: this.numbers > 1 ? Math.sqrt(this.m2 / (this.numbers - 1)) : 0,
        quantiles: QUANTILES.map((q) => quantile(sorted, q)),
      };
    }
    return {
      name: this.name,
      type: 'category',
      count: this.count,
      missing: this.missing,
      categories: Object.fromEntries([...this.categories].sort((a, b) => b[1] - a[1])),
      other: this.other,
    };
  }
}

/** Linear interpolation between closest ranks (numpy's default method). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Builds a profile one value at a time, in bounded memory whatever the number of rows. */
export class ProfileBuilder {
  private readonly columns = new Map<string, ColumnState>();
  private lastRow = -1;

  /** Adds one value of a row; rows are counted by the highest row number seen. */
  add(row: number, column: string, value: string): void {
    let state = this.columns.get(column);
    if (!state) {
      if (this.columns.size >= 100_000) return;
      state = new ColumnState(column);
      this.columns.set(column, state);
    }
    state.add(value);
    if (row > this.lastRow) this.lastRow = row;
  }

  build(): ReferenceProfile {
    const rows = this.lastRow + 1;
    return {
      kind: 'mlsecops.profile',
      schemaVersion: 1,
      rows,
      quantiles: [...QUANTILES],
      columns: [...this.columns.values()].map((state) => state.build(rows)),
    };
  }
}

/** A profile's columns by name, built once per profile: the gateway checks every request against one. */
const columnIndex = new WeakMap<ReferenceProfile, Map<string, ColumnProfile>>();

function columnsOf(profile: ReferenceProfile): Map<string, ColumnProfile> {
  let columns = columnIndex.get(profile);
  if (!columns) {
    columns = new Map(profile.columns.map((column) => [column.name, column]));
    columnIndex.set(profile, columns);
  }
  return columns;
}

/** Why an input does not fit the profile. */
export interface ProfileViolation {
  readonly feature: string;
  readonly reason: 'type' | 'range' | 'category' | 'unknown-feature';
  readonly value: string;
}

/**
 * Checks one query instance against a profile: numbers outside the reference range widened by
 * `tolerance` of its width, values of the wrong type, categories never seen in a complete list, and
 * features the reference never had. An array instance is read by position in `names` (default: the
 * profile's column order). Missing values are allowed; at most `limit` violations are returned.
 */
export function profileViolations(
  profile: ReferenceProfile,
  instance: unknown,
  options: { tolerance: number; names?: readonly string[] | undefined; limit?: number },
): ProfileViolation[] {
  const columns = columnsOf(profile);
  const entries: [string, unknown][] = Array.isArray(instance)
    ? instance
        .slice(0, 10_000)
        .map((value, index) => [
          (options.names ? options.names[index] : profile.columns[index]?.name) ?? `#${index}`,
          value,
        ])
    : instance && typeof instance === 'object'
      ? Object.entries(instance).slice(0, 10_000)
      : [];
  const out: ProfileViolation[] = [];
  const limit = options.limit ?? 10;
  for (const [feature, value] of entries) {
    if (out.length >= limit) break;
    if (value === null || value === undefined) continue;
    const column = columns.get(feature);
    const shown = String(value).slice(0, 64);
    if (!column) {
      out.push({ feature, reason: 'unknown-feature', value: shown });
      continue;
    }
    if (column.type === 'number') {
      const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) out.push({ feature, reason: 'type', value: shown });
      else {
        const slack = (column.max - column.min) * options.tolerance;
        if (number < column.min - slack || number > column.max + slack)
          out.push({ feature, reason: 'range', value: shown });
      }
    } else if (typeof value === 'object') out.push({ feature, reason: 'type', value: shown });
    else if (column.other === 0 && !Object.hasOwn(column.categories, String(value))) {
      out.push({ feature, reason: 'category', value: shown });
    }
  }
  return out;
}
