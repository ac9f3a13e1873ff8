/** Scores of a batch of rows (row-major, `features` numbers each): one array of class scores per row. */
export type ScoreFunction = (rows: Float32Array) => Promise<Float32Array[]>;

export interface KernelShapOptions {
  /** Coalitions evaluated per explained row (all 2^M − 2 of them when that many fit). */
  readonly nsamples: number;
  readonly random: () => number;
  /** Rows per model call, to bound memory. */
  readonly batchRows?: number;
}

export interface Attribution {
  /** One value per feature; they sum to `fx − base` exactly (the efficiency constraint). */
  readonly values: Float64Array;
  /** f(x) for the explained class. */
  readonly fx: number;
  /** E[f(background)] for the explained class. */
  readonly base: number;
  /** Whether every coalition was evaluated (the values are then the exact Shapley values). */
  readonly exact: boolean;
}

interface Coalitions {
  readonly masks: Uint8Array[];
  readonly weights: number[];
  readonly exact: boolean;
}

const binomial = (n: number, k: number): number => {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
};

/**
 * Coalitions with Shapley kernel weights (M − 1) / (C(M, s)·s·(M − s)). When all 2^M − 2 proper
 * coalitions fit the budget they are enumerated with those weights; otherwise sizes are drawn in
 * proportion to the kernel's mass per size and each draw is paired with its complement (which has the
 * same weight), all with equal weight — the sampling already follows the kernel.
 */
export function coalitions(features: number, budget: number, random: () => number): Coalitions {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  if (features <= 20 && 2 ** features - 2 <= budget) {
    for (let bits = 1; bits < 2 ** features - 1; bits++) {
      const mask = new Uint8Array(features);
      let size = 0;
      for (let i = 0; i < features; i++) if ((bits >> i) & 1) size += mask[i] = 1;
      masks.push(mask);
      weights.push((features - 1) / (binomial(features, size) * size * (features - size)));
    }
    return { masks, weights, exact: true };
  }
  const sizeMass = Array.from({ length: features - 1 }, (_, i) => (features - 1) / ((i + 1) * (features - i - 1)));
  const total = sizeMass.reduce((a, b) => a + b, 0);
  const pairs = Math.max(1, Math.floor(budget / 2));
  for (let p = 0; p < pairs; p++) {
    let draw = random() * total;
    let size = 1;
    while (size < features - 1 && draw > sizeMass[size - 1]!) draw -= sizeMass[size++ - 1]!;
    // Partial Fisher–Yates: the first `size` picks are a uniform subset of that size.
    const order = Array.from({ length: features }, (_, i) => i);
    const mask = new Uint8Array(features);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(random() * (features - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
      mask[order[i]!] = 1;
    }
    masks.push(
      mask,
      mask.map((bit) => 1 - bit),
    );
    weights.push(1, 1);
  }
  return { masks, weights, exact: false };
}

/** Solves A·x = b (A square, row-major) by Gaussian elimination with partial pivoting. */
export function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c]!, m[col * n + c]!];
      [x[col], x[pivot]] = [x[pivot]!, x[col]!];
    }
    const diagonal = m[col * n + col]!;
    if (Math.abs(diagonal) < 1e-300) continue;
    for (let r = col + 1; r < n; r++) {
      const factor = m[r * n + col]! / diagonal;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c]! -= factor * m[col * n + c]!;
      x[r]! -= factor * x[col]!;
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let sum = x[row]!;
    for (let c = row + 1; c < n; c++) sum -= m[row * n + c]! * x[c]!;
    const diagonal = m[row * n + row]!;
    x[row] = Math.abs(diagonal) < 1e-300 ? 0 : sum / diagonal;
  }
  return x;
}

/** Mean score of `cls` over consecutive groups of `group` rows, calling the model in bounded batches. */
async function groupMeans(
  score: ScoreFunction,
  rows: Float32Array,
  features: number,
  group: number,
  cls: number,
  batchRows: number,
): Promise<Float64Array> {
  const count = rows.length / features;
  const means = new Float64Array(count / group);
  for (let start = 0; start < count; start += batchRows) {
    const end = Math.min(count, start + batchRows);
    const scores = await score(rows.subarray(start * features, end * features));
    scores.forEach((s, i) => {
      means[Math.floor((start + i) / group)]! += (s[cls] ?? 0) / group;
    });
  }
  return means;
}

/**
 * KernelSHAP (Lundberg & Lee 2017) for one row and one class: the value of a coalition S is the mean
 * score over the background with the features in S taken from x; the attributions are the weighted
 * least-squares fit of those values under the constraint that they sum to f(x) − E[f(background)],
 * solved by eliminating the last feature.
 */
export async function kernelShap(
  score: ScoreFunction,
  x: ArrayLike<number>,
  background: readonly ArrayLike<number>[],
  cls: number,
  options: KernelShapOptions,
): Promise<Attribution> {
  const m = x.length;
  const b = background.length;
  const batchRows = options.batchRows ?? 8192;
  const bgRows = new Float32Array(b * m);
  background.forEach((row, r) => {
    for (let j = 0; j < m; j++) bgRows[r * m + j] = row[j]!;
  });
  const base = (await groupMeans(score, bgRows, m, b, cls, batchRows))[0]!;
  const fx = (await groupMeans(score, Float32Array.from(x), m, 1, cls, batchRows))[0]!;
  const delta = fx - base;
  if (m === 1) return { values: Float64Array.of(delta), fx, base, exact: true };

  const { masks, weights, exact } = coalitions(m, options.nsamples, options.random);
  const rows = new Float32Array(masks.length * b * m);
  masks.forEach((mask, k) => {
    for (let r = 0; r < b; r++) {
      const offset = (k * b + r) * m;
      for (let j = 0; j < m; j++) rows[offset + j] = mask[j] ? x[j]! : bgRows[r * m + j]!;
    }
  });
  const values = await groupMeans(score, rows, m, b, cls, batchRows);

  // φ_last = Δ − Σ φ_i, so y − z_last·Δ = Σ_i φ_i (z_i − z_last) over the first m − 1 features.
  const n = m - 1;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  const d = new Float64Array(n);
  masks.forEach((mask, k) => {
    const w = weights[k]!;
    const last = mask[n]!;
    for (let i = 0; i < n; i++) d[i] = mask[i]! - last;
    const target = values[k]! - base - last * delta;
    for (let i = 0; i < n; i++) {
      if (d[i] === 0) continue;
      atb[i]! += w * d[i]! * target;
      for (let j = 0; j < n; j++) ata[i * n + j]! += w * d[i]! * d[j]!;
    }
  });
  let trace = 0;
  for (let i = 0; i < n; i++) trace += ata[i * n + i]!;
  for (let i = 0; i < n; i++) ata[i * n + i]! += 1e-12 * trace;
  const head = solve(ata, atb, n);
  const result = new Float64Array(m);
  result.set(head);
  result[n] = delta - head.reduce((sum, v) => sum + v, 0);
  return { values: result, fx, base, exact };
}
