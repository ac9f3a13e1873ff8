import { NumberSet, parseDecimal } from './decimal.js';
import { JointMomentsBuilder, mergeMoments, NUMERIC_SHARE } from './moments.js';
import type {
  CategoryColumnProfile,
  ColumnProfile,
  ColumnType,
  JointMoments,
  NumericColumnProfile,
  ReferenceProfile,
} from './profile-schema.js';
import { DEFAULT_ALPHA, NumberSketch } from './sketch.js';

export type {
  CategoryColumnProfile,
  ColumnProfile,
  ColumnType,
  NumericColumnProfile,
  ReferenceProfile,
} from './profile-schema.js';

/**
 * A reference profile: what each column of a reference dataset looked like, compact enough to keep
 * beside a model version and to check drift against without reading the reference data again.
 *
 * Numbers keep counts (missing, infinite), range, mean and standard deviation, a mergeable sketch of
 * the distribution (sketch.ts), quantiles read from it, and — while a column has at most
 * `EXACT_LIMIT` values — the values themselves, so small references give exact test results.
 * Categories keep their counts (the most frequent `MAX_CATEGORIES`, the rest summed as `other`, so a
 * complete list says so by `other: 0`). Profiles of shards merge (`mergeProfiles`) into the profile of
 * the whole: exactly, except that a merged category list longer than `MAX_CATEGORIES` folds its
 * rarest entries into `other`, and values beyond `EXACT_LIMIT` are dropped for the sketch alone.
 * The stored form is defined in profile-schema.ts, apart so that the profiling workers load no zod.
 */
/** Columns a profile holds at most; a builder drops the values of any further ones. */
export const MAX_COLUMNS = 100_000;

export const QUANTILES: readonly number[] = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999];
export const MAX_CATEGORIES = 1000;
export const EXACT_LIMIT = 10_000;
/** Numeric columns with at most this many distinct values keep their counts per value. */
export const MAX_DISCRETE = 20;
// Every token is at most 4 characters: add() checks the length first and spares most cells the regex.
const MISSING = /^(?:na|n\/a|nan|null|none)$/i;
const INFINITE = /^([+-]?)(?:inf|infinity)$/i;

export interface ProfileOptions {
  /** Column types to use instead of inferring them. */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Relative accuracy of the sketches (default 0.005). */
  readonly alpha?: number;
  /** The joint-moment columns, when already chosen (default: chosen from the first 1,000 rows). */
  readonly jointColumns?: readonly string[];
}

class ColumnState {
  count = 0;
  missing = 0;
  infinite = 0;
  numbers = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  mean = 0;
  m2 = 0;
  exact: number[] | undefined = [];
  readonly sketch: NumberSketch;
  readonly categories = new Map<string, number>();
  other = 0;
  /**
   * Once the category list is full, the numbers its texts read as: a plain decimal whose number is
   * not among them cannot be listed, and counts as `other` without its text being looked up.
   */
  private listed: NumberSet | undefined;
  /** The column's place among the joint-moment columns (-1: not one); undefined until they are chosen. */
  joint: number | undefined;

  constructor(
    readonly name: string,
    alpha: number,
  ) {
    this.sketch = new NumberSketch(alpha);
  }

  /**
   * Counts one cell, `text[start, end)`; returns it as a number (NaN when missing or not a number)
   * for the joint moments. Plain decimals are read in place (decimal.ts), everything else as text.
   */
  add(text: string, start = 0, end = text.length): number {
    const number = parseDecimal(text, start, end);
    if (Number.isNaN(number)) return this.addText(start === 0 && end === text.length ? text : text.slice(start, end));
    // A plain decimal has no spaces to trim and is no missing or infinity token.
    this.count++;
    this.addNumber(number);
    if (this.listed === undefined || this.listed.has(number)) this.addCategory(text.slice(start, end));
    else this.other++;
    return number;
  }

