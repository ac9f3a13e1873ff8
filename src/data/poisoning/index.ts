import { profileColumns, resolveSchema, standardise } from './columns.js';
import { estimatedJaccard, exactDuplicateGroups, nearDuplicateClusters } from './duplicates.js';
import { labelDisagreement, nearestNeighbours } from './neighbours.js';
import { findOutliers } from './outliers.js';
import { sampleIndices } from './random.js';
import { shiftIndicators } from './shift.js';
import { triggerTokens } from './triggers.js';
import type {
  PoisoningIndicator,
  PoisoningIndicatorKind,
  PoisoningSeverity,
  PoisoningTuning,
  RowTable,
} from './types.js';

export { RowCollector, type RowCollectorOptions } from './collector.js';
export type {
  PoisoningIndicator,
  PoisoningIndicatorKind,
  PoisoningSeverity,
  PoisoningTuning,
  RowTable,
} from './types.js';

/** Rows held for the indicators unless told otherwise; a reservoir sample beyond. */
export const defaultMaxRows = 200_000;

export interface PoisoningOptions {
  /** Default: the first column named label, target, class, y, category, sentiment, … ; none turns label indicators off. */
  labelColumn?: string;
  /** Default: the string column of 3 or more words on average with the longest values. */
  textColumn?: string;
  /** Rows analysed (default 200 000); a larger table is sampled and the notes say so. */
  maxRows?: number;
  /** All on by default. */
  indicators?: { neighbours?: boolean; duplicates?: boolean; outliers?: boolean; triggers?: boolean };
  /** A trusted version of the data for the label and feature shift checks. */
  baseline?: RowTable;
  tuning?: PoisoningTuning;
  signal?: AbortSignal;
}

export interface PoisoningResult {
  indicators: PoisoningIndicator[];
  notes: string[];
}

const kindOrder: PoisoningIndicatorKind[] = [
  'trigger-token',
  'conflicting-duplicates',
  'label-neighbour-disagreement',
  'outlier',
  'label-shift',
  'feature-shift',
];

/**
 * Model-free indicators that a labelled dataset was poisoned: labels that disagree with their nearest
 * neighbours, duplicates with conflicting labels, outliers far from the bulk, trigger tokens that force a
 * label, and shift against a trusted baseline. Deterministic for a given table and options.
 */
