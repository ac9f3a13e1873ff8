/** The drift engine: statistical tests of whether data still looks like a reference. */

export type { ColumnProfile, ProfileViolation, ReferenceProfile } from './profile.js';
export { ProfileBuilder, profileViolations, QUANTILES, referenceProfileSchema } from './profile.js';
export type { ProfiledDataset } from './profile-dataset.js';
export { profileDataset } from './profile-dataset.js';
export { normalQuantile } from './stats/normal.js';
export type { ShapiroWilkResult } from './stats/shapiro-wilk.js';
export { shapiroWilk } from './stats/shapiro-wilk.js';
