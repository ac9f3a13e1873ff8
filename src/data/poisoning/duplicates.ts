import { parseNumber, tokenize } from './columns.js';
import { fmix32, hashString, mulberry32 } from './random.js';
import type { RowTable } from './types.js';

/**
 * Exact and near duplicates. Exact: rows whose key columns are equal after normalising (case,
 * whitespace, number spelling), grouped by two independent 32-bit hashes and then compared as strings.
 * Near: MinHash signatures (64 hashes over word 3-shingles) and LSH banding (16 bands of 4), then the
 * signature estimate of Jaccard similarity on each candidate pair. Memory: 64 × 4 bytes per row for the
 * signatures plus 8 bytes per row for one band at a time; no pair list.
 */

export function normaliseValue(value: string | undefined): string {
  if (value === undefined) return '';
  const number = parseNumber(value);
  if (number !== undefined) return String(number);
  return value.trim().toLowerCase().replace(/\s+/g, ' ');
}

const rowKey = (row: ReadonlyArray<string | undefined>, columns: readonly number[]) =>
  columns.map((c) => normaliseValue(row[c])).join('\u0001');

/** Groups (2 or more rows, indices into `rows`) of rows with equal normalised key columns. */
export function exactDuplicateGroups(table: RowTable, rows: readonly number[], columns: readonly number[]): number[][] {
  const n = rows.length;
  const first = new Uint32Array(n);
  const second = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const key = rowKey(table.rows[rows[i]!]!, columns);
    first[i] = hashString(key);
    second[i] = hashString(key, 0x9747b28c);
  }
  const order = sortedBy(first, second);
  const groups: number[][] = [];
  let start = 0;
  for (let s = 1; s <= n; s++) {
    const same = s < n && first[order[s]!] === first[order[start]!] && second[order[s]!] === second[order[start]!];
    if (same) continue;
    if (s - start > 1) {
      // Hash runs are confirmed on the keys themselves: a 64-bit collision must not merge two rows.
      const byKey = new Map<string, number[]>();
      for (let t = start; t < s; t++) {
        const i = order[t]!;
        const key = rowKey(table.rows[rows[i]!]!, columns);
        const group = byKey.get(key);
        if (group) group.push(i);
        else byKey.set(key, [i]);
      }
      for (const group of byKey.values()) if (group.length > 1) groups.push(group.sort((a, b) => a - b));
    }
    start = s;
  }
  return groups.sort((a, b) => a[0]! - b[0]!);
}

const hashes = 64;
const bands = 16;
const bandRows = hashes / bands;
/** Members of one LSH bucket compared with each other at most this far apart, against quadratic buckets. */
const bucketWindow = 32;

const seeds = (() => {
  const random = mulberry32(0x6d696e68);
  return Uint32Array.from({ length: hashes }, () => Math.floor(random() * 4294967296));
})();

/** MinHash signatures (row-major, n × 64) of the texts; a text of under 3 words is one shingle. */
export function minHashSignatures(texts: readonly (string | undefined)[]): Uint32Array {
  const signatures = new Uint32Array(texts.length * hashes).fill(0xffffffff);
  const shingle = new Set<number>();
  for (let i = 0; i < texts.length; i++) {
    const words = tokenize(texts[i] ?? '');
    if (words.length === 0) continue;
    shingle.clear();
    if (words.length < 3) shingle.add(hashString(words.join(' ')));
    for (let w = 0; w + 3 <= words.length; w++) shingle.add(hashString(`${words[w]} ${words[w + 1]} ${words[w + 2]}`));
    const base = i * hashes;
    for (const value of shingle) {
      for (let h = 0; h < hashes; h++) {
        const mixed = fmix32(value ^ seeds[h]!);
        if (mixed < signatures[base + h]!) signatures[base + h] = mixed;
      }
    }
  }
  return signatures;
}

export function estimatedJaccard(signatures: Uint32Array, a: number, b: number): number {
  let same = 0;
  for (let h = 0; h < hashes; h++) if (signatures[a * hashes + h] === signatures[b * hashes + h]) same++;
  return same / hashes;
}

/**
 * Clusters of near-duplicate texts (indices into `texts`): connected components of the pairs whose
 * estimated Jaccard similarity reaches `threshold`. Empty texts never join a cluster.
 */
export function nearDuplicateClusters(
  texts: readonly (string | undefined)[],
  threshold: number,
  signal?: AbortSignal,
): { clusters: number[][]; signatures: Uint32Array } {
  const n = texts.length;
  const signatures = minHashSignatures(texts);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  const band = new Uint32Array(n);
  const empty = new Uint32Array(n);
  for (let b = 0; b < bands; b++) {
    signal?.throwIfAborted();
    for (let i = 0; i < n; i++) {
      let h = b;
      for (let r = 0; r < bandRows; r++) h = fmix32(Math.imul(h, 31) ^ signatures[i * hashes + b * bandRows + r]!);
      band[i] = h;
    }
    const order = sortedBy(band, empty);
    let start = 0;
    for (let s = 1; s <= n; s++) {
      if (s < n && band[order[s]!] === band[order[start]!]) continue;
      for (let t = start + 1; t < s; t++) {
        const i = order[t]!;
        if (signatures[i * hashes] === 0xffffffff) continue;
        for (let u = Math.max(start, t - bucketWindow); u < t; u++) {
          const j = order[u]!;
          if (find(i) === find(j)) continue;
          if (estimatedJaccard(signatures, i, j) >= threshold) parent[find(i)] = find(j);
        }
      }
      start = s;
    }
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  }
  const clusters = [...members.values()].filter((c) => c.length > 1).sort((a, b) => a[0]! - b[0]!);
  return { clusters, signatures };
}

function sortedBy(first: Uint32Array, second: Uint32Array): Uint32Array {
  const order = Uint32Array.from({ length: first.length }, (_, i) => i);
  return order.sort((a, b) => first[a]! - first[b]! || second[a]! - second[b]! || a - b);
}
