import { pointsOf } from './points.js';
import type { ColumnProfile } from './profile.js';

/** Shares of reference and current values per bin or category, for plotting one column. */
export interface ColumnHistogram {
  readonly kind: 'bins' | 'categories';
  /** Bin labels (`[low, high)`) or category names. */
  readonly labels: readonly string[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
}

const share = (counts: number[]) => {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? count / total : 0));
};

const label = (value: number) =>
  Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(2)
    : String(Math.round(value * 1000) / 1000);

/**
 * The distributions of a column in both profiles: equal-width bins over the range both share (numbers),
 * or the most frequent categories of either side with the rest summed as `(rest)`.
 */
export function columnHistogram(
  reference: ColumnProfile,
  current: ColumnProfile,
  bins = 30,
  maxCategories = 20,
): ColumnHistogram {
  if (reference.type === 'number' && current.type === 'number') {
    const low = Math.min(reference.min, current.min);
    const high = Math.max(reference.max, current.max);
    const width = high > low ? (high - low) / bins : 1;
    const count = (column: typeof reference) => {
      const counts = new Array<number>(bins).fill(0);
      const { values, weights } = pointsOf(column);
      values.forEach((value, i) => {
        const at = Math.min(bins - 1, Math.max(0, Math.floor((value - low) / width)));
        counts[at]! += weights ? weights[i]! : 1;
      });
      return share(counts);
    };
    return {
      kind: 'bins',
      labels: Array.from({ length: bins }, (_, i) => label(low + i * width)),
      reference: count(reference),
      current: count(current),
    };
  }
  const countsOf = (column: ColumnProfile): Map<string, number> =>
    column.type === 'category'
      ? new Map(Object.entries(column.categories))
      : new Map(Object.entries(column.values ?? {}));
  const ref = countsOf(reference);
  const cur = countsOf(current);
  const totals = new Map<string, number>();
  for (const map of [ref, cur]) for (const [key, count] of map) totals.set(key, (totals.get(key) ?? 0) + count);
  const kept = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxCategories)
    .map(([key]) => key);
  const rest = (map: Map<string, number>) =>
    [...map].filter(([key]) => !kept.includes(key)).reduce((sum, [, count]) => sum + count, 0);
  const row = (map: Map<string, number>, other: number) =>
    share([...kept.map((key) => map.get(key) ?? 0), rest(map) + other]);
  return {
    kind: 'categories',
    labels: [...kept, '(rest)'],
    reference: row(ref, reference.type === 'category' ? reference.other : 0),
    current: row(cur, current.type === 'category' ? current.other : 0),
  };
}
