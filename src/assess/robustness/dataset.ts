import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { RobustnessError } from './errors.js';
import { readNpy } from './npy.js';

/** Bounds of every labelled-data reader. */
export const dataLimits = { maxBytes: 256 * 1024 * 1024, maxRows: 200_000, maxColumns: 100_000 } as const;

/** Labelled rows: `features` numbers per row, concatenated, and an integer class per row. */
export interface LabelledData {
  readonly x: Float32Array;
  readonly y: readonly number[];
  readonly rows: number;
  readonly features: number;
}

export interface DataSource {
  /** A CSV with numeric feature columns and a label column, or a .npy of features. */
  readonly path: string;
  /** The label column of a CSV (default `label`). */
  readonly label?: string;
  /** The labels of a .npy features file, as a .npy of integers. */
  readonly labels?: string;
}

export async function readLabelled(source: DataSource): Promise<LabelledData> {
  const info = await stat(source.path);
  if (info.size > dataLimits.maxBytes) {
    throw new RobustnessError('TOO_LARGE', `${source.path} is larger than ${dataLimits.maxBytes} bytes`);
  }
  return source.path.toLowerCase().endsWith('.npy')
    ? readNpyPair(source)
    : readCsv(source.path, source.label ?? 'label');
}

const unquote = (cell: string) => cell.trim().replace(/^"(.*)"$/, '$1');

function classOf(value: string | number, where: string): number {
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RobustnessError('PARSE_ERROR', `${where}: label ${value} is not a class index`);
  return n;
}

async function readCsv(path: string, label: string): Promise<LabelledData> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: string[] | undefined;
  let labelAt = -1;
  const values: number[] = [];
  const y: number[] = [];
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    const cells = text.split(',');
    if (!header) {
      if (cells.length > dataLimits.maxColumns) {
        throw new RobustnessError('TOO_LARGE', `${path}: more than ${dataLimits.maxColumns} columns`);
      }
      header = cells.map(unquote);
      labelAt = header.indexOf(label);
      if (labelAt < 0) throw new RobustnessError('MISMATCH', `${path}: no label column "${label}" in the header`);
      continue;
    }
    if (cells.length !== header.length) {
      throw new RobustnessError(
        'PARSE_ERROR',
        `${path} line ${line}: ${cells.length} cells, the header has ${header.length}`,
      );
    }
    if (y.length >= dataLimits.maxRows)
      throw new RobustnessError('TOO_LARGE', `${path}: more than ${dataLimits.maxRows} rows`);
    for (const [i, cell] of cells.entries()) {
      if (i === labelAt) continue;
      const n = Number(cell.trim());
      if (cell.trim() === '' || !Number.isFinite(n)) {
        throw new RobustnessError(
          'PARSE_ERROR',
          `${path} line ${line}: ${header[i]} is not a number (${cell.slice(0, 40)})`,
        );
      }
      values.push(n);
    }
    y.push(classOf(cells[labelAt]!, `${path} line ${line}`));
  }
  if (!header || y.length === 0) throw new RobustnessError('PARSE_ERROR', `${path}: no header or no data rows`);
  return { x: Float32Array.from(values), y, rows: y.length, features: header.length - 1 };
}

async function readNpyPair(source: DataSource): Promise<LabelledData> {
  if (!source.labels)
    throw new RobustnessError('MISMATCH', `${source.path}: a .npy of features needs --labels <file.npy>`);
  const features = await readNpy(source.path, dataLimits.maxBytes);
  const labels = await readNpy(source.labels, dataLimits.maxBytes);
  const rows = features.shape[0] ?? 0;
  const width = features.shape.slice(1).reduce((a, b) => a * b, 1);
  if (features.shape.length < 2 || rows === 0) {
    throw new RobustnessError(
      'MISMATCH',
      `${source.path}: expected [rows, features…], got shape (${features.shape.join(', ')})`,
    );
  }
  if (rows > dataLimits.maxRows)
    throw new RobustnessError('TOO_LARGE', `${source.path}: more than ${dataLimits.maxRows} rows`);
  if (labels.data.length !== rows) {
    throw new RobustnessError('MISMATCH', `${source.labels}: ${labels.data.length} labels for ${rows} rows`);
  }
  if (features.data.some((v) => !Number.isFinite(v))) {
    throw new RobustnessError('PARSE_ERROR', `${source.path}: features hold NaN or infinite values`);
  }
  const y = Array.from(labels.data, (v, i) => classOf(v, `${source.labels} row ${i}`));
  return { x: Float32Array.from(features.data), y, rows, features: width };
}
