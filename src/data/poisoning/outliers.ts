import { type ColumnProfile, parseNumber } from './columns.js';
import { sampleIndices } from './random.js';
import type { RowTable } from './types.js';

/**
 * Outliers far from the bulk. Two scores, both robust to the outliers they look for:
 *
 * - multivariate (used when there are 2–64 numeric columns and at least 10 rows per column): the squared
 *   Mahalanobis distance of each row from the centre in standardised space, with mean and covariance
 *   fitted on a seeded sample of at most 20 000 rows and refitted once on the 90% nearest (a one-step
 *   reweighted estimate, so the outliers do not inflate the covariance that should expose them). It
 *   catches a value that breaks the correlations between columns, not only one that is large. A row is
 *   flagged when the robust z-score (median/MAD) of its log distance among all rows reaches the threshold.
 * - per column (otherwise): the robust z-score of Iglewicz and Hoaglin, z = 0.6745 (x − median) / MAD.
 *   A column whose MAD is 0 (more than half its values equal) gives no scale and is skipped.
 *
 * Memory: the fit sample (20 000 × columns), the covariance, and one number per row.
 */

export interface ColumnSpread {
  readonly column: string;
  readonly index: number;
  readonly median: number;
  readonly mad: number;
}

export interface OutlierValue {
  readonly column: string;
  readonly value: number;
  readonly median: number;
  readonly z: number;
}

export interface RowOutlier {
  /** Index into the rows examined. */
  readonly row: number;
  /** The score compared with the threshold. */
  readonly z: number;
  readonly method: 'mahalanobis' | 'robust-z';
  /** Mahalanobis distance of the row and the median over all rows (multivariate only). */
  readonly distance?: number;
  readonly medianDistance?: number;
  /** The row's values by robust z, most extreme first (at most 3). */
  readonly values: OutlierValue[];
}

const maxFitRows = 20_000;
const maxColumns = 64;

export function columnSpreads(
  table: RowTable,
  rows: readonly number[],
  columns: readonly ColumnProfile[],
): ColumnSpread[] {
  const spreads: ColumnSpread[] = [];
  for (const column of columns) {
    const values: number[] = [];
    for (const r of rows) {
      const x = parseNumber(table.rows[r]![column.index]);
      if (x !== undefined) values.push(x);
    }
    if (values.length < 5) continue;
    const sorted = Float64Array.from(values).sort();
    const median = quantileSorted(sorted, 0.5);
    const mad = quantileSorted(sorted.map((x) => Math.abs(x - median)).sort(), 0.5);
    spreads.push({ column: column.name, index: column.index, median, mad });
  }
  return spreads;
}

function rowValues(table: RowTable, row: number, spreads: readonly ColumnSpread[]): OutlierValue[] {
  const values: OutlierValue[] = [];
  for (const spread of spreads) {
    const x = parseNumber(table.rows[row]![spread.index]);
    if (x === undefined || spread.mad === 0) continue;
    values.push({
      column: spread.column,
      value: x,
      median: spread.median,
      z: (0.6745 * (x - spread.median)) / spread.mad,
    });
  }
  return values.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
}

export function findOutliers(
  table: RowTable,
  rows: readonly number[],
  columns: readonly ColumnProfile[],
  threshold: number,
  signal?: AbortSignal,
): { outliers: RowOutlier[]; notes: string[] } {
  const notes: string[] = [];
  const spreads = columnSpreads(table, rows, columns);
  const flat = spreads.filter((s) => s.mad === 0).map((s) => s.column);
  const d = spreads.length;
  if (d >= 2 && d <= maxColumns && rows.length >= 10 * d) {
    return { outliers: mahalanobisOutliers(table, rows, spreads, threshold, signal), notes };
  }
  if (d > maxColumns) notes.push(`more than ${maxColumns} numeric columns: outliers judged column by column`);
  if (flat.length > 0)
    notes.push(`outlier check skipped columns with most values equal (no spread to measure): ${flat.join(', ')}`);
  const outliers: RowOutlier[] = [];
  for (let i = 0; i < rows.length; i++) {
    const values = rowValues(table, rows[i]!, spreads);
    const top = values[0];
    if (!top || Math.abs(top.z) < threshold) continue;
    outliers.push({
      row: i,
      z: Math.abs(top.z),
      method: 'robust-z',
      values: values.filter((v) => Math.abs(v.z) >= threshold).slice(0, 3),
    });
  }
  return { outliers: outliers.sort((a, b) => b.z - a.z || a.row - b.row), notes };
}

