/**
 * The scipy reference for the two-sample statistics (testdata/drift-reference.json, written by
 * testdata/make-drift-reference.py) and the generator that rebuilds its large samples.
 */
import { readFileSync } from 'node:fs';

/** A sample the generator builds instead of storing it (see make-drift-reference.py). */
export type GeneratedSample =
  | { seed: number; n: number; kind: 'uniform'; shift: number; scale: number }
  | { seed: number; n: number; kind: 'integers'; modulus: number; shift: number };

interface Named {
  name: string;
}

export interface DriftReference {
  scipy: string;
  numpy: string;
  lcgCheck: number[];
  ks: (Named & { a: number[]; b: number[]; statistic: number; pvalue: number; method: string })[];
  ksGenerated: (Named & {
    a: GeneratedSample;
    b: GeneratedSample;
    statistic: number;
    pvalue: number;
    method: string;
  })[];
  /** [d, n, scipy.stats.kstwo.sf(d, n)] */
  kstwo: [number, number, number][];
  /** [n, d, scipy.special.smirnov(n, d)] */
  smirnov: [number, number, number][];
  /** [a, x, scipy.special.gammaincc(a, x)] */
  gammaincc: [number, number, number][];
  /** [x, df, scipy.stats.chi2.sf(x, df)] */
  chi2sf: [number, number, number][];
  chisquare: (Named & { observed: number[]; expected: number[] | null; statistic: number; pvalue: number })[];
  contingency: (Named & { a: number[]; b: number[]; statistic: number; pvalue: number; dof: number })[];
  ztest: { successes1: number; n1: number; successes2: number; n2: number; z: number; pvalue: number }[];
  psi: PsiCase[];
  psiGenerated: (PsiCase & { referenceSpec: GeneratedSample; currentSpec: GeneratedSample })[];
  jensenshannon: (Named & { p: number[]; q: number[]; base2: number; natural: number })[];
  wasserstein: (Named & {
    u: number[];
    v: number[];
    uWeights?: number[];
    vWeights?: number[];
    distance: number;
    referenceStd: number;
  })[];
  wassersteinGenerated: (Named & {
    uSpec: GeneratedSample;
    vSpec: GeneratedSample;
    distance: number;
    referenceStd: number;
  })[];
}

export interface PsiCase extends Named {
  bins: number;
  method: 'equal-width' | 'quantile';
  edges: number[];
  referenceCounts: number[];
  currentCounts: number[];
  psi: number;
  reference?: number[];
  current?: number[];
}

export const reference = JSON.parse(
  readFileSync(new URL('../testdata/drift-reference.json', import.meta.url), 'utf8'),
) as DriftReference;

/**
 * The sample a spec describes: the 32-bit LCG state ← (1664525 · state + 1013904223) mod 2³², each
 * value taken from the state after an update. Every step is exact in double precision, so Python
 * and TypeScript build the same numbers.
 */
export function generate(spec: GeneratedSample): Float64Array {
  const out = new Float64Array(spec.n);
  let state = spec.seed >>> 0;
  for (let i = 0; i < spec.n; i++) {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    out[i] =
      spec.kind === 'uniform' ? spec.shift + spec.scale * (state / 4294967296) : spec.shift + (state % spec.modulus);
  }
  return out;
}

/** |actual − expected|, and the same relative to |expected| (0 when both are 0). */
export function errors(actual: number, expected: number): { abs: number; rel: number } {
  const abs = Math.abs(actual - expected);
  if (abs === 0) return { abs: 0, rel: 0 };
  return { abs, rel: abs / Math.abs(expected) };
}

/** The worst absolute and relative errors over a table, with the rows they came from. */
export function worst<T>(rows: readonly T[], error: (row: T) => { abs: number; rel: number }) {
  let maxAbs = { value: 0, row: undefined as T | undefined };
  let maxRel = { value: 0, row: undefined as T | undefined };
  for (const row of rows) {
    const e = error(row);
    if (!(e.abs <= maxAbs.value)) maxAbs = { value: e.abs, row };
    if (!(e.rel <= maxRel.value)) maxRel = { value: e.rel, row };
  }
  return { maxAbs, maxRel };
}

/** Doubles below this are subnormal: there scipy and this code may differ in every digit. */
export const SMALLEST_NORMAL = 2 ** -1022;

/**
 * Whether `actual` agrees with scipy's `expected` within `abs` absolutely and, unless `expected` is
 * subnormal, within `rel` relatively: the second is what keeps tiny p-values honest.
 */
export function agrees(actual: number, expected: number, abs: number, rel: number): boolean {
  const e = errors(actual, expected);
  return e.abs <= abs && (Math.abs(expected) < SMALLEST_NORMAL ? actual < SMALLEST_NORMAL : e.rel <= rel);
}
