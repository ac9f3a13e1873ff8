import { NUMERIC_SHARE, restrictMoments } from './moments.js';
import {
  type CategoryColumnProfile,
  type ColumnProfile,
  type ColumnType,
  MAX_CATEGORIES,
  MAX_DISCRETE,
  mergeProfiles,
  type NumericColumnProfile,
  numericValueCounts,
  ProfileBuilder,
  type ReferenceProfile,
} from './profile.js';
import type { JointMoments } from './profile-schema.js';
import type { RangeProfile } from './profile-worker.js';

/**
 * The profile of a whole file from the profiles of its byte ranges, equal to the one ProfileBuilder
 * makes reading the file in one pass: each range reports every column both as numbers and as
 * categories, the type is decided here over the whole file by ProfileBuilder's rule, and the
 * figures mergeProfiles cannot know from profiles alone (rows of empty records, min and max beside
 * ranges without numbers, distinct values) are put right from the two readings.
 *
 * Joint moments (moments.ts) merge exactly when every range took the columns one pass takes, which
 * the workers are told (profile-worker.ts); they are then restricted to the columns that are numbers.
 *
 * One difference remains: a category column with more than MAX_CATEGORIES distinct values keeps the
 * most frequent ones, as mergeProfiles does, where one pass keeps the first ones seen.
 */

interface Shard {
  readonly numeric: ReadonlyMap<string, NumericColumnProfile>;
  readonly category: ReadonlyMap<string, CategoryColumnProfile>;
  /** The shard's profile with the numeric reading, for its row count and column order. */
  readonly profile: ReferenceProfile;
}

/**
 * The merged profile, or why it cannot equal one pass: a range that lacks a joint column at its
 * start chose other joint columns than one pass (moments.ts), so its moments count other rows.
 */
export function mergeRanges(
  ranges: readonly RangeProfile[],
  types: Readonly<Record<string, ColumnType>> | undefined,
  jointColumns: readonly string[],
): ReferenceProfile {
  let last = ranges.length - 1;
  while (last >= 0 && ranges[last]!.lastRow < 0) last--;
  if (last < 0) return new ProfileBuilder().build();
  // One pass counts rows up to the last record with a value: records of earlier ranges all count,
  // as missing values where they are empty.
  const shards = ranges
    .slice(0, last + 1)
    .map((range, index) => shardOf(range, index < last ? range.records : range.lastRow + 1));
  const joints = shards.map((shard) => jointOf(shard, jointColumns));
  const typeOf = (name: string): ColumnType => types?.[name] ?? inferredType(name, shards);
  const merged = mergeProfiles(
    shards.map((shard, index) => ({
      ...shard.profile,
      joint: joints[index],
      columns: shard.profile.columns.map((column): ColumnProfile => {
        return typeOf(column.name) === 'number' ? shard.numeric.get(column.name)! : shard.category.get(column.name)!;
      }),
    })),
  );
  const { joint, ...profile } = merged;
  const kept = jointColumns.filter((column) => typeOf(column) === 'number');
  const moments = kept.length >= 2 ? shardMoments(joint, kept) : undefined;
  return {
    ...profile,
    columns: merged.columns.map((column) => (column.type === 'number' ? withWholeFileFigures(column, shards) : column)),
    ...(moments ? { joint: moments } : {}),
  };
}

/**
 * A range's joint moments as one pass would count them. Every range uses the whole file's joint
 * columns; one it never saw a value of leaves it without complete rows, so it adds none.
 */
function jointOf(shard: Shard, columns: readonly string[]): JointMoments | undefined {
  const { joint } = shard.profile;
  return columns.every((column) => joint?.columns.includes(column)) ? joint : undefined;
}

/**
 * The joint moments of `columns` in that order, as one pass builds them: its joint columns that
 * turned out numbers; zero moments when no row had all of them (mergeMoments gives none then).
 */
function shardMoments(joint: JointMoments | undefined, columns: readonly string[]): JointMoments {
  if (joint) return restrictMoments(joint, columns);
  const zeros = columns.map(() => 0);
  return { columns: [...columns], count: 0, mean: zeros, comoment: columns.map(() => [...zeros]) };
}

/** A range's two readings, with `rows - (lastRow + 1)` trailing empty records counted as missing. */
function shardOf(range: RangeProfile, rows: number): Shard {
  const extra = rows - range.numeric.rows;
  const pad = <T extends ColumnProfile>(column: T): T =>
    extra === 0 ? column : { ...column, count: column.count + extra, missing: column.missing + extra };
  const numeric = range.numeric.columns.map((column) => pad(column as NumericColumnProfile));
  return {
    profile: { ...range.numeric, rows, columns: numeric },
    numeric: new Map(numeric.map((column) => [column.name, column])),
    category: new Map(
      range.category.columns.map((column) => [column.name, pad(column as CategoryColumnProfile)] as const),
    ),
  };
}

/** Finite numbers in a numeric reading (its missing count includes values that are not numbers). */
function numbersIn(column: NumericColumnProfile): number {
  return column.count - column.missing - column.infinite;
}

/** ProfileBuilder's rule over the whole file: numeric when NUMERIC_SHARE of present values are numbers. */
function inferredType(name: string, shards: readonly Shard[]): ColumnType {
  let present = 0;
  let numbers = 0;
  for (const shard of shards) {
    const numeric = shard.numeric.get(name);
    const category = shard.category.get(name);
    if (!numeric || !category) continue;
    present += category.count - category.missing - numeric.infinite;
    numbers += numbersIn(numeric);
  }
  return present > 0 && numbers >= NUMERIC_SHARE * present ? 'number' : 'category';
}

/**
 * Min and max over the ranges that hold numbers (mergeProfiles takes a range without any as 0), and
 * the distinct values as one pass counts them: from every value's text while there are at most
 * MAX_CATEGORIES, counts per value while at most MAX_DISCRETE. Keys stay in ProfileBuilder's order.
 */
function withWholeFileFigures(column: NumericColumnProfile, shards: readonly Shard[]): NumericColumnProfile {
  const parts = shards.flatMap((shard) => {
    const numeric = shard.numeric.get(column.name);
    return numeric ? [{ numeric, category: shard.category.get(column.name) }] : [];
  });
  const withNumbers = parts.filter((part) => numbersIn(part.numeric) > 0).map((part) => part.numeric);
  // A range without a category reading of the column had more values than a list keeps (profile-worker.ts).
  let complete = parts.every((part) => part.category?.other === 0);
  const texts = new Map<string, number>();
  for (const { category } of complete ? parts : [])
    for (const [text, count] of Object.entries(category!.categories)) texts.set(text, (texts.get(text) ?? 0) + count);
  complete &&= texts.size <= MAX_CATEGORIES;
  const counts = complete ? numericValueCounts(texts) : undefined;
  const distinct = counts ? Object.keys(counts).length : null;
  const values = distinct !== null && distinct <= MAX_DISCRETE ? counts : undefined;
  const { values: _merged, sketch, exact, ...head } = column;
  return {
    ...head,
    min: withNumbers.length > 0 ? Math.min(...withNumbers.map((part) => part.min)) : 0,
    max: withNumbers.length > 0 ? Math.max(...withNumbers.map((part) => part.max)) : 0,
    distinct,
    ...(values ? { values } : {}),
    ...(sketch ? { sketch } : {}),
    ...(exact ? { exact } : {}),
  };
}