function mahalanobisOutliers(
  table: RowTable,
  rows: readonly number[],
  spreads: readonly ColumnSpread[],
  threshold: number,
  signal?: AbortSignal,
): RowOutlier[] {
  const d = spreads.length;
  // Standardise by mean and standard deviation over all rows; a missing value sits at the mean.
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  const count = new Float64Array(d);
  for (const r of rows) {
    for (let c = 0; c < d; c++) {
      const x = parseNumber(table.rows[r]![spreads[c]!.index]);
      if (x === undefined) continue;
      count[c]!++;
      const delta = x - mean[c]!;
      mean[c]! += delta / count[c]!;
      sd[c]! += delta * (x - mean[c]!);
    }
  }
  for (let c = 0; c < d; c++) sd[c] = Math.sqrt(sd[c]! / Math.max(1, count[c]!)) || 1;
  const vector = (r: number, out: Float64Array) => {
    for (let c = 0; c < d; c++) {
      const x = parseNumber(table.rows[r]![spreads[c]!.index]);
      out[c] = x === undefined ? 0 : (x - mean[c]!) / sd[c]!;
    }
  };

  const fitRows = sampleIndices(rows.length, Math.min(rows.length, maxFitRows), 0x6f75746c).map((i) => rows[i]!);
  const fit = new Float64Array(fitRows.length * d);
  const buffer = new Float64Array(d);
  fitRows.forEach((r, i) => {
    vector(r, buffer);
    fit.set(buffer, i * d);
  });
  let model = fitGaussian(fit, fitRows.length, d, null);
  const fitDistances = new Float64Array(fitRows.length);
  for (let i = 0; i < fitRows.length; i++) fitDistances[i] = model.distance(fit.subarray(i * d, (i + 1) * d));
  const cut = quantileSorted(Float64Array.from(fitDistances).sort(), 0.9);
  model = fitGaussian(
    fit,
    fitRows.length,
    d,
    fitDistances.map((x) => (x <= cut ? 1 : 0)),
  );

  signal?.throwIfAborted();
  const distances = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    vector(rows[i]!, buffer);
    distances[i] = model.distance(buffer);
  }
  const logs = distances.map((x) => Math.log(x + 1e-9));
  const sorted = Float64Array.from(logs).sort();
  const center = quantileSorted(sorted, 0.5);
  const mad = quantileSorted(sorted.map((x) => Math.abs(x - center)).sort(), 0.5) || 1e-9;
  const medianDistance = Math.sqrt(quantileSorted(Float64Array.from(distances).sort(), 0.5));
  const outliers: RowOutlier[] = [];
  for (let i = 0; i < rows.length; i++) {
    const z = (0.6745 * (logs[i]! - center)) / mad;
    if (z < threshold) continue;
    outliers.push({
      row: i,
      z,
      method: 'mahalanobis',
      distance: Math.sqrt(distances[i]!),
      medianDistance,
      values: rowValues(table, rows[i]!, spreads).slice(0, 3),
    });
  }
  return outliers.sort((a, b) => b.z - a.z || a.row - b.row);
}

/**
 * Mean and covariance of the (weighted 0/1) rows, with a small ridge so that collinear columns still
 * factor; returns the squared Mahalanobis distance through the Cholesky factor.
 */
function fitGaussian(data: Float64Array, n: number, d: number, weights: Float64Array | null) {
  const mean = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (weights && weights[i] === 0) continue;
    total++;
    for (let c = 0; c < d; c++) mean[c] = mean[c]! + data[i * d + c]!;
  }
  for (let c = 0; c < d; c++) mean[c]! /= Math.max(1, total);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    if (weights && weights[i] === 0) continue;
    for (let a = 0; a < d; a++) {
      const da = data[i * d + a]! - mean[a]!;
      for (let b = 0; b <= a; b++) cov[a * d + b]! += da * (data[i * d + b]! - mean[b]!);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) cov[a * d + b]! /= Math.max(1, total - 1);
    cov[a * d + a]! += 1e-3;
  }
  // Cholesky, lower triangle in place.
  const l = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let sum = cov[a * d + b]!;
      for (let k = 0; k < b; k++) sum -= l[a * d + k]! * l[b * d + k]!;
      l[a * d + b] = a === b ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[b * d + b]!;
    }
  }
  const y = new Float64Array(d);
  return {
    distance(x: Float64Array): number {
      let squared = 0;
      for (let a = 0; a < d; a++) {
        let sum = x[a]! - mean[a]!;
        for (let k = 0; k < a; k++) sum -= l[a * d + k]! * y[k]!;
        y[a] = sum / l[a * d + a]!;
        squared += y[a]! * y[a]!;
      }
      return squared;
    },
  };
}

export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
