import type { ColumnDrift, DriftTest } from '../contracts/index.js';
import { type Points, pointsOf } from './points.js';
import type { CategoryColumnProfile, ColumnProfile, NumericColumnProfile } from './profile.js';
import { NumberSketch } from './sketch.js';
import { chiSquareHomogeneity } from './stats/chi-square.js';
import { jensenShannonDistance } from './stats/jensen-shannon.js';
import { kolmogorovSurvival } from './stats/kolmogorov.js';
import { ksTwoSample, roundHalfEven } from './stats/ks.js';
import { psi } from './stats/psi.js';
import { wassersteinDistance } from './stats/wasserstein.js';
import { twoProportionZTest } from './stats/z-test.js';

/**
 * One column of a reference profile against the same column of a current profile.
 *
 * Test choice when none is given (the rule Evidently uses by default): with at most 1,000 reference
 * values, a p-value test at 0.05 — Kolmogorov–Smirnov for numbers, the two-proportion Z-test for
 * two categories, chi-square for more; with more reference values, a distance at 0.1 — Wasserstein
 * normalised by the reference's standard deviation for numbers, Jensen–Shannon (base 2) for
 * categories. Numbers with at most 5 distinct values count as categories.
 *
 * Exact or approximate: when both columns kept every value (the profile's exact limit), statistics
 * are computed on the values and agree with scipy. Otherwise they are computed on the sketches'
 * buckets: KS on the CDFs at bucket edges with the asymptotic p-value, Wasserstein on bucket values
 * weighted by counts (within the sketch's relative accuracy), and the result says `approximate`.
 */
export const SMALL_REFERENCE = 1000;
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  psi: 0.1,
  jensenshannon: 0.1,
  wasserstein: 0.1,
};
const P_VALUE_TESTS: ReadonlySet<DriftTest> = new Set(['ks', 'chisquare', 'z']);
const NUMERIC_ONLY: ReadonlySet<DriftTest> = new Set(['ks', 'wasserstein']);
/** Numbers with at most this many distinct values are tested as categories. */
const DISCRETE_MAX = 5;
const PSI_BINS = 10;

export interface TestChoice {
  readonly test?: DriftTest | undefined;
  readonly threshold?: number | undefined;
}

/** Counts per category; numbers by value; a reference's folded tail as one `(other)` category. */
function countsOf(column: ColumnProfile): Map<string, number> {
  if (column.type === 'category') {
    const counts = new Map(Object.entries(column.categories));
    if (column.other > 0) counts.set('(other)', column.other);
    return counts;
  }
  if (column.values) return new Map(Object.entries(column.values));
  throw new RangeError(`column ${column.name}: too many distinct numbers to test as categories`);
}

function valuesPresent(column: ColumnProfile): number {
  return column.count - column.missing - (column.type === 'number' ? column.infinite : 0);
}

function side(column: ColumnProfile) {
  return { count: column.count, missing: column.missing, infinite: column.type === 'number' ? column.infinite : 0 };
}

function isDiscrete(column: ColumnProfile): boolean {
  return (
    column.type === 'category' || (column.values !== undefined && Object.keys(column.values).length <= DISCRETE_MAX)
  );
}

/** The test for a column and why, when the caller did not name one. */
export function defaultTest(reference: ColumnProfile): { test: DriftTest; why: string } {
  const n = valuesPresent(reference);
  const small = n <= SMALL_REFERENCE;
  const size = `${n} reference values (${small ? '≤' : '>'} ${SMALL_REFERENCE})`;
  if (isDiscrete(reference)) {
    const kinds = countsOf(reference).size;
    if (!small) return { test: 'jensenshannon', why: `categories, ${size}` };
    return kinds <= 2
      ? { test: 'z', why: `two categories, ${size}` }
      : { test: 'chisquare', why: `${kinds} categories, ${size}` };
  }
  return small ? { test: 'ks', why: `numbers, ${size}` } : { test: 'wasserstein', why: `numbers, ${size}` };
}

export function compareColumn(
  reference: ColumnProfile,
  current: ColumnProfile | undefined,
  choice: TestChoice = {},
): ColumnDrift {
  const chosen = choice.test ? { test: choice.test, why: 'chosen' } : defaultTest(reference);
  const { test } = chosen;
  const threshold = choice.threshold ?? DEFAULT_THRESHOLDS[test];
  const base = {
    column: reference.name,
    type: reference.type,
    reference: side(reference),
    current: current ? side(current) : { count: 0, missing: 0, infinite: 0 },
    notes: [`${test}: ${chosen.why}`],
  };
  if (!current)
    return { ...base, status: 'absent', drifted: true, approximate: false, notes: ['not in the current data'] };
  if (valuesPresent(reference) === 0 || valuesPresent(current) === 0) {
    const which = valuesPresent(reference) === 0 ? 'reference' : 'current data';
    return {
      ...base,
      status: 'empty',
      test,
      threshold,
      drifted: false,
      approximate: false,
      notes: [`no values in the ${which}`],
    };
  }
  if (current.type !== reference.type) {
    throw new RangeError(`column ${reference.name} is a ${reference.type} in the reference and a ${current.type} now`);
  }
  if (NUMERIC_ONLY.has(test) && reference.type !== 'number') {
    throw new RangeError(`column ${reference.name}: ${test} needs numbers`);
  }
  // Binned or continuous tests of numbers; counts for categories and for discrete numbers.
  const continuous =
    reference.type === 'number' &&
    (NUMERIC_ONLY.has(test) || ((test === 'psi' || test === 'jensenshannon') && !isDiscrete(reference)));
  const result = continuous
    ? numericTest(test, reference, current as NumericColumnProfile)
    : categoryTest(test, reference, current);
  const drifted = P_VALUE_TESTS.has(test) ? (result.pValue ?? 1) < threshold : result.statistic >= threshold;
  return {
    ...base,
    status: 'tested',
    test,
    threshold,
    drifted,
    ...result,
    notes: [...base.notes, ...result.notes],
  };
}

