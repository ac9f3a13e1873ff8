import type { Detector } from '../types.js';
import { genericSecret } from './generic.js';
import { providerRules } from './providers.js';
import { ruleDetector } from './shared.js';
import { structuredRules } from './structured.js';

export type { DocumentedExample } from './examples.js';
export { documentedExamples } from './examples.js';

/**
 * Secret detectors of `mlsecops data scan`: provider formats (with checksums where the provider has
 * one), structural secrets (PEM keys, JWTs, service-account JSON, connection strings) and a conservative
 * entropy detector for values under secret-like keys. Order: specific before generic.
 */
export const secretDetectors: readonly Detector[] = [
  ...providerRules.map(ruleDetector),
  ...structuredRules.map(ruleDetector),
  genericSecret,
];
