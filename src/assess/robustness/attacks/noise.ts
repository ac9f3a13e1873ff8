import { rngFor } from '../rng.js';
import { type AttackContext, clip, predictionsOf } from './common.js';

/**
 * Accuracy under random noise (a baseline, not an attack): uniform in the L∞ ball of `radius`, or
 * Gaussian with standard deviation `radius / √d` per feature (expected L2 norm `radius`). One draw per sample.
 */
export async function noiseAccuracy(
  ctx: AttackContext,
  samples: readonly Float32Array[],
  labels: readonly number[],
  kind: 'linf' | 'l2',
  radius: number,
  stream: number,
): Promise<number> {
  const sigma = radius / Math.sqrt(ctx.width);
  const noisy = samples.map((x, s) => {
    const random = rngFor(ctx.seed, stream, s);
    return x.map((v) =>
      clip(v + (kind === 'linf' ? (2 * random.next() - 1) * radius : random.normal() * sigma), ctx.lo, ctx.hi),
    );
  });
  const predicted = await predictionsOf(ctx, noisy);
  return predicted.filter((p, i) => p === labels[i]).length / Math.max(1, samples.length);
}
