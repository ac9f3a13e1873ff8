import { type Rng, rngFor } from '../rng.js';
import { type AttackContext, argmax, clip, l2, type SampleOutcome, scoresOf } from './common.js';

/** A sample the decision-based attack found a flip for: the smallest L2 perturbation it reached. */
export interface BoundaryOutcome extends SampleOutcome {
  readonly distance?: number;
}

const blend = (x: Float32Array, to: Float32Array, t: number) => x.map((v, i) => v + t * (to[i]! - v));

/**
 * Decision-based black-box evasion (HopSkipJump, L2): it sees only the predicted class. Start from
 * the nearest other sample the model already labels differently (or random noise), binary-search to
 * the decision boundary, then repeat: estimate the boundary's normal from the labels of random probes
 * around the boundary point, step along it, and binary-search back toward the original. The distance
 * left is how far the original is from a flip, at most.
 */
export async function boundaryAttack(
  ctx: AttackContext,
  samples: readonly Float32Array[],
  labels: readonly number[],
  predictions: readonly number[],
  stream: number,
  active: readonly boolean[],
): Promise<BoundaryOutcome[]> {
  const outcomes: BoundaryOutcome[] = samples.map(() => ({ flipped: false, queries: 0 }));
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const index = next++;
      if (!active[index]) continue;
      outcomes[index] = await attackOne(ctx, samples, labels, predictions, index, rngFor(ctx.seed, stream, index));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.target.parallelism) }, worker));
  return outcomes;
}

async function attackOne(
  ctx: AttackContext,
  samples: readonly Float32Array[],
  labels: readonly number[],
  predictions: readonly number[],
  index: number,
  random: Rng,
): Promise<BoundaryOutcome> {
  const x = samples[index]!;
  const label = labels[index]!;
  const d = ctx.width;
  let queries = 0;
  const classify = async (rows: Float32Array[]) => {
    queries += rows.length;
    return (await scoresOf(ctx, rows)).map(argmax);
  };
  const left = () => ctx.maxQueries - queries;

  // A starting point on the other side: the nearest sample already predicted as another class.
  let start: Float32Array | undefined;
  let predicted = label;
  let startDistance = Infinity;
  for (const [j, other] of samples.entries()) {
    if (predictions[j] === label) continue;
    const distance = l2(x, other);
    if (distance < startDistance) [start, startDistance, predicted] = [other, distance, predictions[j]!];
  }
  for (let tries = 0; !start && tries < 10 && left() > 0; tries++) {
    const noise = x.map(() => ctx.lo + random.next() * (ctx.hi - ctx.lo));
    const [found] = await classify([noise]);
    if (found !== label) [start, predicted] = [noise, found!];
  }
  if (!start) return { flipped: false, queries };

  // Binary search between the original (not adversarial) and a point that is.
  // Every point kept is one the model was seen to label otherwise, with that label.
  const toBoundary = async (adversarial: Float32Array, adversarialClass: number) => {
    let [low, high, found] = [0, 1, adversarialClass];
    while (high - low > 1e-3 && left() > 0) {
      const mid = (low + high) / 2;
      const [at] = await classify([blend(x, adversarial, mid)]);
      if (at !== label) [high, found] = [mid, at!];
      else low = mid;
    }
    return { point: blend(x, adversarial, high), found };
  };
  let { point: best, found: bestClass } = await toBoundary(start, predicted);
  let distance = l2(x, best);
  for (let iteration = 1; left() > 40; iteration++) {
    const probes = Math.min(Math.round(20 * Math.sqrt(iteration)), 100, left() - 30);
    const delta = Math.max(distance / d, 1e-6);
    const directions = Array.from({ length: probes }, () => {
      const u = Float32Array.from({ length: d }, () => random.normal());
      const norm = Math.sqrt(u.reduce((sum, v) => sum + v * v, 0)) || 1;
      return u.map((v) => v / norm);
    });
    const signs = (
      await classify(directions.map((u) => best.map((v, i) => clip(v + delta * u[i]!, ctx.lo, ctx.hi))))
    ).map((p) => (p !== label ? 1 : -1));
    const mean = signs.reduce((a: number, b) => a + b, 0) / signs.length;
    const gradient = new Float32Array(d);
    for (const [k, u] of directions.entries()) {
      const weight = Math.abs(mean) === 1 ? signs[k]! : signs[k]! - mean;
      for (let i = 0; i < d; i++) gradient[i] = gradient[i]! + weight * u[i]!;
    }
    const gradientNorm = Math.sqrt(gradient.reduce((sum, v) => sum + v * v, 0));
    if (gradientNorm === 0) continue;
    let step = distance / Math.sqrt(iteration);
    let candidate: { point: Float32Array; found: number } | undefined;
    for (let tries = 0; tries < 10 && left() > 12; tries++, step /= 2) {
      const moved = best.map((v, i) => clip(v + (step * gradient[i]!) / gradientNorm, ctx.lo, ctx.hi));
      const [at] = await classify([moved]);
      if (at !== label) {
        candidate = { point: moved, found: at! };
        break;
      }
    }
    if (!candidate) continue;
    const projected = await toBoundary(candidate.point, candidate.found);
    const projectedDistance = l2(x, projected.point);
    if (projectedDistance < distance)
      [best, distance, bestClass] = [projected.point, projectedDistance, projected.found];
  }
  return { flipped: true, adversarial: best, predicted: bestClass, distance, queries };
}
