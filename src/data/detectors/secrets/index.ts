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
/** Every entity type the secret detectors report, in one place (tests and the quality benchmark use it). */
export const secretEntities: ReadonlySet<string> = new Set([
  'GITHUB_TOKEN',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'SLACK_TOKEN',
  'SLACK_WEBHOOK',
  'STRIPE_KEY',
  'OPENAI_API_KEY',
  'HUGGINGFACE_TOKEN',
  'GOOGLE_API_KEY',
  'PRIVATE_KEY',
  'JWT',
  'GCP_SERVICE_ACCOUNT',
  'CONNECTION_STRING',
  'GENERIC_SECRET',
]);

export const secretDetectors: readonly Detector[] = [
  ...providerRules.map(ruleDetector),
  ...structuredRules.map(ruleDetector),
  genericSecret,
];
