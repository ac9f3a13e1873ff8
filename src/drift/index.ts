/** The drift engine: statistical tests of whether data still looks like a reference. */

export type { TestChoice } from './compare.js';
export { compareColumn, DEFAULT_THRESHOLDS, defaultTest, SMALL_REFERENCE } from './compare.js';
export type { DriftOptions } from './drift-report.js';
export { driftReport, formatNumber } from './drift-report.js';
export type { ColumnHistogram } from './histogram.js';
export { columnHistogram } from './histogram.js';
export type { ProfileOptions } from './profile.js';
export {
  EXACT_LIMIT,
  MAX_CATEGORIES,
  mergeProfiles,
  ProfileBuilder,
  ProfileMergeError,
  QUANTILES,
  sortedQuantile,
} from './profile.js';
export type { ProfiledDataset } from './profile-dataset.js';
export { profileDataset } from './profile-dataset.js';
export type {
  CategoryColumnProfile,
  ColumnProfile,
  ColumnType,
  NumericColumnProfile,
  ReferenceProfile,
} from './profile-schema.js';
export { referenceProfileSchema } from './profile-schema.js';
export type { Bucket, SketchJson } from './sketch.js';
export { DEFAULT_ALPHA, NumberSketch } from './sketch.js';
export type { ChiSquareResult } from './stats/chi-square.js';
export { chiSquareGoodnessOfFit, chiSquareHomogeneity, chiSquareSurvival } from './stats/chi-square.js';
export { jensenShannonDistance } from './stats/jensen-shannon.js';
export type { KsTwoSampleResult } from './stats/ks.js';
export { ksTwoSample } from './stats/ks.js';
export { normalQuantile } from './stats/normal.js';
export { psi } from './stats/psi.js';
export type { ShapiroWilkResult } from './stats/shapiro-wilk.js';
export { shapiroWilk } from './stats/shapiro-wilk.js';
export { wassersteinDistance, wassersteinNormalized } from './stats/wasserstein.js';
export { twoProportionZTest } from './stats/z-test.js';
export type { ProfileViolation } from './violations.js';
export { profileViolations } from './violations.js';
