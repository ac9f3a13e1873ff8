import { mulberry32 } from '../../data/index.js';

/** A seeded generator (mulberry32), so every attack is reproducible with `--seed`. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function rng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    int: (n) => Math.floor(next() * n),
  };
}

/** A generator for one (attack, sample) pair: results do not depend on the order samples run in. */
export const rngFor = (seed: number, stream: number, sample: number): Rng =>
  rng(
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) +
      Math.imul(stream + 1, 0xc2b2ae35) +
      Math.imul(sample + 1, 0x27d4eb2f)) >>>
      0,
  );

/** The first `count` of a seeded permutation of 0..n-1. */
export function sampleIndices(n: number, count: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, Math.min(n, count)).sort((a, b) => a - b);
}
