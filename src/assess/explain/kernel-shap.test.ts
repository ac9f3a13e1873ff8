import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxClassifier } from '../onnx-model.js';
import { coalitions, kernelShap, type ScoreFunction, solve } from './kernel-shap.js';
import { seededRandom } from './rng.js';

const testdata = join(import.meta.dirname, 'testdata');

/** A model in plain TypeScript: scores [g(x), 1 − g(x)] for each row of `m` numbers. */
const jsModel =
  (m: number, g: (x: Float32Array) => number): ScoreFunction =>
  async (rows) =>
    Array.from({ length: rows.length / m }, (_, i) => {
      const value = g(rows.subarray(i * m, (i + 1) * m));
      return Float32Array.of(value, 1 - value);
    });

const weights = [0.5, -1.25, 2, 0.75, -0.3, 1.1, 0.05, -0.9, 0.4, 1.6, -2.2, 0.3];
const linear = (x: Float32Array) => weights.reduce((sum, w, i) => sum + w * (x[i] ?? 0), 0.25);
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

describe('coalitions', () => {
  it('enumerates all 2^M − 2 with the Shapley kernel when they fit the budget', () => {
    const { masks, weights: w, exact } = coalitions(4, 100, seededRandom(1));
    expect(exact).toBe(true);
    expect(masks).toHaveLength(14);
    // size 1 of 4: (M − 1) / (C(4,1)·1·3) = 0.25; size 2: 3 / (6·2·2) = 0.125
    expect(w[masks.findIndex((mask) => mask.join('') === '1000')]).toBeCloseTo(0.25);
    expect(w[masks.findIndex((mask) => mask.join('') === '1100')]).toBeCloseTo(0.125);
  });

  it('samples complementary pairs within the budget otherwise', () => {
    const { masks, exact } = coalitions(12, 200, seededRandom(1));
    expect(exact).toBe(false);
    expect(masks).toHaveLength(200);
    for (let k = 0; k < masks.length; k += 2) {
      const size = sum(masks[k]!);
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThan(12);
      expect(masks[k]!.every((bit, i) => bit + masks[k + 1]![i]! === 1)).toBe(true);
    }
  });
});

describe('solve', () => {
  it('solves a small system with pivoting', () => {
    const x = solve(Float64Array.of(0, 2, 1, 1, 1, 1, 2, 1, 0), Float64Array.of(5, 4, 4), 3);
    expect(Array.from(x).map((v) => Number(v.toFixed(9)))).toEqual([1, 2, 1]);
  });
});

describe('kernelShap', () => {
  const background = Array.from({ length: 8 }, (_, r) => weights.map((_, j) => Math.sin(r * 3 + j)));
  const bgMean = weights.map((_, j) => background.reduce((s, row) => s + row[j]!, 0) / background.length);
  const x = weights.map((_, j) => Math.cos(j) * 2);

  it.each([
    ['exact enumeration', 8, 4096],
    ['sampled coalitions', 12, 512],
  ])('matches linear SHAP w_i·(x_i − E[x_i]) (%s)', async (_name, m, nsamples) => {
    const model = jsModel(m, (row) => linear(row));
    const result = await kernelShap(
      model,
      x.slice(0, m),
      background.map((row) => row.slice(0, m)),
      0,
      {
        nsamples,
        random: seededRandom(7),
      },
    );
    for (let j = 0; j < m; j++) expect(result.values[j]).toBeCloseTo(weights[j]! * (x[j]! - bgMean[j]!), 4);
  });

  it('satisfies efficiency: Σ φ = f(x) − E[f(background)] on a non-linear model', async () => {
    const model = jsModel(6, (row) => 1 / (1 + Math.exp(-(row[0]! * row[1]! + Math.max(0, row[2]!) - row[3]! ** 2))));
    const bg = background.map((row) => row.slice(0, 6));
    const result = await kernelShap(model, x.slice(0, 6), bg, 0, { nsamples: 40, random: seededRandom(3) });
    const scores = await model(Float32Array.from(bg.flat()));
    const expected = scores.reduce((s, v) => s + v[0]!, 0) / scores.length;
    expect(result.base).toBeCloseTo(expected, 6);
    expect(sum(result.values)).toBeCloseTo(result.fx - expected, 6);
  });

  it('gives the exact Shapley values of an interaction when every coalition is evaluated', async () => {
    // f = x0·x1 with background 0: the interaction splits evenly.
    const model = jsModel(3, (row) => row[0]! * row[1]!);
    const result = await kernelShap(model, [2, 3, 5], [[0, 0, 0]], 0, { nsamples: 10, random: seededRandom(1) });
    expect(result.exact).toBe(true);
    expect(Array.from(result.values).map((v) => Number(v.toFixed(6)))).toEqual([3, 3, 0]);
  });

  it('is deterministic for a seed', async () => {
    const model = jsModel(12, (row) => Math.tanh(linear(row)));
    const run = (seed: number) =>
      kernelShap(model, x, background, 0, { nsamples: 300, random: seededRandom(seed) }).then((r) =>
        Array.from(r.values),
      );
    expect(await run(11)).toEqual(await run(11));
    expect(await run(11)).not.toEqual(await run(12));
  });

  it('matches linear SHAP on an ONNX linear model (raw logits)', async () => {
    const model = await OnnxClassifier.load(join(testdata, 'linear.onnx'));
    try {
      // linear.onnx: logits = x·Wᵀ + b, W as in make-explain-models.py
      const w = [
        [0.5, -1.0, 2.0, 0.25],
        [-0.5, 1.5, -1.0, 0.75],
      ];
      const bg = [
        [0, 1, -1, 2],
        [1, -1, 0.5, 3],
        [-2, 0, 0, 1],
      ];
      const mean = [0, 1, 2, 3].map((j) => (bg[0]![j]! + bg[1]![j]! + bg[2]![j]!) / 3);
      const x = [1.5, -2, 0.25, 4];
      for (const cls of [0, 1]) {
        const result = await kernelShap((rows) => model.scores(rows), x, bg, cls, {
          nsamples: 100,
          random: seededRandom(1),
        });
        for (let j = 0; j < 4; j++) expect(result.values[j]).toBeCloseTo(w[cls]![j]! * (x[j]! - mean[j]!), 4);
        expect(sum(result.values)).toBeCloseTo(result.fx - result.base, 5);
      }
    } finally {
      await model.close();
    }
  });
});
