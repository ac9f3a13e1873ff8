import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import Papa from 'papaparse';
import { ExplainError } from './errors.js';

/** Largest CSV read: rows are bounded too, this bounds one hostile record. */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

export interface TableLimits {
  /** Data rows read; the rest of the file is left unread and `truncated` says so. */
  readonly maxRows: number;
  readonly maxColumns: number;
}

export interface TableChoice {
  /** Column holding class indices (0, 1, …); optional. */
  readonly label?: string | undefined;
  /** Model input columns in order; default: every column but the label, in file order. */
  readonly features?: readonly string[] | undefined;
}

/** The numeric model input read from a CSV: one Float64Array per feature column, and the labels. */
export interface Table {
  readonly header: readonly string[];
  readonly features: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly labels?: Int32Array;
  readonly rows: number;
  readonly truncated: boolean;
}

/** Rows of the table as one Float32Array (row-major), the shape the ONNX runner takes. */
export function rowMajor(table: Pick<Table, 'columns' | 'rows'>, indices?: readonly number[]): Float32Array {
  const rows = indices ?? Array.from({ length: table.rows }, (_, i) => i);
  const width = table.columns.length;
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    for (let j = 0; j < width; j++) out[r * width + j] = table.columns[j]![row]!;
  });
  return out;
}

/**
 * Reads a CSV with a header, streamed with papaparse and stopped after `maxRows` data rows. Every chosen
 * column must be numeric in every row; a ragged row, a quote error or a non-number stops the read with
 * an error naming the row and column, since a silently dropped row would change the explanation.
 */
export async function readTable(path: string, choice: TableChoice, limits: TableLimits): Promise<Table> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new ExplainError('CSV_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`);
  }
  if (size > MAX_CSV_BYTES) throw new ExplainError('CSV_UNREADABLE', `${path} is larger than ${MAX_CSV_BYTES} bytes`);
  let header: string[] | undefined;
  let picked: number[] = [];
  let labelAt = -1;
  let features: string[] = [];
  const values: number[][] = [];
  const labels: number[] = [];
  let truncated = false;
  let failure: ExplainError | undefined;
  const fail = (message: string) => {
    failure ??= new ExplainError('CSV_INVALID', `${path}: ${message}`);
  };

  const onHeader = (record: string[]) => {
    header = record.map((name) => name.trim());
    if (header.length > limits.maxColumns) return fail(`${header.length} columns, more than ${limits.maxColumns}`);
    const seen = new Set<string>();
    for (const name of header) {
      if (name === '') return fail('the header has an empty column name');
      if (seen.has(name)) return fail(`the header repeats the column ${name}`);
      seen.add(name);
    }
    if (choice.label !== undefined) {
      labelAt = header.indexOf(choice.label);
      if (labelAt < 0) return fail(`no label column ${choice.label} (columns: ${header.join(', ')})`);
    }
    features = choice.features ? [...choice.features] : header.filter((_, i) => i !== labelAt);
    picked = features.map((name) => header!.indexOf(name));
    const missing = features.filter((_, i) => picked[i]! < 0);
    if (missing.length > 0) return fail(`no column ${missing.join(', ')} (columns: ${header.join(', ')})`);
    if (features.length === 0) return fail('no feature columns');
    values.push(...features.map(() => []));
  };

  const onRecord = (record: string[], line: number) => {
    if (record.length !== header!.length)
      return fail(`row ${line} has ${record.length} fields, the header has ${header!.length}`);
    for (let j = 0; j < picked.length; j++) {
      const text = record[picked[j]!]!.trim();
      const value = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(value))
        return fail(`row ${line}, column ${features[j]}: ${JSON.stringify(text.slice(0, 40))} is not a number`);
      values[j]!.push(value);
    }
    if (labelAt >= 0) {
      const text = record[labelAt]!.trim();
      const value = Number(text);
      if (text === '' || !Number.isInteger(value) || value < 0)
        return fail(`row ${line}, label ${choice.label}: ${JSON.stringify(text.slice(0, 40))} is not a class index`);
      labels.push(value);
    }
  };

  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path, { encoding: 'utf8' });
    stream.on('error', (error) => reject(new ExplainError('CSV_UNREADABLE', `cannot read ${path}: ${error.message}`)));
    let line = 0;
    Papa.parse<string[]>(stream as unknown as File, {
      skipEmptyLines: 'greedy',
      step: (result, parser) => {
        if (failure) return;
        const quoteError = result.errors.find((error) => error.type === 'Quotes');
        if (quoteError) fail(`row ${line}: ${quoteError.message}`);
        else if (!header) onHeader(result.data);
        else if (values[0]!.length >= limits.maxRows) truncated = true;
        else onRecord(result.data, line);
        line++;
        if (failure || truncated) parser.abort();
      },
      complete: () => {
        stream.destroy();
        resolve();
      },
      error: (error: Error) => reject(new ExplainError('CSV_INVALID', `${path}: ${error.message}`)),
    });
  });
  if (failure) throw failure;
  if (!header) throw new ExplainError('CSV_INVALID', `${path}: empty file, no header`);
  const rows = values[0]!.length;
  if (rows === 0) throw new ExplainError('CSV_INVALID', `${path}: no data rows`);
  return {
    header,
    features,
    columns: values.map((column) => Float64Array.from(column)),
    ...(labelAt >= 0 ? { labels: Int32Array.from(labels) } : {}),
    rows,
    truncated,
  };
}
