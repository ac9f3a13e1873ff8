import type { Severity } from '../../contracts/index.js';

/**
 * The one detector shape of the data engine. A detector looks at one text value (a CSV cell, a JSON
 * string, a line of a text file) and returns matches with character spans. Detectors are pure and
 * synchronous: the engine streams values to them and turns matches into findings.
 */
export type DetectorKind = 'pii' | 'secret';

export interface DetectorMatch {
  /** Stable entity type, e.g. `EMAIL`, `CREDIT_CARD`, `US_SSN`, `AWS_ACCESS_KEY`. */
  readonly entity: string;
  /** Character offsets in the value, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** Confidence 0..1 from pattern, checksum and context together. */
  readonly score: number;
  /** Overrides the detector's default, e.g. `low` for documented example values and test cards. */
  readonly severity?: Severity;
  /** Why the score is what it is: 'Luhn valid', 'documented example value', 'context: "ssn"'. */
  readonly reason?: string;
}

export interface DetectorContext {
  /** Column header or JSON path of the value, when there is one: context words come from here too. */
  readonly column?: string;
}

export interface Detector {
  /** Stable rule id, e.g. `pii.email`, `secret.github-token`. */
  readonly id: string;
  readonly kind: DetectorKind;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  /**
   * Cheap test a value must pass before the real work (a required character or substring), so most
   * values cost one indexOf. Omit only when no such test exists.
   */
  readonly quick?: (text: string) => boolean;
  /**
   * Shortest value any match can come from: shorter values are skipped before `quick`, with one
   * comparison and no call (most values of a training table are short numbers).
   */
  readonly minLength?: number;
  detect(text: string, context: DetectorContext): DetectorMatch[];
}

/**
 * What most values yield: one shared, frozen empty list instead of a new one per value and detector.
 * Callers that add to a detector's result must copy it first.
 */
export const NO_MATCHES: DetectorMatch[] = Object.freeze([]) as unknown as DetectorMatch[];

/** The engine's gates, in its order: length, then `quick`. True when `detect` must look at `text`. */
export function mayMatch(detector: Detector, text: string): boolean {
  return text.length >= (detector.minLength ?? 0) && (!detector.quick || detector.quick(text));
}