export function analysePoisoning(input: RowTable, options: PoisoningOptions = {}): PoisoningResult {
  const tuning = options.tuning ?? {};
  const signal = options.signal;
  const notes: string[] = [...(input.notes ?? [])];
  const maxRows = options.maxRows ?? defaultMaxRows;
  const table = input.rows.length > maxRows ? subsample(input, maxRows) : input;
  if (table.rows.length < table.totalRows)
    notes.push(`sampled ${table.rows.length} of ${table.totalRows} rows: the indicators describe the sample`);
  const rowNumber = (i: number) => table.rowNumbers?.[i] ?? i;
  const rowsOf = (indices: Iterable<number>) => [...indices].map(rowNumber).sort((a, b) => a - b);
  const n = table.rows.length;
  const all = Array.from({ length: n }, (_, i) => i);

  const schema = resolveSchema(table, profileColumns(table), options);
  notes.push(...schema.notes);
  const label = schema.label;
  const className = (c: number) => JSON.stringify(label?.classes[c] ?? String(c));
  const on = {
    neighbours: options.indicators?.neighbours ?? true,
    duplicates: options.indicators?.duplicates ?? true,
    outliers: options.indicators?.outliers ?? true,
    triggers: options.indicators?.triggers ?? true,
  };
  const indicators: PoisoningIndicator[] = [];

  if (on.neighbours && label) {
    if (schema.numeric.length === 0) notes.push('no numeric feature columns: neighbour check off');
    else {
      const k = tuning.neighbours ?? 10;
      const threshold = tuning.neighbourDisagreement ?? 0.8;
      const limit = tuning.neighbourMaxRows ?? 10_000;
      let rows = all.filter((i) => schema.labels[i]! >= 0);
      if (rows.length > limit) {
        notes.push(`neighbour check on a sample of ${limit} of ${rows.length} labelled rows`);
        rows = sampleIndices(rows.length, limit, 0x6b6e6e).map((i) => rows[i]!);
      }
      const labels = Int32Array.from(rows, (i) => schema.labels[i]!);
      const classSize = new Map<number, number>();
      for (const c of labels) classSize.set(c, (classSize.get(c) ?? 0) + 1);
      const small = [...classSize].filter(([, size]) => size <= k).map(([c]) => c);
      if (small.length > 0)
        notes.push(`labels with ${k} rows or fewer not judged by their neighbours: ${small.map(className).join(', ')}`);
      const matrix = standardise(table, rows, schema.numeric);
      const neighbours = nearestNeighbours(matrix, rows.length, schema.numeric.length, k, signal);
      const results = labelDisagreement(neighbours, labels, k);
      for (let s = 0; s < rows.length; s++) {
        const result = results[s]!;
        if (result.found < k || (classSize.get(labels[s]!) ?? 0) <= k) continue;
        const fraction = result.disagreeing / result.found;
        if (fraction < threshold) continue;
        indicators.push({
          indicator: 'label-neighbour-disagreement',
          rows: [rowNumber(rows[s]!)],
          score: round(fraction),
          severity: fraction === 1 ? 'medium' : 'low',
          column: label.name,
          detail: `row labelled ${className(labels[s]!)} but ${result.disagreeing} of its ${result.found} nearest neighbours carry another label (${result.majorityCount} ${className(result.majority)})`,
          properties: {
            label: label.classes[labels[s]!]!,
            neighbourLabel: label.classes[result.majority] ?? '',
            disagreeing: result.disagreeing,
            k: result.found,
          },
        });
      }
    }
  }

  if (on.duplicates && label) {
    const labelsOf = (group: readonly number[]) => {
      const counts = new Map<number, number>();
      for (const i of group)
        if (schema.labels[i]! >= 0) counts.set(schema.labels[i]!, (counts.get(schema.labels[i]!) ?? 0) + 1);
      return counts;
    };
    const describe = (counts: Map<number, number>) =>
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([c, count]) => `${className(c)} ×${count}`)
        .join(', ');
    const what = schema.text ? `${JSON.stringify(schema.text.name)} text` : 'feature values';
    const exactGroupOf = new Int32Array(n).fill(-1);
    if (schema.keyColumns.length > 0) {
      const groups = exactDuplicateGroups(table, all, schema.keyColumns);
      groups.forEach((group, g) => {
        for (const i of group) exactGroupOf[i] = g;
        const counts = labelsOf(group);
        if (counts.size < 2) return;
        indicators.push({
          indicator: 'conflicting-duplicates',
          rows: rowsOf(group),
          score: 1,
          severity: 'high',
          column: label.name,
          detail: `${group.length} rows with identical ${what} carry different labels: ${describe(counts)}`,
          properties: { kind: 'exact', size: group.length, labels: counts.size },
        });
      });
    }
    if (schema.text) {
      const texts = table.rows.map((row) => row[schema.text!.index]);
      const threshold = tuning.nearDuplicateJaccard ?? 0.7;
      const { clusters, signatures } = nearDuplicateClusters(texts, threshold, signal);
      for (const cluster of clusters) {
        const counts = labelsOf(cluster);
        if (counts.size < 2) continue;
        // A cluster that is one exact group was reported above.
        if (exactGroupOf[cluster[0]!]! >= 0 && cluster.every((i) => exactGroupOf[i] === exactGroupOf[cluster[0]!]))
          continue;
        let closest = 0;
        const pairs = cluster.slice(0, 200);
        for (let a = 0; a < pairs.length; a++)
          for (let b = a + 1; b < pairs.length; b++) {
            const [i, j] = [pairs[a]!, pairs[b]!];
            if (schema.labels[i] === schema.labels[j] || schema.labels[i]! < 0 || schema.labels[j]! < 0) continue;
            closest = Math.max(closest, estimatedJaccard(signatures, i, j));
          }
        indicators.push({
          indicator: 'conflicting-duplicates',
          rows: rowsOf(cluster),
          score: round(closest),
          severity: 'medium',
          column: schema.text.name,
          detail: `${cluster.length} rows with near-identical ${what} (estimated word 3-shingle Jaccard up to ${closest.toFixed(2)} across labels) carry different labels: ${describe(counts)}`,
          properties: { kind: 'near', size: cluster.length, labels: counts.size, jaccard: round(closest) },
        });
      }
    } else if (schema.keyColumns.length === 0) notes.push('no feature columns: duplicate check off');
  }

  if (on.outliers) {
    if (schema.numeric.length === 0) notes.push('no numeric feature columns: outlier check off');
    else {
      const threshold = tuning.outlierZ ?? 5;
      const found = findOutliers(table, all, schema.numeric, threshold, signal);
      notes.push(...found.notes);
      for (const outlier of found.outliers) {
        const top = outlier.values[0];
        const value = top
          ? `${JSON.stringify(top.column)} is ${top.value} where the median is ${Number(top.median.toPrecision(4))} (robust z ${top.z.toFixed(1)})`
          : '';
        const detail =
          outlier.method === 'mahalanobis'
            ? `row is far from the bulk of the numeric columns: Mahalanobis distance ${outlier.distance!.toFixed(1)} against a median of ${outlier.medianDistance!.toFixed(1)} (robust z of the log distance ${outlier.z.toFixed(1)})${value ? `; most unusual: ${value}` : ''}`
            : `${value}${outlier.values.length > 1 ? ` and ${outlier.values.length - 1} more columns` : ''}`;
        indicators.push({
          indicator: 'outlier',
          rows: [rowNumber(outlier.row)],
          score: round(Math.min(1, outlier.z / (2 * threshold))),
          severity: outlier.z >= 2 * threshold ? 'medium' : 'low',
          ...(top ? { column: top.column } : {}),
          detail,
          properties: {
            method: outlier.method,
            z: round(outlier.z),
            ...(outlier.distance === undefined ? {} : { distance: round(outlier.distance) }),
            ...(top ? { value: top.value, median: top.median, columnZ: round(top.z) } : {}),
          },
        });
      }
    }
  }

  if (on.triggers && label) {
    if (!schema.text) notes.push('no text column: trigger-token check off');
    else {
      const texts = table.rows.map((row) => row[schema.text!.index]);
      const found = triggerTokens(
        texts,
        schema.labels,
        label.classes.length,
        {
          minSupport: tuning.triggerMinSupport ?? 5,
          z: tuning.triggerZ ?? 4,
          purity: tuning.triggerPurity ?? 0.8,
          conflict: tuning.triggerConflict ?? 0.5,
          maxGrams: tuning.triggerMaxGrams ?? 2_000_000,
        },
        signal,
      );
      notes.push(...found.notes);
      for (const trigger of found.triggers) {
        const severity: PoisoningSeverity = trigger.conflict >= 0.8 && trigger.purity >= 0.95 ? 'high' : 'medium';
        indicators.push({
          indicator: 'trigger-token',
          rows: rowsOf(trigger.rows),
          score: round(trigger.purity * trigger.conflict),
          severity,
          column: schema.text.name,
          detail: `${JSON.stringify(trigger.gram)} occurs in ${trigger.support} labelled rows, ${percent(trigger.purity)} of them labelled ${className(trigger.label)} against a base rate of ${percent(trigger.baseRate)} (z ${trigger.z.toFixed(1)}); in ${percent(trigger.conflict)} of those the other words point to another label`,
          properties: {
            token: trigger.gram,
            label: label.classes[trigger.label]!,
            z: round(trigger.z),
            support: trigger.support,
            purity: round(trigger.purity),
            conflict: round(trigger.conflict),
          },
        });
      }
    }
  }

  if (options.baseline) {
    const shift = shiftIndicators(table, schema, options.baseline, {
      alpha: tuning.shiftAlpha ?? 0.001,
      minKs: tuning.shiftMinKs ?? 0.1,
      minPsi: tuning.shiftMinPsi ?? 0.1,
      labelMinPsi: tuning.labelShiftMinPsi ?? 0.01,
    });
    indicators.push(...shift.indicators);
    notes.push(...shift.notes);
  }

  return { indicators: limit(indicators, tuning.maxPerIndicator ?? 500, notes), notes };
}

/** Orders the indicators (kind, then strongest first) and keeps at most `max` of each kind. */
function limit(indicators: PoisoningIndicator[], max: number, notes: string[]): PoisoningIndicator[] {
  const kept: PoisoningIndicator[] = [];
  for (const kind of kindOrder) {
    const ofKind = indicators
      .filter((indicator) => indicator.indicator === kind)
      .sort((a, b) => b.score - a.score || (a.rows[0] ?? -1) - (b.rows[0] ?? -1));
    kept.push(...ofKind.slice(0, max));
    if (ofKind.length > max) notes.push(`${ofKind.length - max} more ${kind} indicators not listed`);
  }
  return kept;
}

function subsample(table: RowTable, count: number): RowTable {
  const chosen = sampleIndices(table.rows.length, count, 0x5eed);
  return {
    columns: table.columns,
    rows: chosen.map((i) => table.rows[i]!),
    sampled: true,
    totalRows: table.totalRows,
    rowNumbers: chosen.map((i) => table.rowNumbers?.[i] ?? i),
    ...(table.notes ? { notes: table.notes } : {}),
  };
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;
const percent = (share: number) => `${Math.round(share * 100)}%`;