  private addText(value: string): number {
    this.count++;
    const trimmed = value.trim();
    if (trimmed === '' || (trimmed.length <= 4 && MISSING.test(trimmed))) {
      this.missing++;
      return Number.NaN;
    }
    const number = Number(trimmed);
    if (Number.isFinite(number)) this.addNumber(number);
    else if (INFINITE.test(trimmed)) this.infinite++;
    this.addCategory(trimmed);
    return number;
  }

  private addCategory(text: string): void {
    const known = this.categories.get(text);
    if (known !== undefined) this.categories.set(text, known + 1);
    else if (this.categories.size < MAX_CATEGORIES) {
      this.categories.set(detached(text), 1);
      if (this.categories.size === MAX_CATEGORIES) this.listed = new NumberSet([...this.categories.keys()].map(Number));
    } else this.other++;
  }

  private addNumber(value: number): void {
    this.numbers++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.numbers;
    this.m2 += delta * (value - this.mean);
    this.sketch.add(value);
    if (this.exact) {
      if (this.exact.length < EXACT_LIMIT) this.exact.push(value);
      else this.exact = undefined;
    }
  }

  /** The column's profile; rows the reader gave no value for (empty cells) count as missing. */
  build(rows: number, type: ColumnType | undefined): ColumnProfile {
    if (rows > this.count) {
      this.missing += rows - this.count;
      this.count = rows;
    }
    const present = this.count - this.missing - this.infinite;
    const numeric = type ? type === 'number' : present > 0 && this.numbers >= NUMERIC_SHARE * present;
    if (!numeric) {
      const categories = new Map(this.categories);
      return {
        name: this.name,
        type: 'category',
        count: this.count,
        missing: this.missing,
        categories: Object.fromEntries([...categories].sort((a, b) => b[1] - a[1])),
        other: this.other,
      };
    }
    const counts = this.other === 0 ? numericValueCounts(this.categories) : undefined;
    const distinct = counts ? Object.keys(counts).length : null;
    return numericProfile({
      name: this.name,
      count: this.count,
      missing: this.missing + (present - this.numbers),
      infinite: this.infinite,
      numbers: this.numbers,
      min: this.min,
      max: this.max,
      mean: this.mean,
      m2: this.m2,
      sketch: this.sketch,
      exact: this.exact,
      distinct,
      values: distinct !== null && distinct <= MAX_DISCRETE ? counts : undefined,
    });
  }
}

/**
 * `text` as a string of its own. V8 cuts slices of 13 characters or more as views of the string they
 * come from — a reader's chunk of a megabyte — which a listed category would otherwise keep alive.
 */
