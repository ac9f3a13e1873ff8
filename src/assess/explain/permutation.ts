import { argmax } from '../onnx-model.js';
import type { ScoreFunction } from './kernel-shap.js';
import { mean, shuffle, std } from './rng.js';

export interface PermutationOptions {
  readonly repeats: number;
  readonly random: () => number;
  readonly batchRows?: number;
}

export interface PermutationImportance {
  /** `accuracy`: drop in accuracy against the labels; `score-change`: mean |Δ| of the predicted class's score. */
  readonly metric: 'accuracy' | 'score-change';
  /** Accuracy of the unshuffled data (with labels). */
  readonly accuracy?: number;
  /** Per feature, over the repeats. */
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

export async function scoreAll(
  score: ScoreFunction,
  rows: Float32Array,
  features: number,
  batchRows = 8192,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const count = rows.length / features;
  for (let start = 0; start < count; start += batchRows) {
    const end = Math.min(count, start + batchRows);
    out.push(...(await score(rows.subarray(start * features, end * features))));
  }
  return out;
}

/**
 * Permutation feature importance (Breiman 2001; Fisher et al. 2019): each column in turn is shuffled
 * across rows, breaking its link to the label and the other columns, and the loss of accuracy — or,
 * without labels, the mean change of the originally predicted class's score — is its importance.
 */
export async function permutationImportance(
  score: ScoreFunction,
  rows: Float32Array,
  features: number,
  labels: Int32Array | undefined,
  options: PermutationOptions,
): Promise<PermutationImportance> {
  const count = rows.length / features;
  const baseline = await scoreAll(score, rows, features, options.batchRows);
  const predicted = baseline.map(argmax);
  const accuracyOf = (scores: readonly Float32Array[]) =>
    scores.reduce((hits, s, i) => hits + (argmax(s) === labels![i] ? 1 : 0), 0) / count;
  const accuracy = labels ? accuracyOf(baseline) : undefined;
  const means = new Float64Array(features);
  const stds = new Float64Array(features);
  const permuted = new Float32Array(rows.length);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let j = 0; j < features; j++) {
    const drops: number[] = [];
    for (let r = 0; r < options.repeats; r++) {
      permuted.set(rows);
      shuffle(order, options.random);
      for (let i = 0; i < count; i++) permuted[i * features + j] = rows[order[i]! * features + j]!;
      const scores = await scoreAll(score, permuted, features, options.batchRows);
      if (labels) drops.push(accuracy! - accuracyOf(scores));
      else
        drops.push(
          scores.reduce((sum, s, i) => sum + Math.abs((s[predicted[i]!] ?? 0) - baseline[i]![predicted[i]!]!), 0) /
            count,
        );
    }
    means[j] = mean(drops);
    stds[j] = std(drops);
  }
  return {
    metric: labels ? 'accuracy' : 'score-change',
    ...(accuracy === undefined ? {} : { accuracy }),
    mean: means,
    std: stds,
  };
}
