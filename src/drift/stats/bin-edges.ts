/**
 * Bins for the binned drift statistics (psi.ts): edges built from the reference sample, and counts
 * of a sample over given edges.
 *
 * Bin i holds the values e_i <= x < e_(i+1), the last bin also x = e_k, as numpy.histogram counts
 * them. Unlike numpy.histogram, the outer bins are open-ended: a value below the first edge counts
 * in the first bin and one above the last edge in the last, so a current sample that moves outside
 * the reference's range shows up as drift instead of being dropped.
 */
import { finiteSample } from './input.js';

/**
 * `bins` equal-width bins spanning the reference's range, the edges exactly as
 * numpy.histogram_bin_edges(reference, bins) computes them (a constant reference gets the range
 * [x − 0.5, x + 0.5]).
 * @throws RangeError for an empty or non-finite reference, or `bins` not a positive integer.
 */
export function equalWidthEdges(reference: ArrayLike<number>, bins: number): Float64Array {
  const values = finiteSample(reference, 'equalWidthEdges', 'reference');
  checkBins(bins, 'equalWidthEdges');
  let low = values[0]!;
  let high = low;
  for (const x of values) {
    if (x < low) low = x;
    if (x > high) high = x;
  }
  return linspace(low, high, bins);
}

/**
 * Bins holding (nearly) equal shares of the reference: the edges are the reference's quantiles at
 * 0, 1/bins, …, 1, with numpy.quantile's default linear interpolation, exactly as numpy computes
 * them. Repeated edges (ties in the reference) are merged, so there may be fewer bins than asked
 * for; a constant reference falls back to equalWidthEdges.
 * @throws RangeError for an empty or non-finite reference, or `bins` not a positive integer.
 */
export function quantileEdges(reference: ArrayLike<number>, bins: number): Float64Array {
  const values = finiteSample(reference, 'quantileEdges', 'reference');
  checkBins(bins, 'quantileEdges');
  const n = values.length;
  const step = 1 / bins;
  const qs = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * step));
  // Only the order statistics the quantiles interpolate between are needed: select them (O(n log k))
  // instead of sorting everything.
  const ranks = [...new Set(qs.flatMap((q) => rankPair(n, q)))].sort((a, b) => a - b);
  const at = selectRanks(values, ranks);
  const sorted = { get: (rank: number) => at.get(rank)! };
  if (sorted.get(0) === sorted.get(n - 1)) return linspace(sorted.get(0), sorted.get(0), bins);
  const edges: number[] = [];
  for (const q of qs) {
    const edge = quantileOfSorted((rank) => sorted.get(rank), n, q);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** The ranks quantileOfSorted reads for q. */
function rankPair(n: number, q: number): number[] {
  const position = (n - 1) * q;
  if (position >= n - 1) return [0, n - 1];
  const below = Math.floor(position);
  return [0, n - 1, below, below + 1];
}

/**
 * The values at the given sorted ranks (ascending, distinct) of `values`, which is reordered: a
 * multi-quickselect with three-way partitions (duplicates end a branch at once), sorting small parts.
 */
function selectRanks(values: Float64Array, ranks: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const stack: [number, number, number, number][] = [[0, values.length - 1, 0, ranks.length - 1]];
  while (stack.length > 0) {
    const [lo, hi, first, last] = stack.pop()!;
    if (first > last) continue;
    if (hi - lo < 32) {
      values.subarray(lo, hi + 1).sort();
      for (let r = first; r <= last; r++) out.set(ranks[r]!, values[ranks[r]!]!);
      continue;
    }
    const a = values[lo]!;
    const b = values[(lo + hi) >> 1]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = values[i]!;
      if (v < pivot) {
        values[i++] = values[lt]!;
        values[lt++] = v;
      } else if (v > pivot) {
        values[i] = values[gt]!;
        values[gt--] = v;
      } else i++;
    }
    let r = first;
    while (r <= last && ranks[r]! < lt) r++;
    stack.push([lo, lt - 1, first, r - 1]);
    while (r <= last && ranks[r]! <= gt) out.set(ranks[r++]!, pivot);
    stack.push([gt + 1, hi, r, last]);
  }
  return out;
}

/**
 * How many of `values` fall in each bin of `edges` (k + 1 non-decreasing finite edges, k bins), the
 * outer bins open-ended (see the module comment). O(n log k).
 * @throws RangeError for non-finite values or edges, fewer than two edges, or decreasing edges.
 */
export function binCounts(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const sample = finiteSample(values, 'binCounts', 'values');
  const e = checkedEdges(edges, 'binCounts');
  const bins = e.length - 1;
  const counts = new Float64Array(bins);
  for (const x of sample) {
    // The last bin whose lower edge is <= x (the first bin for x below every edge).
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]!++;
  }
  return counts;
}

export function checkedEdges(edges: ArrayLike<number>, caller: string): Float64Array {
  const e = finiteSample(edges, caller, 'edges');
  if (e.length < 2) throw new RangeError(`${caller} needs at least two edges, got ${e.length}`);
  for (let i = 1; i < e.length; i++) {
    if (e[i]! < e[i - 1]!) throw new RangeError(`${caller} needs non-decreasing edges, got ${e[i - 1]} then ${e[i]}`);
  }
  return e;
}

/** numpy.linspace(low, high, bins + 1) after histogram_bin_edges' widening of an empty range. */
function linspace(low: number, high: number, bins: number): Float64Array {
  let start = low;
  let stop = high;
  if (start === stop) {
    start -= 0.5;
    stop += 0.5;
  }
  const delta = stop - start;
  const step = delta / bins;
  const edges = new Float64Array(bins + 1);
  // numpy's order of operations, so the edges are the same doubles: i·step + start.
  for (let i = 0; i < bins; i++) edges[i] = step === 0 ? (i / bins) * delta + start : i * step + start;
  edges[bins] = stop;
  return edges;
}

/** numpy.quantile(sorted, q) with method='linear', including its two-sided interpolation. */
function quantileOfSorted(sorted: (rank: number) => number, n: number, q: number): number {
  const position = (n - 1) * q;
  if (position >= n - 1) return sorted(n - 1);
  const below = Math.floor(position);
  const t = position - below;
  const a = sorted(below);
  const b = sorted(below + 1);
  const difference = b - a;
  // numpy interpolates from the nearer end (its _lerp), which keeps the result inside [a, b].
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}

function checkBins(bins: number, caller: string): void {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`${caller} needs a positive integer bins, got ${bins}`);
}
