import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { DriftReport } from '../contracts/index.js';
import type { JointMoments } from './profile-schema.js';

/**
 * Multivariate drift by PCA reconstruction error, from profiles alone. The reference's numeric
 * columns are standardised with its means and standard deviations; PCA of that correlation matrix
 * keeps the fewest components explaining `explained` (95%) of the variance. The reconstruction error
 * of a row is its squared distance to that subspace. Its mean over the reference is the sum of the
 * dropped eigenvalues; over the current data it is tr(P⊥ E[zzᵀ]) with z standardised by the
 * reference, which the current profile's means and co-moments give exactly. Drift shows as a higher
 * mean error: relations between columns that changed even where each column alone did not.
 *
 * Verdict: drift when current / reference error ≥ 1 + max(`threshold`, 3σ), σ being the relative
 * standard error of a mean of n errors if the dropped components were Gaussian (√(2Σλ²/n) / Σλ),
 * so small windows do not raise alarms on noise.
 */
export type MultivariateDrift = NonNullable<DriftReport['multivariate']>;

export function pcaReconstructionDrift(
  reference: JointMoments | undefined,
  current: JointMoments | undefined,
  options: { explained?: number; threshold?: number } = {},
): MultivariateDrift | undefined {
  if (!reference || !current || reference.count < 3 || current.count < 1) return undefined;
  // Columns both sides have, and that vary in the reference (a constant column has no direction).
  const columns = reference.columns.filter(
    (column, i) => current.columns.includes(column) && reference.comoment[i]![i]! > 0,
  );
  const d = columns.length;
  if (d < 2) return undefined;
  const r = columns.map((column) => reference.columns.indexOf(column));
  const c = columns.map((column) => current.columns.indexOf(column));
  const std = r.map((i) => Math.sqrt(reference.comoment[i]![i]! / reference.count));
  const correlation = new Matrix(
    r.map((i, a) => r.map((j, b) => reference.comoment[i]![j]! / reference.count / (std[a]! * std[b]!))),
  );
  const eigen = new EigenvalueDecomposition(correlation, { assumeSymmetric: true });
  const order = eigen.realEigenvalues.map((value, i) => [Math.max(0, value), i] as const).sort((a, b) => b[0] - a[0]);
  const total = order.reduce((sum, [value]) => sum + value, 0);
  const wanted = options.explained ?? 0.95;
  let kept = 0;
  let covered = 0;
  while (kept < d - 1 && covered < wanted * total) covered += order[kept++]![0];
  const dropped = order.slice(kept);
  const referenceError = dropped.reduce((sum, [value]) => sum + value, 0);
  // E[zzᵀ] for the current rows standardised by the reference: covariance plus the shifted mean.
  const shift = c.map((i, a) => (current.mean[i]! - reference.mean[r[a]!]!) / std[a]!);
  const second = new Matrix(
    c.map((i, a) =>
      c.map((j, b) => current.comoment[i]![j]! / current.count / (std[a]! * std[b]!) + shift[a]! * shift[b]!),
    ),
  );
  const vectors = eigen.eigenvectorMatrix;
  let currentError = 0;
  for (const [, index] of dropped) {
    const v = vectors.getColumnVector(index);
    currentError += v.transpose().mmul(second).mmul(v).get(0, 0);
  }
  const noise =
    referenceError > 0
      ? Math.sqrt((2 * dropped.reduce((sum, [value]) => sum + value * value, 0)) / current.count) / referenceError
      : 0;
  const limit = 1 + Math.max(options.threshold ?? 0.1, 3 * noise);
  const ratio =
    referenceError > 0 ? currentError / referenceError : currentError > 1e-12 ? Number.POSITIVE_INFINITY : 1;
  return {
    method: 'pca-reconstruction',
    columns,
    components: kept,
    explained: total > 0 ? covered / total : 1,
    referenceError,
    currentError,
    ratio,
    limit,
    drifted: ratio >= limit,
    rows: { reference: reference.count, current: current.count },
  };
}
