import type { RowTable } from './types.js';

/** More distinct values than this and a column is no class label. */
const maxClasses = 100;

const numberPattern = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A finite number, or undefined for anything that is not plainly one (`0x1A`, `1,5`, empty). */
export function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || !numberPattern.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Words of a text: lowercased runs of letters and digits (an apostrophe inside a word is kept). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

function countWords(text: string): number {
  let words = 1;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const previous = text.charCodeAt(i - 1);
    if ((code === 32 || code === 9 || code === 10 || code === 13) && previous !== 32 && previous !== 9) words++;
  }
  return words;
}

export interface ColumnProfile {
  readonly index: number;
  readonly name: string;
  /** Rows with a value. */
  readonly present: number;
  /** Values that parse as numbers. */
  readonly numeric: number;
  readonly distinct: number;
  /** Every numeric value an integer. */
  readonly integer: boolean;
  /** Numeric values strictly increasing down the rows. */
  readonly increasing: boolean;
  readonly averageLength: number;
  readonly averageWords: number;
}

export function profileColumns(table: RowTable): ColumnProfile[] {
  return table.columns.map((name, index) => {
    const distinct = new Set<string>();
    const numericDistinct = new Set<number>();
    let present = 0;
    let numeric = 0;
    let integer = true;
    let increasing = true;
    let previous = Number.NEGATIVE_INFINITY;
    let length = 0;
    let words = 0;
    for (const row of table.rows) {
      const value = row[index];
      if (value === undefined) continue;
      const trimmed = value.trim();
      if (trimmed === '') continue;
      present++;
      length += value.length;
      const number = parseNumber(trimmed);
      if (number === undefined) {
        distinct.add(trimmed);
        words += countWords(trimmed);
        continue;
      }
      // Numbers: enough distinct values to tell a class label or a constant; an identifier is told by increasing.
      if (numericDistinct.size <= maxClasses) numericDistinct.add(number);
      words++;
      numeric++;
      if (!Number.isInteger(number)) integer = false;
      if (number <= previous) increasing = false;
      previous = number;
    }
    return {
      index,
      name,
      present,
      numeric,
      distinct: distinct.size + (numericDistinct.size > maxClasses && increasing ? numeric : numericDistinct.size),
      integer,
      increasing,
      averageLength: present === 0 ? 0 : length / present,
      averageWords: present === 0 ? 0 : words / present,
    };
  });
}

/** Label column names, most specific first; matched against the last segment of a JSON path too. */
const labelNames = [
  'label',
  'labels',
  'target',
  'class',
  'y',
  'category',
  'sentiment',
  'classification',
  'outcome',
  'gold_label',
  'gold',
  'intent',
  'annotation',
  'species',
];
const labelSuffix = /(?:^|[_\-. ])(?:label|target|class)$/i;
const idNames = /^(?:id|_id|index|idx|row|row_?id|row_?number|unnamed: ?0|key|uuid|guid)$/i;

const lastSegment = (name: string) =>
  name
    .replace(/\[\d+\]$/, '')
    .split('.')
    .pop()!
    .toLowerCase();

export interface Schema {
  readonly label?: { readonly index: number; readonly name: string; readonly classes: string[] };
  /** Class index of each row's label, -1 where there is none. */
  readonly labels: Int32Array;
  readonly text?: { readonly index: number; readonly name: string };
  /** Numeric feature columns (not the label, not row identifiers, not constant). */
  readonly numeric: ColumnProfile[];
  /** Low-cardinality string columns (not the label, not the text). */
  readonly categorical: ColumnProfile[];
  /** Columns that make up a row's identity for exact duplicates. */
  readonly keyColumns: number[];
  readonly notes: string[];
}

export interface SchemaOptions {
  readonly labelColumn?: string;
  readonly textColumn?: string;
}

