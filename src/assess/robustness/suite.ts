import { boundaryAttack } from './attacks/boundary.js';
import { type AttackContext, argmax, l2, linf, median, scoresOf } from './attacks/common.js';
import { noiseAccuracy } from './attacks/noise.js';
import { scoreAttack } from './attacks/score.js';

/** The attacks, by the camelCase key their metrics carry. */
export const attackNames = ['noiseLinf', 'noiseL2', 'squareLinf', 'simbaL2', 'boundaryL2'] as const;
export type AttackName = (typeof attackNames)[number];
/** The evasion attacks robust accuracy is the minimum of (noise is a baseline). */
export const evasionAttacks = ['squareLinf', 'simbaL2', 'boundaryL2'] as const satisfies readonly AttackName[];

export interface AdversarialExample {
  readonly attack: AttackName;
  /** Row of the labelled data (0-based, header excluded). */
  readonly row: number;
  readonly label: number;
  readonly before: number;
  readonly after: number;
  readonly l2: number;
  readonly linf: number;
  readonly input: Float32Array;
}

export interface SuiteResult {
  readonly cleanAccuracy: number;
  /** Per attack, accuracy at each budget (same order as the epsilons). */
  readonly accuracy: Record<AttackName, number[]>;
  /** Per attack, the median perturbation that flipped a prediction (L∞ or L2 in feature units). */
  readonly medianFlip: Partial<Record<AttackName, number>>;
  readonly boundaryMedianLinf?: number;
  /** Per evasion attack: total queries and the most one sample used in one run. */
  readonly queries: Record<
    (typeof evasionAttacks)[number],
    { total: number; perSampleMean: number; perSampleMax: number }
  >;
  readonly examples: AdversarialExample[];
}

/**
 * Runs every attack at every budget on the sampled rows. `radii` are the L∞ radii; the L2 radius of a
 * budget is its L∞ radius times √d (the norm of the L∞ ball's corner). Samples flipped at a budget
 * are flipped at every larger one, so larger budgets only attack the survivors.
 */
export async function runSuite(
  ctx: AttackContext,
  samples: readonly Float32Array[],
  labels: readonly number[],
  rows: readonly number[],
  radii: readonly number[],
): Promise<SuiteResult> {
  const n = samples.length;
  const predictions = (await scoresOf(ctx, samples)).map(argmax);
  const correct = predictions.map((p, i) => p === labels[i]);
  const correctCount = correct.filter(Boolean).length;
  const root = Math.sqrt(ctx.width);
  const accuracy = Object.fromEntries(attackNames.map((name) => [name, [] as number[]])) as Record<
    AttackName,
    number[]
  >;
  const queries = {
    squareLinf: { total: 0, perSampleMean: 0, perSampleMax: 0 },
    simbaL2: { total: 0, perSampleMean: 0, perSampleMax: 0 },
    boundaryL2: { total: 0, perSampleMean: 0, perSampleMax: 0 },
  };
  const examples: AdversarialExample[] = [];
  const example = (attack: AttackName, i: number, adversarial: Float32Array, after: number) =>
    examples.push({
      attack,
      row: rows[i]!,
      label: labels[i]!,
      before: predictions[i]!,
      after,
      l2: l2(samples[i]!, adversarial),
      linf: linf(samples[i]!, adversarial),
      input: adversarial,
    });
  const medianFlip: Partial<Record<AttackName, number>> = {};
  for (const [stream, kind] of [
    [10, 'linf'],
    [20, 'l2'],
  ] as const) {
    const name = kind === 'linf' ? 'squareLinf' : 'simbaL2';
    const flippedAt: (number | undefined)[] = samples.map(() => undefined);
    let runs = 0;
    for (const [k, radius] of radii.entries()) {
      const budget = kind === 'linf' ? radius : radius * root;
      accuracy[kind === 'linf' ? 'noiseLinf' : 'noiseL2'].push(
        await noiseAccuracy(ctx, samples, labels, kind, budget, stream + 100 + k),
      );
      const active = correct.map((c, i) => c && flippedAt[i] === undefined);
      const outcomes = await scoreAttack(ctx, samples, labels, kind, budget, stream + k, active);
      for (const [i, outcome] of outcomes.entries()) {
        if (!active[i]) continue;
        runs++;
        queries[name].total += outcome.queries;
        queries[name].perSampleMax = Math.max(queries[name].perSampleMax, outcome.queries);
        if (outcome.flipped && outcome.adversarial) {
          flippedAt[i] = budget;
          if (examples.filter((e) => e.attack === name).length < 3)
            example(name, i, outcome.adversarial, outcome.predicted!);
        }
      }
      accuracy[name].push((correctCount - flippedAt.filter((f) => f !== undefined).length) / n);
    }
    queries[name].perSampleMean = runs ? queries[name].total / runs : 0;
    const flips = flippedAt.filter((f): f is number => f !== undefined);
    if (flips.length) medianFlip[name] = median(flips);
  }
  const boundary = await boundaryAttack(ctx, samples, labels, predictions, 30, correct);
  const distances: number[] = [];
  const linfs: number[] = [];
  for (const [i, outcome] of boundary.entries()) {
    if (!correct[i]) continue;
    queries.boundaryL2.total += outcome.queries;
    queries.boundaryL2.perSampleMax = Math.max(queries.boundaryL2.perSampleMax, outcome.queries);
    if (outcome.flipped && outcome.adversarial && outcome.distance !== undefined) {
      distances.push(outcome.distance);
      linfs.push(linf(samples[i]!, outcome.adversarial));
    }
  }
  queries.boundaryL2.perSampleMean = correctCount ? queries.boundaryL2.total / correctCount : 0;
  const smallest = boundary
    .map((outcome, i) => ({ outcome, i }))
    .filter(({ outcome, i }) => correct[i] && outcome.flipped)
    .sort((a, b) => a.outcome.distance! - b.outcome.distance! || a.i - b.i)
    .slice(0, 3);
  for (const { outcome, i } of smallest) example('boundaryL2', i, outcome.adversarial!, outcome.predicted!);
  for (const radius of radii) {
    const budget = radius * root;
    const robust = boundary.filter((o, i) => correct[i] && !(o.flipped && o.distance! <= budget)).length;
    accuracy.boundaryL2.push(robust / n);
  }
  const boundaryMedian = median(distances);
  if (boundaryMedian !== undefined) medianFlip.boundaryL2 = boundaryMedian;
  const boundaryMedianLinf = median(linfs);
  return {
    cleanAccuracy: correctCount / n,
    accuracy,
    medianFlip,
    ...(boundaryMedianLinf === undefined ? {} : { boundaryMedianLinf }),
    queries,
    examples,
  };
}
