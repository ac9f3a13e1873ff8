import { type ProfileViolation, profileViolations } from '../drift/index.js';
import { instancesOf } from './abuse/features.js';
import type { ModelConfig } from './config.js';
import { judge, type Refusal, type RequestFacts } from './facts.js';

/** Most instances of one request checked against the profile. */
const MAX_CHECKED = 256;

/**
 * The out-of-distribution check of a model server's request: every instance against the model's
 * reference profile. A refusal (400, with the first violations) in `block` mode; a verdict otherwise.
 */
export function checkProfile(target: ModelConfig, json: unknown, facts: RequestFacts): Refusal | undefined {
  const detector = target.detectors.outOfDistribution;
  if (detector.mode === 'off' || !detector.profile) return undefined;
  const violations: ProfileViolation[] = [];
  for (const instance of instancesOf(json).slice(0, MAX_CHECKED)) {
    violations.push(
      ...profileViolations(detector.profile, instance, {
        tolerance: detector.tolerance,
        names: detector.features,
        limit: 10 - violations.length,
      }),
    );
    if (violations.length >= 10) break;
  }
  if (violations.length === 0) return undefined;
  const reasons = [...new Set(violations.map((violation) => violation.reason))];
  let blocked = false;
  for (const reason of reasons) blocked = judge(facts, `out-of-distribution:${reason}`, detector.mode);
  if (!blocked) return undefined;
  return {
    status: 400,
    error: 'OUT_OF_DISTRIBUTION',
    message: 'the input is outside what this model was built for',
    extra: { violations },
  };
}
