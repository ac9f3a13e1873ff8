import { stat } from 'node:fs/promises';
import { buildReport, type FileResult, type Finding, type Report } from '../../contracts/index.js';
import { toolVersion } from '../../version.js';
import { type DataSource, readLabelled } from './dataset.js';
import { type EndpointOptions, endpointTarget } from './endpoint.js';
import { RobustnessError } from './errors.js';
import { sampleIndices } from './rng.js';
import { robustnessFinding } from './rules.js';
import { attackNames, evasionAttacks, runSuite } from './suite.js';
import { onnxTarget, type Target } from './target.js';

export interface RobustnessOptions {
  /** A local ONNX classifier; or `endpoint`. */
  readonly model?: string;
  /** A remote JSON REST model server instead of a local model. */
  readonly endpoint?: EndpointOptions;
  readonly data: DataSource;
  /** Budgets as fractions of the feature range (default 0.05, 0.1, 0.2, 0.3). */
  readonly epsilons?: readonly number[];
  /** The budget robust accuracy is reported at (default 0.1, or the middle budget). */
  readonly headlineEpsilon?: number;
  /** Rows attacked, sampled with the seed (default 100). */
  readonly samples?: number;
  /** Queries one attack may spend on one sample (default 1000). */
  readonly maxQueries?: number;
  readonly seed?: number;
  /** Valid feature range; default the range observed in the data. */
  readonly clip?: readonly [number, number];
  readonly minRobustAccuracy?: number;
  readonly minCleanAccuracy?: number;
  readonly maxNoiseDrop?: number;
}

export const robustnessDefaults = {
  epsilons: [0.05, 0.1, 0.2, 0.3],
  samples: 100,
  maxQueries: 1000,
  seed: 1,
  minRobustAccuracy: 0.5,
  minCleanAccuracy: 0.8,
  maxNoiseDrop: 0.1,
} as const;

async function openTarget(options: RobustnessOptions): Promise<Target> {
  if (options.endpoint) return endpointTarget(options.endpoint);
  if (!options.model) throw new RobustnessError('MISMATCH', 'give a model file or an endpoint');
  // onnxruntime is loaded only when a local model is assessed.
  const { OnnxClassifier } = await import('../onnx-model.js');
  try {
    return onnxTarget(await OnnxClassifier.load(options.model));
  } catch (error) {
    throw new RobustnessError(
      'MODEL_ERROR',
      `${options.model}: cannot load as an ONNX classifier: ${(error as Error).message}`,
    );
  }
}

const fileResult = async (path: string, format: string, durationMs: number): Promise<FileResult> => ({
  path,
  formats: [format],
  size: (await stat(path)).size,
  status: 'scanned',
  errors: [],
  members: 0,
  durationMs,
});

const round = (value: number) => Math.round(value * 1e6) / 1e6;
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/**
 * Measures how a classifier holds up under random noise and black-box evasion attacks on labelled
 * data, and reports it as an assessment: metrics (accuracy per attack and budget, queries) and findings.
 */
