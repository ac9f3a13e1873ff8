/**
 * Ground truth of the data-quality benchmark: every planted value with where it sits. One entry per
 * planted value, as a compact tuple so 50k rows stay a few tens of MB of JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretEntities } from '../../src/data/detectors/secrets/index.js';

export const DATA_DIR = join('bench', '.data', 'data-quality');
export const CSV_PATH = join(DATA_DIR, 'dataset.csv');
export const JSONL_PATH = join(DATA_DIR, 'dataset.jsonl');
export const TRUTH_PATH = join(DATA_DIR, 'truth.json');

/**
 * `positive`: personal data or a secret the scan should report. `example`: a documented example value
 * (AWS's AKIAIOSFODNN7EXAMPLE, the jwt.io token, Stripe test keys, test card numbers, example.com
 * mail): reporting it at `low` (or not at all) is right, anything above `low` is counted as a problem.
 * `negative`: a hard negative planted on purpose (UUID, digest, version, Luhn-failing number...): any
 * finding on it is a false positive, attributed to this label.
 */
export type TruthKind = 'positive' | 'example' | 'negative';
export const KINDS: readonly TruthKind[] = ['positive', 'example', 'negative'];

export interface TruthFile {
  readonly version: 1;
  readonly seed: number;
  readonly rows: number;
  /** Column names in file order; entries refer to them by index. */
  readonly columns: readonly string[];
  /** `ENTITY:subtype` for positives and examples, `NEG:subtype` for hard negatives. */
  readonly labels: readonly string[];
  /** [row (0-based data row), column index, start, end (exclusive, UTF-16 offsets in the value), label index, kind index]. */
  readonly entries: readonly (readonly [number, number, number, number, number, number])[];
  /** RSA keys come from node:crypto without a seed: the only bytes that differ between two generations. */
  readonly notes: readonly string[];
}

export interface TruthEntry {
  readonly row: number;
  readonly column: string;
  readonly start: number;
  readonly end: number;
  readonly label: string;
  /** Entity for positives and examples (label before the colon); `NEG` for negatives. */
  readonly entity: string;
  readonly kind: TruthKind;
}

export function readTruth(path = TRUTH_PATH): { file: TruthFile; entries: TruthEntry[] } {
  const file = JSON.parse(readFileSync(path, 'utf8')) as TruthFile;
  const entries = file.entries.map(([row, column, start, end, label, kind]) => {
    const name = file.labels[label]!;
    return {
      row,
      column: file.columns[column]!,
      start,
      end,
      label: name,
      entity: name.slice(0, name.indexOf(':')),
      kind: KINDS[kind]!,
    };
  });
  return { file, entries };
}

/** Entities the issue calls structured (pattern + checksum or structure): precision and recall targets ≥ 0.95. */
export const STRUCTURED_ENTITIES: ReadonlySet<string> = new Set([
  'EMAIL',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'UK_NINO',
  'US_PASSPORT',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'CRYPTO_WALLET',
  'DATE_OF_BIRTH',
]);

/** Entities reported by the secret detectors: overall precision target ≥ 0.9. */
export const SECRET_ENTITIES = secretEntities;
