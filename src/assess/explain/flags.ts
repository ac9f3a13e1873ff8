import { type Finding, ruleFinding } from '../../contracts/index.js';
import { type ExplainRuleId, explainRules } from './rules.js';

/** Thresholds of the flags, with why each is where it is. */
export const flagThresholds = {
  /** An identifier needs no more than this share to be suspicious: it should have none at all. */
  identifierShare: 0.1,
  /** Value checks on identifiers need enough rows to mean anything. */
  identifierMinRows: 20,
  /** Concentrated: at most this fraction of the explained rows reach half the feature's peak |SHAP|… */
  concentratedTopFraction: 0.1,
  /** …their mean |SHAP| is at least this many times the median of the other rows (near zero elsewhere)… */
  concentratedRatio: 5,
  /** …the peak is at least this share of the largest of any feature (it matters where it acts)… */
  concentratedMinPeak: 0.25,
  /**
   * …and at least half of those rows hold an atypical value of the feature: a robust z-score
   * (median/MAD) above this, or one value they share that is rare in the data. A trigger is a rare
   * value; rows near the decision boundary, where any feature matters, hold ordinary ones.
   */
  atypicalZ: 4,
  rareValueShare: 0.1,
  concentratedMinRows: 10,
} as const;

/** Names of identifier columns: id, row, index, uuid… alone or as a suffix (`user_id`, `rowIndex`). */
const identifierName =
  /^(id|row|rowid|rownum|index|idx|uuid|guid|key|serial|record)$|(^|[_\-\s.])(id|uuid|guid|idx|index)$/i;
/** camelCase suffixes are case-sensitive, or `paid` and `valid` would be identifiers. */
const camelIdentifier = /[a-z0-9](Id|ID|Uuid|UUID|Index|Idx)$/;
/^(id|row|rowid|rownum|index|idx|uuid|guid|key|serial|record)$|(^|[_\-\s.])(id|uuid|guid|idx|index)$|[a-z](Id|ID|Uuid|Index)$/i;

/** Why a column looks like an identifier, or nothing. */
export function identifierReasons(name: string, values: ArrayLike<number>): string[] {
  const reasons: string[] = [];
  if (identifierName.test(name.trim()) || camelIdentifier.test(name.trim()))
    reasons.push(`named ${JSON.stringify(name)}`);
  if (values.length >= flagThresholds.identifierMinRows) {
    const seen = new Set<number>();
    let integers = true;
    let increasing = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v)) integers = false;
      if (i > 0 && !(v > values[i - 1]!)) increasing = false;
      seen.add(v);
    }
    if (integers && seen.size === values.length) reasons.push('every value is a distinct integer');
    if (increasing) reasons.push('strictly increasing with the row order');
  }
  return reasons;
}

export interface FlagInput {
  readonly path: string;
  readonly features: readonly string[];
  /** Every value read, per feature. */
  readonly columns: readonly ArrayLike<number>[];
  /** Each feature's share of the total global importance (sums to 1, or all 0). */
  readonly shares: ArrayLike<number>;
  /** |SHAP| per explained row, per feature: [rows][features]. */
  readonly attributions: readonly ArrayLike<number>[];
  /** The feature values of the explained rows, in the same order: [rows][features]. */
  readonly explainedValues: readonly ArrayLike<number>[];
  readonly dominance: number;
}

