/** `assess explain`: global and per-row explanations of a tabular ONNX classifier, and the flags they raise. */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { buildReport, type FileResult, type Report } from '../../contracts/index.js';
import { argmax, OnnxClassifier } from '../onnx-model.js';
import { ExplainError } from './errors.js';
import { suspiciousImportance } from './flags.js';
import { type Attribution, kernelShap, type ScoreFunction } from './kernel-shap.js';
import { permutationImportance, scoreAll } from './permutation.js';
import { sampleIndices, seededRandom } from './rng.js';
import { readTable, rowMajor, type Table } from './table.js';

export { ExplainError } from './errors.js';
export { flagThresholds, identifierReasons, suspiciousImportance } from './flags.js';
export { type Attribution, coalitions, kernelShap, type ScoreFunction } from './kernel-shap.js';
export { type PermutationImportance, permutationImportance } from './permutation.js';
export { type ExplainRuleId, explainRules } from './rules.js';
export { readTable, type Table } from './table.js';

const count = z.number().int().positive();
export const explainOptionsSchema = z.object({
  model: z.string().min(1),
  data: z.string().min(1),
  label: z.string().min(1).optional(),
  features: z.array(z.string().min(1)).min(1).optional(),
  repeats: count.max(100).default(5),
  seed: z.number().int().nonnegative().default(0),
  /** Row indices (0-based data rows) to explain one by one. */
  rows: z.array(z.number().int().nonnegative()).max(100).default([]),
  /** Background rows sampled from the data; 0 uses one row of column medians. */
  background: z.number().int().nonnegative().max(1000).default(0),
  nsamples: count.max(1_000_000).default(1024),
  /** Rows explained with KernelSHAP for the global mean |SHAP| and the concentration flag. */
  shapSample: count.max(10_000).default(100),
  dominance: z.number().gt(0).lt(1).default(0.5),
  maxRows: count.default(10_000),
  maxColumns: count.default(1000),
  version: z.string().default('0.0.0'),
  startedAt: z.date().optional(),
});
export type ExplainOptions = z.input<typeof explainOptionsSchema>;

export interface FeatureImportance {
  readonly feature: string;
  /** Permutation importance over the repeats. */
  readonly mean: number;
  readonly std: number;
  /** Share of the total global importance (permutation, or mean |SHAP| when permutation sees nothing). */
  readonly share: number;
  readonly meanAbsShap: number;
}

export interface RowExplanation extends Attribution {
  readonly row: number;
  readonly predicted: number;
  /** The explained row's feature values. */
  readonly x: readonly number[];
}

export interface Explanation {
  readonly features: readonly string[];
  readonly rows: number;
  readonly truncated: boolean;
  readonly metric: 'accuracy' | 'score-change';
  readonly accuracy?: number;
  readonly background: string;
  /** Sorted by share, largest first. */
  readonly importance: readonly FeatureImportance[];
  readonly explained: readonly RowExplanation[];
  readonly sampledRows: number;
}

function medians(table: Table): number[] {
  return table.columns.map((column) => {
    const sorted = Float64Array.from(column).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  });
}

const shares = (values: ArrayLike<number>): number[] => {
  const clipped = Array.from(values, (v) => Math.max(0, v));
  const total = clipped.reduce((a, b) => a + b, 0);
  return clipped.map((v) => (total > 0 ? v / total : 0));
};

async function loadModel(path: string): Promise<OnnxClassifier> {
  try {
    return await OnnxClassifier.load(path);
  } catch (error) {
    throw new ExplainError(
      'MODEL_UNREADABLE',
      `cannot load ${path} as an ONNX classifier: ${(error as Error).message}`,
    );
  }
}

async function fileResult(path: string, format: string, started: number, truncatedAt?: number): Promise<FileResult> {
  return {
    path,
    formats: [format],
    size: (await stat(path)).size,
    status: truncatedAt === undefined ? 'scanned' : 'partial',
    errors:
      truncatedAt === undefined ? [] : [{ code: 'ROW_LIMIT', message: `read the first ${truncatedAt} rows only` }],
    members: 0,
    durationMs: Date.now() - started,
  };
}