export function resolveSchema(table: RowTable, profiles: ColumnProfile[], options: SchemaOptions): Schema {
  const notes: string[] = [];
  const rows = table.rows.length;
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const isNumeric = (p: ColumnProfile) => p.present > 0 && p.numeric >= 0.95 * p.present;
  const isId = (p: ColumnProfile) =>
    idNames.test(lastSegment(p.name)) || (isNumeric(p) && p.integer && p.increasing && p.distinct === p.present);

  let labelProfile: ColumnProfile | undefined;
  if (options.labelColumn !== undefined) {
    labelProfile = byName.get(options.labelColumn);
    if (!labelProfile)
      notes.push(`label column ${JSON.stringify(options.labelColumn)} not found: label indicators off`);
  } else {
    for (const name of labelNames) {
      labelProfile = profiles.find((p) => lastSegment(p.name) === name && p.present > 0);
      if (labelProfile) break;
    }
    labelProfile ??= profiles.find((p) => labelSuffix.test(lastSegment(p.name)) && p.present > 0);
    if (!labelProfile) notes.push('no label column found: label indicators off');
  }
  if (labelProfile && (labelProfile.distinct < 2 || labelProfile.distinct > Math.min(maxClasses, rows / 2))) {
    notes.push(
      `column ${JSON.stringify(labelProfile.name)} has ${labelProfile.distinct > maxClasses ? `more than ${maxClasses}` : labelProfile.distinct} distinct values, not a class label: label indicators off`,
    );
    labelProfile = undefined;
  }

  const labels = new Int32Array(rows).fill(-1);
  let label: Schema['label'];
  if (labelProfile) {
    const classIndex = new Map<string, number>();
    for (let r = 0; r < rows; r++) {
      const value = table.rows[r]![labelProfile.index]?.trim();
      if (value === undefined || value === '') continue;
      let c = classIndex.get(value);
      if (c === undefined) {
        c = classIndex.size;
        classIndex.set(value, c);
      }
      labels[r] = c;
    }
    label = { index: labelProfile.index, name: labelProfile.name, classes: [...classIndex.keys()] };
  }

  let textProfile: ColumnProfile | undefined;
  if (options.textColumn !== undefined) {
    textProfile = byName.get(options.textColumn);
    if (!textProfile) notes.push(`text column ${JSON.stringify(options.textColumn)} not found: text indicators off`);
  } else {
    for (const p of profiles) {
      if (p === labelProfile || isNumeric(p) || p.averageWords < 3 || p.present < 0.5 * rows) continue;
      if (!textProfile || p.averageLength > textProfile.averageLength) textProfile = p;
    }
  }

  const numeric: ColumnProfile[] = [];
  const categorical: ColumnProfile[] = [];
  const keyColumns: number[] = [];
  const ids: string[] = [];
  for (const p of profiles) {
    if (p === labelProfile || p.present === 0) continue;
    if (isId(p)) {
      ids.push(p.name);
      continue;
    }
    if (p === textProfile) continue;
    if (isNumeric(p)) {
      if (p.distinct > 1 && p.present >= 0.5 * rows) numeric.push(p);
      keyColumns.push(p.index);
    } else {
      // A string column with a different value in every row is an identifier in all but name.
      if (p.distinct === p.present && p.present > 1) {
        ids.push(p.name);
        continue;
      }
      if (p.distinct > 1 && p.distinct <= 50) categorical.push(p);
      keyColumns.push(p.index);
    }
  }
  if (ids.length > 0) notes.push(`row identifier columns left out of the indicators: ${ids.join(', ')}`);
  // With a text column, two rows are the same example when their texts are the same.
  const key = textProfile ? [textProfile.index] : keyColumns;
  return {
    ...(label ? { label } : {}),
    labels,
    ...(textProfile ? { text: { index: textProfile.index, name: textProfile.name } } : {}),
    numeric,
    categorical,
    keyColumns: key,
    notes,
  };
}

/**
 * The numeric features as a row-major matrix, each column standardised to mean 0 and standard
 * deviation 1; a missing or non-numeric value becomes 0 (the column mean).
 */
export function standardise(table: RowTable, rows: readonly number[], columns: readonly ColumnProfile[]): Float64Array {
  const d = columns.length;
  const matrix = new Float64Array(rows.length * d);
  for (let c = 0; c < d; c++) {
    const index = columns[c]!.index;
    let sum = 0;
    let squares = 0;
    let count = 0;
    for (let i = 0; i < rows.length; i++) {
      const x = parseNumber(table.rows[rows[i]!]![index]);
      matrix[i * d + c] = x ?? Number.NaN;
      if (x === undefined) continue;
      sum += x;
      squares += x * x;
      count++;
    }
    const mean = count === 0 ? 0 : sum / count;
    const sd = count < 2 ? 0 : Math.sqrt(Math.max(0, squares / count - mean * mean));
    for (let i = 0; i < rows.length; i++) {
      const x = matrix[i * d + c]!;
      matrix[i * d + c] = Number.isNaN(x) || sd === 0 ? 0 : (x - mean) / sd;
    }
  }
  return matrix;
}