function finding(
  ruleId: ExplainRuleId,
  path: string,
  column: string,
  evidence: string,
  properties: Finding['properties'],
): Finding {
  return ruleFinding(ruleId, explainRules[ruleId], { path, column }, evidence, properties);
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

const median = (values: ArrayLike<number>): number => {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Which of `values` are atypical in `column`: far out by median/MAD, or a shared value rare in the column. */
export function atypicalValues(values: readonly number[], column: ArrayLike<number>): boolean[] {
  const center = median(column);
  const mad = 1.4826 * median(Array.from(column, (v) => Math.abs(v - center)));
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const shared = new Set([...counts].filter(([, n]) => n >= 2).map(([v]) => v));
  const rare = (v: number) => {
    if (!shared.has(v)) return false;
    let n = 0;
    for (let i = 0; i < column.length; i++) if (column[i] === v) n++;
    return n <= flagThresholds.rareValueShare * column.length;
  };
  return values.map((v) => {
    const z = mad === 0 ? (v === center ? 0 : Number.POSITIVE_INFINITY) : Math.abs(v - center) / mad;
    return z > flagThresholds.atypicalZ || rare(v);
  });
}

/** Whether one feature's attributions look like a trigger's; the facts for the evidence when they do. */
export function concentratedAttribution(
  attributions: readonly number[],
  values: readonly number[],
  column: ArrayLike<number>,
  globalPeak: number,
): { strong: number; peak: number; ratio: number; atypical: number; values: number[] } | undefined {
  const peak = Math.max(...attributions);
  if (!(globalPeak > 0) || peak < flagThresholds.concentratedMinPeak * globalPeak) return undefined;
  const strongRows = attributions.flatMap((a, i) => (a >= peak / 2 ? [i] : []));
  if (strongRows.length > flagThresholds.concentratedTopFraction * attributions.length) return undefined;
  const rest = attributions.filter((a) => a < peak / 2);
  const strongMean = strongRows.reduce((sum, i) => sum + attributions[i]!, 0) / strongRows.length;
  const ratio = strongMean / Math.max(median(rest), 1e-12);
  if (ratio < flagThresholds.concentratedRatio) return undefined;
  const strongValues = strongRows.map((i) => values[i]!);
  const atypical = atypicalValues(strongValues, column).filter(Boolean).length;
  if (atypical * 2 < strongRows.length) return undefined;
  return { strong: strongRows.length, peak, ratio, atypical, values: [...new Set(strongValues)].slice(0, 5) };
}

/** The suspicious-importance findings: identifier importance, a dominant feature, concentrated attribution. */
export function suspiciousImportance(input: FlagInput): Finding[] {
  const findings: Finding[] = [];
  const { features, shares, path } = input;
  features.forEach((name, j) => {
    const share = shares[j] ?? 0;
    const reasons = identifierReasons(name, input.columns[j]!);
    if (reasons.length > 0 && share >= flagThresholds.identifierShare)
      findings.push(
        finding(
          'explain.identifier-importance',
          path,
          name,
          `column ${name} looks like an identifier (${reasons.join('; ')}) and holds ${percent(share)} of the global importance`,
          { share, reasons: reasons.join('; ') },
        ),
      );
  });
  let top = 0;
  for (let j = 1; j < features.length; j++) if ((shares[j] ?? 0) > (shares[top] ?? 0)) top = j;
  const topShare = shares[top] ?? 0;
  if (features.length > 1 && topShare > input.dominance)
    findings.push(
      finding(
        'explain.dominant-feature',
        path,
        features[top]!,
        `feature ${features[top]} holds ${percent(topShare)} of the global importance (threshold ${percent(input.dominance)})`,
        { share: topShare, threshold: input.dominance },
      ),
    );
  const rows = input.attributions.length;
  if (rows >= flagThresholds.concentratedMinRows) {
    let globalPeak = 0;
    for (const row of input.attributions)
      for (let j = 0; j < features.length; j++) globalPeak = Math.max(globalPeak, row[j]!);
    features.forEach((name, j) => {
      const facts = concentratedAttribution(
        input.attributions.map((row) => row[j]!),
        input.explainedValues.map((row) => row[j]!),
        input.columns[j]!,
        globalPeak,
      );
      if (facts)
        findings.push(
          finding(
            'explain.concentrated-attribution',
            path,
            name,
            `feature ${name}: ${facts.strong} of ${rows} explained rows have |SHAP| of at least half its peak ` +
              `${facts.peak.toPrecision(3)}, ${facts.ratio.toFixed(1)}× the median of the other rows; ` +
              `${facts.atypical} of them hold rare values (${facts.values.join(', ')})`,
            {
              strongRows: facts.strong,
              explainedRows: rows,
              peak: facts.peak,
              ratio: facts.ratio,
              atypicalRows: facts.atypical,
            },
          ),
        );
    });
  }
  return findings;
}