/** Runs the explanation and builds the report; the explanation itself is what the table and HTML views draw. */
export async function explainModel(options: ExplainOptions): Promise<{ report: Report; explanation: Explanation }> {
  const parsed = explainOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new ExplainError(
      'BAD_OPTIONS',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const o = parsed.data;
  const startedAt = o.startedAt ?? new Date();
  const started = Date.now();
  const table = await readTable(o.data, { label: o.label, features: o.features }, o);
  const model = await loadModel(o.model);
  try {
    if (model.features !== table.features.length)
      throw new ExplainError(
        'COLUMNS_MISMATCH',
        `the model takes ${model.features} features, the data has ${table.features.length} feature columns ` +
          `(${table.features.join(', ')}); choose them with --features`,
      );
    const outOfRange = o.rows.filter((row) => row >= table.rows);
    if (outOfRange.length > 0)
      throw new ExplainError('BAD_OPTIONS', `rows ${outOfRange.join(', ')} are past the ${table.rows} rows read`);
    const score: ScoreFunction = (rows) => model.scores(rows);
    const m = table.features.length;
    const data = rowMajor(table);
    const predictions = (await scoreAll(score, data, m)).map(argmax);
    const classes = (await model.scores(data.subarray(0, m)))[0]!.length;
    const badLabel = table.labels?.findIndex((label) => label >= classes) ?? -1;
    if (badLabel >= 0)
      throw new ExplainError(
        'CSV_INVALID',
        `row ${badLabel + 1}: label ${table.labels![badLabel]} but the model has ${classes} classes`,
      );

    const permutation = await permutationImportance(score, data, m, table.labels, {
      repeats: o.repeats,
      random: seededRandom(o.seed),
    });
    const backgroundRows =
      o.background === 0
        ? [medians(table)]
        : sampleIndices(table.rows, o.background, seededRandom(o.seed + 1)).map((row) =>
            table.columns.map((column) => column[row]!),
          );
    const cache = new Map<number, RowExplanation>();
    const explain = async (row: number): Promise<RowExplanation> => {
      const cached = cache.get(row);
      if (cached) return cached;
      const x = table.columns.map((column) => column[row]!);
      // Each row's coalitions come from its own seed, so a row's values do not depend on which rows went before.
      const attribution = await kernelShap(score, x, backgroundRows, predictions[row]!, {
        nsamples: o.nsamples,
        random: seededRandom(o.seed * 7919 + row + 2),
      });
      const result = { ...attribution, row, predicted: predictions[row]!, x };
      cache.set(row, result);
      return result;
    };
    const sample = sampleIndices(table.rows, o.shapSample, seededRandom(o.seed + 3));
    const sampled: RowExplanation[] = [];
    for (const row of sample) sampled.push(await explain(row));
    const explained: RowExplanation[] = [];
    for (const row of o.rows) explained.push(await explain(row));
    const absolute = sampled.map((e) => Array.from(e.values, Math.abs));
    const meanAbsShap = table.features.map((_, j) => absolute.reduce((sum, row) => sum + row[j]!, 0) / absolute.length);
    const permutationShares = shares(permutation.mean);
    const share = permutationShares.some((s) => s > 0) ? permutationShares : shares(meanAbsShap);
    const importance = table.features
      .map((feature, j) => ({
        feature,
        mean: permutation.mean[j]!,
        std: permutation.std[j]!,
        share: share[j]!,
        meanAbsShap: meanAbsShap[j]!,
      }))
      .sort((a, b) => b.share - a.share || b.meanAbsShap - a.meanAbsShap);

    const findings = suspiciousImportance({
      path: o.data,
      features: table.features,
      columns: table.columns,
      shares: share,
      attributions: absolute,
      explainedValues: sampled.map((e) => e.x),
      dominance: o.dominance,
    });
    const report = buildReport({
      kind: 'assessment',
      version: o.version,
      startedAt: startedAt.toISOString(),
      targets: [o.model, o.data],
      files: [
        await fileResult(o.model, 'onnx', started),
        await fileResult(o.data, 'csv', started, table.truncated ? table.rows : undefined),
      ],
      findings,
    });
    report.metrics = {
      ...(permutation.accuracy === undefined ? {} : { accuracy: permutation.accuracy }),
      suspicious: new Set(findings.map((f) => f.location.column)).size,
      topFeatureShare: importance[0]?.share ?? 0,
      features: m,
      rows: table.rows,
      explainedRows: sampled.length,
    };
    const explanation: Explanation = {
      features: table.features,
      rows: table.rows,
      truncated: table.truncated,
      metric: permutation.metric,
      ...(permutation.accuracy === undefined ? {} : { accuracy: permutation.accuracy }),
      background: o.background === 0 ? 'column medians' : `${backgroundRows.length} sampled rows`,
      importance,
      explained,
      sampledRows: sampled.length,
    };
    return { report, explanation };
  } finally {
    await model.close();
  }
}

/** The explanation as an evidence report (kind `assessment`), with `accuracy`, `suspicious`, `topFeatureShare`. */
export async function assessExplain(options: ExplainOptions): Promise<Report> {
  return (await explainModel(options)).report;
}
