/**
 * Less information per answer, as a defence against extraction and membership inference: a model
 * server's probability vectors (arrays of at least two numbers, all in [0, 1]) are rounded to
 * `decimals` and/or cut to their `topK` largest entries (the rest set to 0, so shapes stay as the client
 * expects). Confidence scores rounded to two decimals or reduced to the top label take away most of
 * what equation-solving and shadow-model attacks use, and leave the prediction itself unchanged.
 */
export interface ProbabilityLimits {
  readonly decimals?: number | undefined;
  readonly topK?: number | undefined;
}

export interface LimitedAnswer {
  /** Probability vectors found in the answer. */
  readonly vectors: number;
  /** Vectors that went out (or would have) with more than the top entry or unrounded values. */
  readonly full: number;
  /** Vectors changed by the limits. */
  readonly changed: number;
}

const MAX_DEPTH = 16;
const MAX_VECTORS = 100_000;

function isProbabilityVector(value: unknown[]): value is number[] {
  if (value.length < 2) return false;
  for (const item of value) if (typeof item !== 'number' || !(item >= 0 && item <= 1)) return false;
  return true;
}

function rounded(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * Applies the limits in place to every probability vector in a parsed answer and counts what it saw.
 * A vector counts as full when it has more than one non-zero entry after the limits, or when values
 * carry more than `decimals` digits (four when no rounding is set).
 */
export function limitProbabilities(answer: unknown, limits: ProbabilityLimits): LimitedAnswer {
  const counts = { vectors: 0, full: 0, changed: 0 };
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || counts.vectors >= MAX_VECTORS || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      if (isProbabilityVector(value)) {
        counts.vectors++;
        if (limit(value, limits)) counts.changed++;
        if (isFull(value, limits.decimals ?? 4)) counts.full++;
        return;
      }
      for (const item of value) visit(item, depth + 1);
      return;
    }
    for (const item of Object.values(value)) visit(item, depth + 1);
  };
  visit(answer, 0);
  return counts;
}

function limit(vector: number[], limits: ProbabilityLimits): boolean {
  let changed = false;
  const { topK, decimals } = limits;
  if (topK !== undefined && topK < vector.length) {
    const kept = new Set(
      vector
        .map((value, index) => [value, index] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, topK)
        .map(([, index]) => index),
    );
    for (let i = 0; i < vector.length; i++) {
      if (!kept.has(i) && vector[i] !== 0) {
        vector[i] = 0;
        changed = true;
      }
    }
  }
  if (decimals !== undefined) {
    for (let i = 0; i < vector.length; i++) {
      const next = rounded(vector[i]!, decimals);
      if (next !== vector[i]) {
        vector[i] = next;
        changed = true;
      }
    }
  }
  return changed;
}

function isFull(vector: readonly number[], decimals: number): boolean {
  let nonZero = 0;
  for (const value of vector) {
    if (value !== 0) nonZero++;
    if (rounded(value, decimals) !== value) return true;
  }
  return nonZero > 1;
}
