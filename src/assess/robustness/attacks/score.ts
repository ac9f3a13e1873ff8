import { type Rng, rngFor } from '../rng.js';
import { type AttackContext, argmax, clip, margin, type SampleOutcome, scoresOf } from './common.js';

interface State {
  readonly index: number;
  readonly x: Float32Array;
  readonly label: number;
  readonly random: Rng;
  delta: Float32Array;
  best: number;
  queries: number;
  done: boolean;
  adversarial?: Float32Array;
  predicted?: number;
}

const apply = (ctx: AttackContext, x: Float32Array, delta: Float32Array) =>
  x.map((v, i) => clip(v + delta[i]!, ctx.lo, ctx.hi));

/**
 * Score-based black-box evasion, no gradients. `linf`: Square-Attack style — start from a random
 * ±radius vertex, then repeatedly redraw the sign of a random block of features (the block shrinks
 * over the budget) and keep the change when the true class's margin drops. `l2`: SimBA — step
 * ±radius/3 along one random coordinate at a time, projected back onto the L2 ball, kept when the
 * margin drops. Every active sample is queried in one batch per step. `active[i]` false skips a sample.
 */
export async function scoreAttack(
  ctx: AttackContext,
  samples: readonly Float32Array[],
  labels: readonly number[],
  kind: 'linf' | 'l2',
  radius: number,
  stream: number,
  active: readonly boolean[],
): Promise<SampleOutcome[]> {
  const d = ctx.width;
  const states: State[] = samples.map((x, index) => ({
    index,
    x,
    label: labels[index]!,
    random: rngFor(ctx.seed, stream, index),
    delta: new Float32Array(d),
    best: Infinity,
    queries: 0,
    done: !active[index],
  }));
  const perStep = kind === 'linf' ? 1 : 2;
  const alpha = radius / 3;
  for (const s of states) if (kind === 'linf') s.delta = s.delta.map(() => (s.random.next() < 0.5 ? -radius : radius));
  const order = states.map((s) => permutation(d, s.random));
  for (let step = 0; ; step++) {
    const live = states.filter((s) => !s.done && s.queries + perStep <= ctx.maxQueries);
    if (live.length === 0) break;
    const candidates: Float32Array[][] = live.map((s) => {
      if (step === 0) return [s.delta];
      if (kind === 'linf') {
        const p = Math.max(1 / d, 0.25 * 0.5 ** Math.floor((8 * s.queries) / ctx.maxQueries));
        const size = Math.max(1, Math.round(p * d));
        const next = s.delta.slice();
        const sign = s.random.next() < 0.5 ? -radius : radius;
        for (let k = 0; k < size; k++) next[s.random.int(d)] = sign;
        return [next];
      }
      const coordinate = order[s.index]![(step - 1) % d]!;
      return [alpha, -alpha].map((a) => {
        const next = s.delta.slice();
        next[coordinate] = next[coordinate]! + a;
        const norm = Math.sqrt(next.reduce((sum, v) => sum + v * v, 0));
        return norm > radius ? next.map((v) => (v * radius) / norm) : next;
      });
    });
    const rows = live.flatMap((s, i) => candidates[i]!.map((delta) => apply(ctx, s.x, delta)));
    const scores = await scoresOf(ctx, rows);
    let at = 0;
    for (const [i, s] of live.entries()) {
      for (const delta of candidates[i]!) {
        const row = rows[at]!;
        const value = scores[at++]!;
        s.queries++;
        const m = margin(value, s.label);
        if (m < s.best) {
          s.best = m;
          s.delta = delta;
          if (m < 0 && !s.done) {
            s.done = true;
            s.adversarial = row;
            s.predicted = argmax(value);
          }
        }
      }
    }
  }
  return states.map((s) => ({
    flipped: s.adversarial !== undefined,
    queries: s.queries,
    ...(s.adversarial ? { adversarial: s.adversarial, predicted: s.predicted } : {}),
  }));
}

function permutation(n: number, random: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
