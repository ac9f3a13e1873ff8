import type { ColumnDrift, DriftReport, Finding } from '../contracts/index.js';
import { owaspMl } from '../contracts/index.js';
import { compareColumn, type TestChoice } from './compare.js';
import { pcaReconstructionDrift } from './multivariate.js';
import type { ReferenceProfile } from './profile.js';

export interface DriftOptions {
  /** Columns to test (default: every reference column). */
  readonly columns?: readonly string[] | undefined;
  /** Test and threshold per column, instead of the default choice. */
  readonly tests?: Readonly<Record<string, TestChoice>> | undefined;
  /** The dataset drifts when at least this share of columns drift (default 0.5). */
  readonly shareThreshold?: number | undefined;
  readonly referenceName?: string | undefined;
  readonly currentName?: string | undefined;
  readonly version?: string | undefined;
  readonly startedAt?: Date | undefined;
  /** PCA reconstruction-error drift over the numeric columns (default on when both profiles have joint moments). */
  readonly multivariate?: boolean | undefined;
}

/**
 * Drift of a current profile against a reference profile, column by column (compare.ts), and for the
 * dataset: the share of drifted columns (absent columns count as drifted, empty ones are left out)
 * against `shareThreshold`. Findings: `drift.column` (medium) per drifted column, `drift.dataset`
 * (high) when the dataset drifts, so `--fail-on` works as for scans.
 */
export function driftReport(
  reference: ReferenceProfile,
  current: ReferenceProfile,
  options: DriftOptions = {},
): DriftReport {
  const startedAt = options.startedAt ?? new Date();
  const wanted = options.columns ? new Set(options.columns) : undefined;
  if (wanted) {
    const missing = [...wanted].filter((name) => !reference.columns.some((column) => column.name === name));
    if (missing.length > 0) throw new RangeError(`not in the reference: ${missing.join(', ')}`);
  }
  const now = new Map(current.columns.map((column) => [column.name, column]));
  const columns: ColumnDrift[] = reference.columns
    .filter((column) => !wanted || wanted.has(column.name))
    .map((column) => compareColumn(column, now.get(column.name), options.tests?.[column.name]));
  const counted = columns.filter((column) => column.status !== 'empty');
  const drifted = counted.filter((column) => column.drifted).length;
  const threshold = options.shareThreshold ?? 0.5;
  const share = counted.length === 0 ? 0 : drifted / counted.length;
  const datasetDrift = counted.length > 0 && share >= threshold;
  const referenceName = options.referenceName ?? 'reference';
  const findings: Finding[] = columns
    .filter((column) => column.drifted)
    .map((column) => columnFinding(column, referenceName));
  if (datasetDrift) {
    findings.push({
      ruleId: 'drift.dataset',
      title: 'Dataset drift',
      severity: 'high',
      category: 'drift',
      location: { path: options.currentName ?? 'current' },
      evidence: `${drifted} of ${counted.length} columns drifted (${(share * 100).toFixed(1)}% >= ${threshold * 100}%)`,
      remediation: 'Check the data pipeline and the input source; retrain or recalibrate if the change is real.',
      references: [owaspMl('ML08')],
      properties: { share, drifted, columns: counted.length },
    });
  }
  const multivariate =
    options.multivariate === false ? undefined : pcaReconstructionDrift(reference.joint, current.joint);
  if (multivariate?.drifted) {
    findings.push({
      ruleId: 'drift.multivariate',
      title: 'Joint drift of the numeric columns',
      severity: 'medium',
      category: 'drift',
      location: { path: options.currentName ?? 'current' },
      evidence: `PCA reconstruction error ${formatNumber(multivariate.currentError)} against ${formatNumber(multivariate.referenceError)} in the reference (ratio ${formatNumber(multivariate.ratio)} >= ${formatNumber(multivariate.limit)}) over ${multivariate.columns.length} columns`,
      remediation: 'The relations between features changed; compare their correlations in both datasets.',
      references: [owaspMl('ML08')],
      properties: { ratio: multivariate.ratio, limit: multivariate.limit, components: multivariate.components },
    });
  }
  return {
    schemaVersion: '1.0.0',
    kind: 'drift',
    tool: { name: 'mlsecops', version: options.version ?? '0.0.0' },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    reference: referenceName,
    current: options.currentName ?? 'current',
    columns,
    dataset: {
      share,
      threshold,
      drifted: datasetDrift,
      rule: `drift when at least ${threshold * 100}% of the tested columns drift (absent columns count as drifted)`,
    },
    ...(multivariate ? { multivariate } : {}),
    findings,
  };
}

function columnFinding(column: ColumnDrift, path: string): Finding {
  const measured =
    column.status === 'absent'
      ? 'the column is not in the current data'
      : `${column.test} ${formatNumber(column.statistic)}${column.pValue === undefined ? '' : `, p = ${formatNumber(column.pValue)}`} (threshold ${column.threshold})`;
  return {
    ruleId: 'drift.column',
    title: `Drift in ${column.column}`,
    severity: 'medium',
    category: 'drift',
    location: { path, column: column.column },
    evidence: measured,
    remediation: 'Compare the distributions; find where the inputs changed before trusting predictions on them.',
    references: [owaspMl('ML08')],
    properties: {
      ...(column.test ? { test: column.test } : {}),
      ...(column.statistic === undefined ? {} : { statistic: column.statistic }),
      ...(column.pValue === undefined ? {} : { pValue: column.pValue }),
      approximate: column.approximate,
    },
  };
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toFixed(4).replace(/\.?0+$/, '') || '0';
}
