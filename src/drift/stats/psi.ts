/**
 * The Population Stability Index between a reference and a current distribution over the same bins:
 *   PSI = Σ_i (c_i − r_i) · ln(c_i / r_i)
 * with r_i and c_i the shares of the reference and of the current sample in bin i. It is the
 * symmetrised Kullback–Leibler divergence, >= 0, 0 for identical shares; a common reading is < 0.1
 * stable, 0.1–0.25 a moderate shift, > 0.25 a major one.
 *
 * An empty bin would make a term infinite, so a share of exactly 0 is replaced by PSI_EPSILON
 * (0.0001) before the sum; the other shares are left as they are (not renormalised). A bin empty in
 * both samples then contributes 0.
 */
import { binCounts, checkedEdges } from './bin-edges.js';
import { nonNegativeVector, sameLength } from './input.js';

/** The share that stands in for an empty bin. */
export const PSI_EPSILON = 1e-4;

/**
 * PSI from the two samples' counts (or weights, or shares) per bin, each normalised by its total.
 * @throws RangeError for vectors of different lengths, negative or non-finite counts, or a zero total.
 */
export function psi(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): number {
  sameLength(referenceCounts, currentCounts, 'psi', 'reference and current counts');
  const reference = nonNegativeVector(referenceCounts, 'psi', 'reference counts');
  const current = nonNegativeVector(currentCounts, 'psi', 'current counts');
  let sum = 0;
  for (let i = 0; i < reference.values.length; i++) {
    const r = share(reference.values[i]!, reference.total);
    const c = share(current.values[i]!, current.total);
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

function share(count: number, total: number): number {
  const value = count / total;
  return value === 0 ? PSI_EPSILON : value;
}

export interface PsiOfSamplesResult {
  psi: number;
  referenceCounts: Float64Array;
  currentCounts: Float64Array;
}

/**
 * PSI of two samples binned over `edges` (bin-edges.ts: equalWidthEdges or quantileEdges of the
 * reference, usually), the outer bins open-ended. Returns the counts too, for reporting.
 * @throws RangeError for empty samples, non-finite values or edges, or fewer than two edges.
 */
export function psiOfSamples(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  edges: ArrayLike<number>,
): PsiOfSamplesResult {
  const e = checkedEdges(edges, 'psiOfSamples');
  const referenceCounts = binCounts(reference, e);
  const currentCounts = binCounts(current, e);
  return { psi: psi(referenceCounts, currentCounts), referenceCounts, currentCounts };
}