function detached(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** Counts per numeric value, keyed by the number's canonical text (so "1.0" and "1" are one value). */
export function numericValueCounts(categories: ReadonlyMap<string, number>): Record<string, number> {
  const out = new Map<string, number>();
  for (const [text, count] of categories) {
    const number = Number(text);
    if (!Number.isFinite(number)) continue;
    const key = String(number);
    out.set(key, (out.get(key) ?? 0) + count);
  }
  return Object.fromEntries([...out].sort((a, b) => Number(a[0]) - Number(b[0])));
}

interface NumericParts {
  name: string;
  count: number;
  missing: number;
  infinite: number;
  numbers: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
  sketch: NumberSketch;
  exact: number[] | undefined;
  distinct: number | null;
  values: Record<string, number> | undefined;
}

function numericProfile(parts: NumericParts): NumericColumnProfile {
  const exact = parts.exact ? Float64Array.from(parts.exact).sort() : undefined;
  return {
    name: parts.name,
    type: 'number',
    count: parts.count,
    missing: parts.missing,
    infinite: parts.infinite,
    min: parts.numbers > 0 ? parts.min : 0,
    max: parts.numbers > 0 ? parts.max : 0,
    mean: parts.mean,
    std: parts.numbers > 1 ? Math.sqrt(parts.m2 / (parts.numbers - 1)) : 0,
    quantiles: exact ? QUANTILES.map((q) => sortedQuantile(exact, q)) : parts.sketch.quantiles(QUANTILES),
    distinct: parts.distinct,
    ...(parts.values ? { values: parts.values } : {}),
    sketch: parts.sketch.toJSON(),
    ...(exact ? { exact: Array.from(exact) } : {}),
  };
}

/** Linear interpolation between closest ranks (numpy's default method); NaN when empty. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Builds a profile one value at a time, in bounded memory whatever the number of rows. */
export class ProfileBuilder {
  private readonly slots = new Map<string, number>();
  private readonly states: ColumnState[] = [];
  private readonly joint: JointMomentsBuilder;
  private lastRow = -1;

  constructor(private readonly options: ProfileOptions = {}) {
    this.joint = new JointMomentsBuilder(options.types, options.jointColumns);
  }

  /** Adds one value of a row; rows are counted by the highest row number seen. */
  add(row: number, column: string, value: string): void {
    this.addAt(row, this.slot(column), value, 0, value.length);
  }

  /** A column's slot for addAt(), made on first use; -1 past MAX_COLUMNS (their values are dropped). */
  slot(column: string): number {
    let slot = this.slots.get(column);
    if (slot === undefined) {
      if (this.states.length >= MAX_COLUMNS) return -1;
      slot = this.states.length;
      this.states.push(new ColumnState(column, this.options.alpha ?? DEFAULT_ALPHA));
      this.slots.set(column, slot);
    }
    return slot;
  }

  /** add() for readers that keep the slots of their columns, with the value `text[start, end)`. */
  addAt(row: number, slot: number, text: string, start: number, end: number): void {
    const state = this.states[slot];
    if (!state) return;
    const number = state.add(text, start, end);
    state.joint ??= this.joint.indexOf(state.name);
    if (state.joint === undefined) this.joint.add(row, state.name, text.slice(start, end), number);
    else if (state.joint >= 0) this.joint.set(row, state.joint, number);
    if (row > this.lastRow) this.lastRow = row;
  }

  /**
   * The profile so far; `types` (default the options') decide column types, so one pass can be read
   * both ways. `only` leaves out the other columns.
   */
  build(types = this.options.types, only?: ReadonlySet<string>): ReferenceProfile {
    const rows = this.lastRow + 1;
    const states = only ? this.states.filter((state) => only.has(state.name)) : this.states;
    const columns = states.map((state) => state.build(rows, types?.[state.name]));
    const joint = this.joint.build(new Set(columns.filter((column) => column.type === 'number').map((c) => c.name)));
    return profileOf(rows, columns, joint);
  }
}

export class ProfileMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileMergeError';
  }
}

/**
 * The profile of the union of the datasets the profiles describe (shards of one dataset). Columns are
 * matched by name; a column missing from a shard counts as missing there. A column typed differently
 * in two shards is an error: profile them with the same `--type` overrides.
 */
export function mergeProfiles(profiles: readonly ReferenceProfile[]): ReferenceProfile {
  if (profiles.length === 0) throw new ProfileMergeError('no profiles to merge');
  for (const profile of profiles) {
    if (profile.schemaVersion !== 2)
      throw new ProfileMergeError('version 1 profiles have no sketches; profile the data again');
  }
  const names = [...new Set(profiles.flatMap((profile) => profile.columns.map((column) => column.name)))];
  const rows = profiles.reduce((sum, profile) => sum + profile.rows, 0);
  const columns = names.map((name) => {
    const parts = profiles.map((profile) => ({
      rows: profile.rows,
      column: profile.columns.find((c) => c.name === name),
    }));
    const types = new Set(parts.flatMap((part) => (part.column ? [part.column.type] : [])));
    if (types.size > 1)
      throw new ProfileMergeError(`column ${name} is a number in one profile and a category in another`);
    const absent = parts.reduce((sum, part) => sum + (part.column ? 0 : part.rows), 0);
    const present = parts.flatMap((part) => (part.column ? [part.column] : []));
    return types.has('number')
      ? mergeNumeric(name, present as NumericColumnProfile[], absent)
      : mergeCategories(name, present as CategoryColumnProfile[], absent);
  });
  const joint = mergeMoments(profiles.map((profile) => profile.joint));
  return profileOf(rows, columns, joint);
}

