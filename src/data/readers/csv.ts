import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import type { Cell, ReaderOptions } from './types.js';

/** Characters read per chunk. */
const CHUNK_CHARS = 1 << 20;
/** A record longer than this (an unterminated quote, usually) stops the read with an issue. */
export const MAX_RECORD_CHARS = 64 << 20;

/**
 * Records of a delimited file, streamed in batches: quoted fields spanning lines (and chunks), a BOM,
 * CRLF, LF or CR line endings, ragged rows; empty lines skipped. The first record is the header. Memory
 * holds one chunk plus the record being completed, and a record is never re-parsed more than a
 * logarithmic number of times, so a hostile unterminated quote costs linear time and bounded memory.
 * Problems (a stray quote, an unterminated one) go to `onIssue` with the 0-based record index and
 * never stop the read, except a record over `MAX_RECORD_CHARS`.
 */
export async function* readRecords(
  path: string,
  delimiter: string,
  options: ReaderOptions,
  limits: { readonly maxRecordChars: number; readonly chunkChars: number } = {
    maxRecordChars: MAX_RECORD_CHARS,
    chunkChars: CHUNK_CHARS,
  },
): AsyncGenerator<string[][]> {
  const { maxRecordChars } = limits;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: limits.chunkChars });
  let parser: Papa.Parser | undefined;
  let newline = '\n';
  /** Text not yet parsed: the unfinished last record, then chunks read since. */
  let pending = '';
  /** Characters of `pending` that arrived since the last parse. */
  let fresh = 0;
  let records = 0;
  const parse = (last: boolean): string[][] => {
    const text = pending;
    parser ??= new Papa.Parser({ delimiter, newline: newline as Papa.ParseConfig['newline'] });
    const result = parser.parse(text, 0, !last) as Papa.ParseResult<string[]>;
    const cursor = last ? text.length : result.meta.cursor;
    pending = text.slice(cursor);
    fresh = 0;
    return collect(result, newline, records, options, (count) => {
      records += count;
    });
  };
  try {
    let first = true;
    for await (const chunk of stream as AsyncIterable<string>) {
      options.signal.throwIfAborted();
      if (first) {
        first = false;
        const text = chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
        newline = guessNewline(text);
        pending = text;
        fresh = text.length;
      } else {
        pending += chunk;
        fresh += chunk.length;
      }
      // Re-parse an unfinished record only once as much new text has arrived as it already holds.
      if (fresh * 2 < pending.length) {
        if (pending.length > maxRecordChars) {
          options.onIssue({
            row: Math.max(0, records - 1),
            message: `record longer than ${maxRecordChars} characters (unterminated quote?): reading stopped`,
          });
          return;
        }
        continue;
      }
      const batch = parse(false);
      if (batch.length > 0) yield batch;
    }
    if (pending !== '') {
      const batch = parse(true);
      if (batch.length > 0) yield batch;
    }
  } finally {
    stream.destroy();
  }
}

/** Records of one parse, empty lines dropped, issues reported with their record index. */
function collect(
  result: Papa.ParseResult<string[]>,
  newline: string,
  before: number,
  options: ReaderOptions,
  advance: (count: number) => void,
): string[][] {
  const out: string[][] = [];
  const kept: number[] = [];
  for (const record of result.data) {
    kept.push(out.length);
    if (record.length === 1 && (record[0] === '' || record[0] === '\r')) continue;
    if (newline === '\n') {
      // A CRLF line in a file that mostly uses LF.
      const lastField = record[record.length - 1]!;
      if (lastField.endsWith('\r')) record[record.length - 1] = lastField.slice(0, -1);
    }
    out.push(record);
  }
  for (const error of result.errors) {
    const index = error.row === undefined ? out.length : (kept[error.row] ?? out.length);
    options.onIssue({ row: Math.max(0, before + index - 1), message: `CSV: ${error.message}` });
  }
  advance(out.length);
  return out;
}

/** The line ending the first chunk uses most: CRLF, LF or a lone CR. */
function guessNewline(text: string): string {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 10) lf++;
    else if (c === 13) {
      if (sample.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    }
  }
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

/**
 * CSV/TSV as cells, in batches: the first record is the header; rows are counted from the first data
 * record (header excluded); empty values are skipped. The cell objects are reused from batch to batch
 * (a training table has millions of values, and allocating each one cost a tenth of the scan): a batch
 * is valid until the next one is requested, and a consumer that keeps cells must copy them.
 */
export async function* readDelimited(
  path: string,
  delimiter: string,
  options: ReaderOptions,
): AsyncGenerator<readonly Cell[]> {
  let header: string[] | undefined;
  let row = 0;
  const cells: { row: number; column: string; value: string }[] = [];
  for await (const records of readRecords(path, delimiter, options)) {
    let count = 0;
    for (const record of records) {
      if (!header) {
        header = record.map((name, index) => name.trim() || `column_${index + 1}`);
        continue;
      }
      for (let index = 0; index < record.length; index++) {
        const value = record[index]!;
        if (value === '') continue;
        const column = header[index] ?? `column_${index + 1}`;
        const cell = cells[count];
        if (cell) {
          cell.row = row;
          cell.column = column;
          cell.value = value;
        } else cells.push({ row, column, value });
        count++;
      }
      row++;
    }
    if (count === 0) continue;
    cells.length = count;
    yield cells;
  }
}
