/**
 * Label disagreement with nearest neighbours: a row whose label differs from the labels of almost all
 * of its k nearest neighbours (Euclidean, standardised numeric features) was likely relabelled. Brute
 * force, every pair once: O(n² d) time and O(n k) memory beyond the matrix, so the caller bounds n.
 */

export interface NeighbourResult {
  /** Labelled neighbours found for the row (k, or fewer in a tiny table). */
  readonly found: number;
  /** Neighbours whose label differs from the row's. */
  readonly disagreeing: number;
  /** The most common neighbour label and how many neighbours carry it. */
  readonly majority: number;
  readonly majorityCount: number;
}

/**
 * k nearest neighbours of every row of a row-major matrix (n rows × d columns), among the rows
 * themselves. Returns the neighbour indices, row-major n × k, nearest first (-1 where fewer exist).
 */
export function nearestNeighbours(
  matrix: Float64Array,
  n: number,
  d: number,
  k: number,
  signal?: AbortSignal,
): Int32Array {
  const distance = new Float64Array(n * k).fill(Number.POSITIVE_INFINITY);
  const neighbour = new Int32Array(n * k).fill(-1);
  const insert = (row: number, other: number, value: number) => {
    const base = row * k;
    let slot = k - 1;
    if (!(value < distance[base + slot]!)) return;
    while (slot > 0 && distance[base + slot - 1]! > value) {
      distance[base + slot] = distance[base + slot - 1]!;
      neighbour[base + slot] = neighbour[base + slot - 1]!;
      slot--;
    }
    distance[base + slot] = value;
    neighbour[base + slot] = other;
  };
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) signal?.throwIfAborted();
    const a = i * d;
    for (let j = i + 1; j < n; j++) {
      // Stop summing once the pair can enter neither row's list.
      const bound = Math.max(distance[i * k + k - 1]!, distance[j * k + k - 1]!);
      const b = j * d;
      let sum = 0;
      for (let c = 0; c < d && sum < bound; c++) {
        const diff = matrix[a + c]! - matrix[b + c]!;
        sum += diff * diff;
      }
      if (sum >= bound) continue;
      insert(i, j, sum);
      insert(j, i, sum);
    }
  }
  return neighbour;
}

export function labelDisagreement(neighbours: Int32Array, labels: Int32Array, k: number): NeighbourResult[] {
  const n = labels.length;
  const results: NeighbourResult[] = [];
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    counts.clear();
    let found = 0;
    let disagreeing = 0;
    for (let s = 0; s < k; s++) {
      const j = neighbours[i * k + s]!;
      if (j < 0) break;
      const label = labels[j]!;
      found++;
      if (label !== labels[i]) disagreeing++;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    let majority = -1;
    let majorityCount = 0;
    for (const [label, count] of counts) {
      if (count > majorityCount) {
        majority = label;
        majorityCount = count;
      }
    }
    results.push({ found, disagreeing, majority, majorityCount });
  }
  return results;
}
