import { chiSquareHomogeneity, ksTwoSample, psi } from '../../drift/index.js';
import { type ColumnProfile, parseNumber, type Schema } from './columns.js';
import type { PoisoningIndicator, PoisoningSeverity, RowTable } from './types.js';

/**
 * Shift against a trusted baseline. The label distribution by chi-square test of homogeneity and PSI;
 * numeric features by two-sample Kolmogorov–Smirnov; categorical features by PSI and chi-square over
 * their categories (the 50 most common, the rest pooled). A shift is reported when it is significant
 * (p < alpha) and large enough to matter (KS D or PSI at least the minimum), since with many rows
 * every tiny difference is significant. Memory: one column of both tables at a time.
 */

export interface ShiftTuning {
  readonly alpha: number;
  readonly minKs: number;
  readonly minPsi: number;
  readonly labelMinPsi: number;
}

const maxCategories = 50;

export function shiftIndicators(
  table: RowTable,
  schema: Schema,
  baseline: RowTable,
  tuning: ShiftTuning,
): { indicators: PoisoningIndicator[]; notes: string[] } {
  const indicators: PoisoningIndicator[] = [];
  const notes: string[] = [];
  const baselineIndex = new Map(baseline.columns.map((name, index) => [name, index]));
  const missing: string[] = [];

  if (schema.label) {
    const index = baselineIndex.get(schema.label.name);
    if (index === undefined) missing.push(schema.label.name);
    else {
      const shift = categoricalShift(table, schema.label.index, baseline, index);
      if (shift.p < tuning.alpha && shift.psi >= tuning.labelMinPsi) {
        indicators.push({
          indicator: 'label-shift',
          rows: [],
          score: round(shift.psi),
          severity: psiSeverity(shift.psi),
          column: schema.label.name,
          detail: `label distribution differs from the baseline: ${shift.summary}; PSI ${shift.psi.toFixed(3)}, chi-square ${shift.statistic.toFixed(1)} (df ${shift.df}, p ${formatP(shift.p)})`,
          properties: { psi: round(shift.psi), chiSquare: round(shift.statistic), df: shift.df, p: shift.p },
        });
      }
    }
  }

  for (const column of schema.numeric) {
    const index = baselineIndex.get(column.name);
    if (index === undefined) {
      missing.push(column.name);
      continue;
    }
    const current = numbers(table, column.index);
    const reference = numbers(baseline, index);
    if (current.length < 5 || reference.length < 5) continue;
    const { statistic: d, pValue: p } = ksTwoSample(current, reference);
    if (p >= tuning.alpha || d < tuning.minKs) continue;
    indicators.push({
      indicator: 'feature-shift',
      rows: [],
      score: round(d),
      severity: d >= 0.3 ? 'high' : d >= 0.2 ? 'medium' : 'low',
      column: column.name,
      detail: `numeric column ${JSON.stringify(column.name)} is distributed differently from the baseline: median ${median(current)} (baseline ${median(reference)}); KS D ${d.toFixed(3)}, p ${formatP(p)}`,
      properties: { test: 'ks', d: round(d), p },
    });
  }

  for (const column of schema.categorical as ColumnProfile[]) {
    const index = baselineIndex.get(column.name);
    if (index === undefined) {
      missing.push(column.name);
      continue;
    }
    const shift = categoricalShift(table, column.index, baseline, index);
    if (shift.p >= tuning.alpha || shift.psi < tuning.minPsi) continue;
    indicators.push({
      indicator: 'feature-shift',
      rows: [],
      score: round(shift.psi),
      severity: psiSeverity(shift.psi),
      column: column.name,
      detail: `column ${JSON.stringify(column.name)} has different category frequencies from the baseline: ${shift.summary}; PSI ${shift.psi.toFixed(3)}, chi-square ${shift.statistic.toFixed(1)} (df ${shift.df}, p ${formatP(shift.p)})`,
      properties: { test: 'psi', psi: round(shift.psi), chiSquare: round(shift.statistic), df: shift.df, p: shift.p },
    });
  }
  if (missing.length > 0) notes.push(`columns not in the baseline, not compared: ${missing.join(', ')}`);
  return { indicators, notes };
}

function categoricalShift(table: RowTable, index: number, baseline: RowTable, baselineIndex: number) {
  const current = categoryCounts(table, index);
  const reference = categoryCounts(baseline, baselineIndex);
  const all = new Map<string, number>();
  for (const [value, count] of current) all.set(value, (all.get(value) ?? 0) + count);
  for (const [value, count] of reference) all.set(value, (all.get(value) ?? 0) + count);
  const ranked = [...all].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value]) => value);
  const kept = ranked.slice(0, maxCategories);
  const pooled = (counts: Map<string, number>) => {
    const vector = kept.map((value) => counts.get(value) ?? 0);
    if (ranked.length > maxCategories) {
      let other = 0;
      for (const value of ranked.slice(maxCategories)) other += counts.get(value) ?? 0;
      vector.push(other);
    }
    return vector;
  };
  const a = pooled(current);
  const b = pooled(reference);
  const totalA = a.reduce((s, x) => s + x, 0);
  const totalB = b.reduce((s, x) => s + x, 0);
  // A side with no values has no distribution to compare: no shift, rather than a thrown test.
  if (totalA === 0 || totalB === 0) return { statistic: 0, p: 1, df: 0, psi: 0, summary: '' };
  const { statistic, pValue, dof } = chiSquareHomogeneity(a, b);
  const test = { statistic, p: pValue, df: dof };
  // The categories whose share moved most, for the reader.
  const moves = kept
    .map((value, i) => ({ value, now: a[i]! / totalA, before: b[i]! / totalB }))
    .sort((x, y) => Math.abs(y.now - y.before) - Math.abs(x.now - x.before))
    .slice(0, 3)
    .map(({ value, now, before }) => `${JSON.stringify(value)} ${percent(now)} (baseline ${percent(before)})`);
  return { ...test, psi: psi(b, a), summary: moves.join(', ') };
}

function categoryCounts(table: RowTable, index: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of table.rows) {
    const value = row[index]?.trim();
    if (value === undefined || value === '') continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

function numbers(table: RowTable, index: number): Float64Array {
  const values: number[] = [];
  for (const row of table.rows) {
    const x = parseNumber(row[index]);
    if (x !== undefined) values.push(x);
  }
  return Float64Array.from(values);
}

function median(values: Float64Array): string {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Number(value.toPrecision(4)).toString();
}

const psiSeverity = (value: number): PoisoningSeverity => (value >= 0.5 ? 'high' : value >= 0.25 ? 'medium' : 'low');
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
const round = (value: number) => Math.round(value * 1e4) / 1e4;
const formatP = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));