interface TestResult {
  statistic: number;
  pValue?: number;
  approximate: boolean;
  notes: string[];
}

function numericTest(test: DriftTest, reference: NumericColumnProfile, current: NumericColumnProfile): TestResult {
  const a = pointsOf(reference);
  const b = pointsOf(current);
  const approximate = !(a.exact && b.exact);
  switch (test) {
    case 'ks': {
      if (!approximate) {
        const { statistic, pValue, method } = ksTwoSample(a.values, b.values);
        return { statistic, pValue, approximate, notes: [`${method} p-value`] };
      }
      const d = weightedKs(a, b);
      const n = roundHalfEven((a.total * b.total) / (a.total + b.total));
      return {
        statistic: d,
        pValue: kolmogorovSurvival(d, Math.max(1, n)),
        approximate,
        notes: ['asymptotic p-value'],
      };
    }
    case 'wasserstein': {
      const distance = wassersteinDistance(a.values, b.values, { uWeights: a.weights, vWeights: b.weights });
      // numpy.std (ddof 0) from the profile's sample standard deviation.
      const spread = reference.std * Math.sqrt(Math.max(0, a.total - 1) / a.total);
      if (spread > 0) return { statistic: distance / spread, approximate, notes: [] };
      return {
        statistic: distance === 0 ? 0 : Number.POSITIVE_INFINITY,
        approximate,
        notes: ['constant reference: any change is unbounded drift'],
      };
    }
    case 'psi':
    case 'jensenshannon': {
      const edges = referenceEdges(reference, a);
      const ref = weightedBinCounts(a, edges);
      const cur = weightedBinCounts(b, edges);
      const statistic = test === 'psi' ? psi(ref, cur) : jensenShannonDistance(ref, cur, 2);
      return { statistic, approximate, notes: [`${edges.length + 1} bins at reference quantiles`] };
    }
    default:
      throw new RangeError(`column ${reference.name}: ${test} is a test of counts`);
  }
}

/** Inner bin edges at the reference's deciles (repeated edges dropped). */
function referenceEdges(reference: NumericColumnProfile, points: Points): number[] {
  const sketch = points.exact ? undefined : NumberSketch.fromJSON(reference.sketch!);
  const sorted = points.exact ? points.values : undefined;
  const edges: number[] = [];
  for (let k = 1; k < PSI_BINS; k++) {
    const q = k / PSI_BINS;
    const edge = sorted ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : sketch!.quantile(q);
    if (edges.length === 0 || edge > edges.at(-1)!) edges.push(edge);
  }
  return edges;
}

/** Weighted counts in the bins (-∞, e₁), [e₁, e₂), …, [e_k, ∞). */
function weightedBinCounts(points: Points, edges: readonly number[]): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  points.values.forEach((value, i) => {
    let low = 0;
    let high = edges.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (value >= edges[mid]!) low = mid + 1;
      else high = mid;
    }
    counts[low]! += points.weights ? points.weights[i]! : 1;
  });
  return counts;
}

/** The largest CDF difference over the pooled points (both in value order), each side's weights summing to 1. */
function weightedKs(a: Points, b: Points): number {
  const weight = (points: Points, i: number) => (points.weights ? points.weights[i]! : 1) / points.total;
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let d = 0;
  while (i < a.values.length || j < b.values.length) {
    const value = Math.min(a.values[i] ?? Number.POSITIVE_INFINITY, b.values[j] ?? Number.POSITIVE_INFINITY);
    while (i < a.values.length && a.values[i] === value) fa += weight(a, i++);
    while (j < b.values.length && b.values[j] === value) fb += weight(b, j++);
    d = Math.max(d, Math.abs(fa - fb));
  }
  return Math.min(1, d);
}

function categoryTest(test: DriftTest, reference: ColumnProfile, current: ColumnProfile): TestResult {
  const ref = countsOf(reference);
  const cur = countsOf(current);
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  const unseen = keys.filter((key) => !ref.has(key));
  const notes =
    unseen.length > 0 ? [`new categories: ${unseen.slice(0, 10).join(', ')}${unseen.length > 10 ? ', …' : ''}`] : [];
  const a = keys.map((key) => ref.get(key) ?? 0);
  const b = keys.map((key) => cur.get(key) ?? 0);
  const approximate =
    reference.type === 'category' && (reference.other > 0 || (current as CategoryColumnProfile).other > 0);
  switch (test) {
    case 'chisquare': {
      const { statistic, pValue } = chiSquareHomogeneity(a, b);
      return { statistic, pValue, approximate, notes };
    }
    case 'z': {
      // The proportion of the reference's most frequent category in each sample.
      const top = keys[a.indexOf(Math.max(...a))]!;
      const n1 = a.reduce((sum, x) => sum + x, 0);
      const n2 = b.reduce((sum, x) => sum + x, 0);
      const { z, pValue } = twoProportionZTest(ref.get(top) ?? 0, n1, cur.get(top) ?? 0, n2);
      return { statistic: z, pValue, approximate, notes: [...notes, `proportion of ${top}`] };
    }
    case 'jensenshannon':
      return { statistic: jensenShannonDistance(a, b, 2), approximate, notes };
    case 'psi':
      return { statistic: psi(a, b), approximate, notes };
    default:
      throw new RangeError(`column ${reference.name}: ${test} needs numbers`);
  }
}
