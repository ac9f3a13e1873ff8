import type { DriftReport } from '../../contracts/index.js';
import { formatNumber } from '../../drift/index.js';

/** The report as a plain-text table: one row per column, then the dataset verdict. */
export function driftTable(report: DriftReport): string {
  const rows = report.columns.map((column) => [
    column.column,
    column.type,
    column.status === 'tested' ? `${column.test}${column.approximate ? '~' : ''}` : column.status,
    formatNumber(column.statistic),
    formatNumber(column.pValue),
    column.threshold === undefined ? '' : String(column.threshold),
    column.drifted ? 'DRIFT' : 'ok',
    `${column.current.missing + column.current.infinite}/${column.current.count}`,
  ]);
  const header = ['column', 'type', 'test', 'statistic', 'p-value', 'threshold', 'verdict', 'missing+inf'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const { dataset } = report;
  const drifted = report.columns.filter((column) => column.drifted).length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `dataset: ${dataset.drifted ? 'DRIFT' : 'no drift'}: ${drifted} of ${report.columns.filter((c) => c.status !== 'empty').length} columns drifted (share ${formatNumber(dataset.share)}, threshold ${dataset.threshold})`,
    ...(report.multivariate ? [multivariateLine(report.multivariate)] : []),
    ...(report.columns.some((column) => column.approximate)
      ? ['~ computed from sketches (beyond the exact limit): approximate']
      : []),
    '',
  ].join('\n');
}

/** One line on the PCA reconstruction-error check. */
export function multivariateLine(result: NonNullable<DriftReport['multivariate']>): string {
  return `multivariate: ${result.drifted ? 'DRIFT' : 'no drift'}: PCA reconstruction error ${formatNumber(result.currentError)} vs ${formatNumber(result.referenceError)} (ratio ${formatNumber(result.ratio)}, limit ${formatNumber(result.limit)}; ${result.components} of ${result.columns.length} components)`;
}
