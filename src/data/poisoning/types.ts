/**
 * A dataset held in memory for the poisoning indicators: column names and rows of raw string values.
 * Rows may be shorter than `columns` (a missing trailing value is `undefined`).
 */
export interface RowTable {
  readonly columns: string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | undefined>>;
  /** True when `rows` is a sample of a larger file. */
  readonly sampled: boolean;
  /** Data rows in the file (all of them, not only those held). */
  readonly totalRows: number;
  /** The file's 0-based row number of each held row; absent when `rows[i]` is row `i`. */
  readonly rowNumbers?: ReadonlyArray<number>;
  /** What the collector had to leave out (columns past its limit, values cut short). */
  readonly notes?: ReadonlyArray<string>;
}

export type PoisoningIndicatorKind =
  | 'label-neighbour-disagreement'
  | 'conflicting-duplicates'
  | 'outlier'
  | 'trigger-token'
  | 'label-shift'
  | 'feature-shift';

export type PoisoningSeverity = 'low' | 'medium' | 'high';

export interface PoisoningIndicator {
  readonly indicator: PoisoningIndicatorKind;
  /** The file's 0-based data rows this indicator points at (empty for dataset-wide shifts). */
  readonly rows: number[];
  /** Strength of the evidence in 0..1 (shift indicators: the effect size, KS D or PSI, may exceed 1 for PSI). */
  readonly score: number;
  /** One sentence a reviewer can check against the file. */
  readonly detail: string;
  readonly severity: PoisoningSeverity;
  /** The column concerned, when there is one (feature shift, outlier, trigger text column). */
  readonly column?: string;
  /** Machine-readable facts (statistics, the token, the label) for policies, tests and finding properties. */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

/** Thresholds of the indicators; every default is documented where it is used. */
export interface PoisoningTuning {
  /** k of the neighbour check (default 10). */
  readonly neighbours?: number;
  /** Fraction of the k neighbours whose label must differ to flag a row (default 0.8). */
  readonly neighbourDisagreement?: number;
  /** Rows the brute-force neighbour search looks at; a seeded sample beyond it (default 10 000). */
  readonly neighbourMaxRows?: number;
  /** Estimated Jaccard similarity of word 3-shingles that makes two texts near-duplicates (default 0.7). */
  readonly nearDuplicateJaccard?: number;
  /**
   * Robust z-score (median/MAD) beyond which a row is an outlier (default 5): of the log Mahalanobis
   * distance with 2–64 numeric columns, else of the value in its column.
   */
  readonly outlierZ?: number;
  /** Rows a token or phrase must occur in before it is tested as a trigger (default 5). */
  readonly triggerMinSupport?: number;
  /** z-score of a token's co-occurrence with a label against the label's base rate (default 4). */
  readonly triggerZ?: number;
  /** Share of a token's rows that must carry the label (default 0.8). */
  readonly triggerPurity?: number;
  /** Share of those rows whose remaining words point to another label (default 0.5). */
  readonly triggerConflict?: number;
  /** Distinct 1–3-grams counted before rare ones are pruned (default 2 000 000). */
  readonly triggerMaxGrams?: number;
  /** Significance level of the shift tests (default 0.001). */
  readonly shiftAlpha?: number;
  /** Smallest KS D that counts as a numeric shift (default 0.1). */
  readonly shiftMinKs?: number;
  /** Smallest PSI that counts as a categorical feature shift (default 0.1). */
  readonly shiftMinPsi?: number;
  /** Smallest PSI that counts as a label shift (default 0.01). */
  readonly labelShiftMinPsi?: number;
  /** Indicators of one kind listed before the rest are only counted in a note (default 500). */
  readonly maxPerIndicator?: number;
}