export async function assessRobustness(options: RobustnessOptions): Promise<Report> {
  const startedAt = new Date().toISOString();
  const began = performance.now();
  const epsilons = [...new Set([...(options.epsilons ?? robustnessDefaults.epsilons)])].sort((a, b) => a - b);
  if (epsilons.length === 0 || epsilons.some((e) => !(e > 0 && e <= 1))) {
    throw new RobustnessError('MISMATCH', 'epsilons must be fractions of the feature range in (0, 1]');
  }
  const headline =
    options.headlineEpsilon ?? (epsilons.includes(0.1) ? 0.1 : epsilons[Math.floor((epsilons.length - 1) / 2)]!);
  if (!epsilons.includes(headline))
    throw new RobustnessError('MISMATCH', `the headline budget ${headline} is not one of the epsilons`);
  const data = await readLabelled(options.data);
  const target = await openTarget(options);
  try {
    if (target.features !== undefined && target.features !== data.features) {
      throw new RobustnessError(
        'MISMATCH',
        `the model takes ${target.features} features, the data has ${data.features}`,
      );
    }
    let [lo, hi] = options.clip ?? [Infinity, -Infinity];
    if (!options.clip) for (const v of data.x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    if (!(hi > lo)) throw new RobustnessError('MISMATCH', `the feature range [${lo}, ${hi}] is empty`);
    const seed = options.seed ?? robustnessDefaults.seed;
    const rows = sampleIndices(data.rows, options.samples ?? robustnessDefaults.samples, seed);
    const samples = rows.map((r) =>
      data.x.slice(r * data.features, (r + 1) * data.features).map((v) => Math.min(hi, Math.max(lo, v))),
    );
    const labels = rows.map((r) => data.y[r]!);
    const maxQueries = options.maxQueries ?? robustnessDefaults.maxQueries;
    const range = hi - lo;
    const ctx = { target, width: data.features, lo, hi, seed, maxQueries };
    let result: Awaited<ReturnType<typeof runSuite>>;
    try {
      result = await runSuite(
        ctx,
        samples,
        labels,
        rows,
        epsilons.map((e) => e * range),
      );
    } catch (error) {
      if (error instanceof RobustnessError) throw error;
      throw new RobustnessError('MODEL_ERROR', `running the model failed: ${(error as Error).message}`);
    }
    const h = epsilons.indexOf(headline);
    const robustAccuracy = Math.min(...evasionAttacks.map((name) => result.accuracy[name][h]!));
    const metrics: Record<string, number> = {
      cleanAccuracy: result.cleanAccuracy,
      robustAccuracy,
      headlineEpsilon: headline,
      samples: samples.length,
      features: data.features,
      rangeMin: lo,
      rangeMax: hi,
      maxQueries,
      seed,
      queriesTotal: target.queries,
    };
    for (const [k, e] of epsilons.entries()) metrics[`epsilon${k + 1}`] = e;
    for (const name of attackNames)
      for (const [k, a] of result.accuracy[name].entries()) metrics[`${name}Accuracy${k + 1}`] = a;
    for (const [name, value] of Object.entries(result.medianFlip)) metrics[`${name}MedianPerturbation`] = value;
    if (result.boundaryMedianLinf !== undefined) metrics.boundaryL2MedianLinf = result.boundaryMedianLinf;
    for (const [name, q] of Object.entries(result.queries)) {
      metrics[`${name}Queries`] = q.total;
      metrics[`${name}QueriesPerSample`] = q.perSampleMean;
      metrics[`${name}QueriesMaxPerSample`] = q.perSampleMax;
    }
    for (const key of Object.keys(metrics)) metrics[key] = round(metrics[key]!);

    const where = options.model ?? options.endpoint!.url;
    const findings: Finding[] = [];
    const minClean = options.minCleanAccuracy ?? robustnessDefaults.minCleanAccuracy;
    if (result.cleanAccuracy < minClean) {
      findings.push(
        robustnessFinding(
          'robustness.low-clean-accuracy',
          where,
          `clean accuracy ${pct(result.cleanAccuracy)} on ${samples.length} samples, below ${pct(minClean)}`,
          { cleanAccuracy: metrics.cleanAccuracy!, threshold: minClean },
        ),
      );
    }
    const noiseDrop = result.cleanAccuracy - Math.min(result.accuracy.noiseLinf[0]!, result.accuracy.noiseL2[0]!);
    const maxDrop = options.maxNoiseDrop ?? robustnessDefaults.maxNoiseDrop;
    if (noiseDrop > maxDrop) {
      findings.push(
        robustnessFinding(
          'robustness.noise-sensitive',
          where,
          `random noise of ${epsilons[0]} of the feature range lowers accuracy from ${pct(result.cleanAccuracy)} to ${pct(result.cleanAccuracy - noiseDrop)} (more than ${pct(maxDrop)})`,
          { epsilon: epsilons[0]!, drop: round(noiseDrop), threshold: maxDrop },
        ),
      );
    }
    const minRobust = options.minRobustAccuracy ?? robustnessDefaults.minRobustAccuracy;
    if (robustAccuracy < minRobust) {
      const weakest = evasionAttacks.find((name) => result.accuracy[name][h] === robustAccuracy)!;
      findings.push(
        robustnessFinding(
          'robustness.low-robust-accuracy',
          where,
          `robust accuracy ${pct(robustAccuracy)} (${weakest}) at ε = ${headline} of the feature range (L∞ ${round(headline * range)}, L2 ${round(headline * range * Math.sqrt(data.features))}), clean ${pct(result.cleanAccuracy)}, below ${pct(minRobust)}`,
          { robustAccuracy: metrics.robustAccuracy!, attack: weakest, epsilon: headline, threshold: minRobust },
        ),
      );
    }
    for (const e of result.examples) {
      findings.push(
        robustnessFinding(
          'robustness.adversarial-example',
          options.data.path,
          `${e.attack}: row ${e.row} (label ${e.label}) predicted ${e.before}, after a perturbation of L2 ${round(e.l2)} / L∞ ${round(e.linf)} predicted ${e.after}`,
          {
            attack: e.attack,
            label: e.label,
            before: e.before,
            after: e.after,
            l2: round(e.l2),
            linf: round(e.linf),
            ...(e.input.length <= 256
              ? { input: JSON.stringify(Array.from(e.input, (v) => Math.round(v * 1000) / 1000)) }
              : {}),
          },
          e.row,
        ),
      );
    }
    const durationMs = performance.now() - began;
    const files = [
      ...(options.model ? [await fileResult(options.model, 'onnx', durationMs)] : []),
      await fileResult(options.data.path, options.data.path.toLowerCase().endsWith('.npy') ? 'npy' : 'csv', 0),
    ];
    const report = buildReport({
      kind: 'assessment',
      version: toolVersion,
      startedAt,
      targets: [where, options.data.path],
      files,
      findings,
    });
    return { ...report, metrics };
  } finally {
    await target.close();
  }
}
