import { z } from 'zod';

/** One severity scale for every engine, ordered from least to most severe. */
export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(severities);
export type Severity = z.infer<typeof severitySchema>;

export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function maxSeverity(values: Iterable<Severity>): Severity | undefined {
  let best: Severity | undefined;
  for (const value of values) if (best === undefined || severityRank(value) > severityRank(best)) best = value;
  return best;
}
