import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Cell, ReaderOptions } from './types.js';

/**
 * CSV/TSV, streamed: quoted fields spanning lines, a BOM, ragged rows. The first record is the header;
 * rows are counted from the first data record. Memory holds one record at a time.
 */
export async function* readDelimited(path: string, delimiter: string, options: ReaderOptions): AsyncGenerator<Cell> {
  const parser = createReadStream(path).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 64 << 20,
    }),
  );
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      options.signal.throwIfAborted();
      if (!header) {
        header = record.map((name, index) => name.trim() || `column_${index + 1}`);
        continue;
      }
      for (let index = 0; index < record.length; index++) {
        const value = record[index] as string;
        if (value !== '') yield { row, column: header[index] ?? `column_${index + 1}`, value };
      }
      row++;
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    options.onIssue({ row, message: `CSV parsing stopped: ${(error as Error).message}` });
  } finally {
    parser.destroy();
  }
}