function profileOf(rows: number, columns: ColumnProfile[], joint: JointMoments | undefined): ReferenceProfile {
  return {
    kind: 'mlsecops.profile',
    schemaVersion: 2,
    rows,
    quantiles: [...QUANTILES],
    columns,
    ...(joint ? { joint } : {}),
  };
}

function mergeNumeric(name: string, columns: NumericColumnProfile[], absent: number): NumericColumnProfile {
  let numbers = 0;
  let mean = 0;
  let m2 = 0;
  const sketch = new NumberSketch(columns[0]?.sketch?.alpha ?? DEFAULT_ALPHA);
  let exact: number[] | undefined = [];
  const values = new Map<string, number>();
  let discrete = true;
  for (const column of columns) {
    if (!column.sketch) throw new ProfileMergeError(`column ${name} has no sketch`);
    const part = NumberSketch.fromJSON(column.sketch);
    const n = part.count;
    // Chan et al.'s pairwise update of count, mean and sum of squared deviations.
    const partM2 = column.std ** 2 * Math.max(0, n - 1);
    const delta = column.mean - mean;
    const total = numbers + n;
    if (n > 0) {
      mean += (delta * n) / total;
      m2 += partM2 + (delta * delta * numbers * n) / total;
      numbers = total;
    }
    sketch.merge(part);
    exact =
      exact && column.exact && exact.length + column.exact.length <= EXACT_LIMIT
        ? exact.concat(column.exact)
        : undefined;
    if (column.values)
      for (const [key, count] of Object.entries(column.values)) values.set(key, (values.get(key) ?? 0) + count);
    else if (n > 0) discrete = false;
  }
  // Only shards that held numbers say anything about the range (an all-missing shard reports 0..0).
  const withValues = columns.filter((column) =>
    column.sketch ? NumberSketch.fromJSON(column.sketch).count > 0 : false,
  );
  return numericProfile({
    name,
    count: columns.reduce((sum, column) => sum + column.count, 0) + absent,
    missing: columns.reduce((sum, column) => sum + column.missing, 0) + absent,
    infinite: columns.reduce((sum, column) => sum + column.infinite, 0),
    numbers,
    min: Math.min(...withValues.map((column) => column.min)),
    max: Math.max(...withValues.map((column) => column.max)),
    mean,
    m2,
    sketch,
    exact,
    distinct: discrete && values.size <= MAX_DISCRETE ? values.size : exact ? new Set(exact).size : null,
    values:
      discrete && values.size <= MAX_DISCRETE
        ? Object.fromEntries([...values].sort((a, b) => Number(a[0]) - Number(b[0])))
        : undefined,
  });
}

function mergeCategories(name: string, columns: CategoryColumnProfile[], absent: number): CategoryColumnProfile {
  const counts = new Map<string, number>();
  let other = 0;
  for (const column of columns) {
    other += column.other;
    for (const [key, count] of Object.entries(column.categories)) counts.set(key, (counts.get(key) ?? 0) + count);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  for (const [, count] of sorted.slice(MAX_CATEGORIES)) other += count;
  return {
    name,
    type: 'category',
    count: columns.reduce((sum, column) => sum + column.count, 0) + absent,
    missing: columns.reduce((sum, column) => sum + column.missing, 0) + absent,
    categories: Object.fromEntries(sorted.slice(0, MAX_CATEGORIES)),
    other,
  };
}
