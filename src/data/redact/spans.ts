import type { Finding } from '../../contracts/index.js';

/** What to mask in one value: character spans with the entity that names the replacement. */
export interface Mask {
  readonly start: number;
  readonly end: number;
  readonly entity: string;
}

/** Masks per row, then per column ('' for values without a column: text lines, broken JSON lines). */
export type MaskIndex = Map<number, Map<string, Mask[]>>;

export function indexMasks(findings: readonly Finding[]): MaskIndex {
  const index: MaskIndex = new Map();
  for (const finding of findings) {
    const { row, column, span } = finding.location;
    if (row === undefined || !span || !finding.entity) continue;
    let byColumn = index.get(row);
    if (!byColumn) {
      byColumn = new Map();
      index.set(row, byColumn);
    }
    const key = column ?? '';
    const list = byColumn.get(key) ?? [];
    list.push({ start: span[0], end: span[1], entity: finding.entity });
    byColumn.set(key, list);
  }
  return index;
}

/** Replaces each span with `[ENTITY]`; overlapping spans merge and keep the first entity. */
export function applyMasks(value: string, masks: readonly Mask[] | undefined): string {
  if (!masks || masks.length === 0) return value;
  const sorted = [...masks].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const mask of sorted) {
    if (mask.start < cursor) {
      // Overlaps the span just replaced: widen it instead of adding another placeholder.
      cursor = Math.max(cursor, mask.end);
      continue;
    }
    out += `${value.slice(cursor, mask.start)}[${mask.entity}]`;
    cursor = mask.end;
  }
  return out + value.slice(cursor);
}
