import { readFile, stat } from 'node:fs/promises';
import { leaves, readTextLines } from './lines.js';
import type { Cell, ReaderOptions } from './types.js';

/** Whole JSON documents are parsed in memory up to this size; larger ones are scanned as text lines. */
export const maxJsonDocument = 256 << 20;

/**
 * A JSON document: a top-level array is a list of records (the row is the index), anything else is one
 * record. Leaves carry their path inside the record.
 */
export async function* readJsonDocument(path: string, options: ReaderOptions): AsyncGenerator<Cell> {
  const { size } = await stat(path);
  if (size > maxJsonDocument) {
    options.onIssue({
      message: `JSON document of ${size} bytes is larger than ${maxJsonDocument}; scanned as text lines`,
    });
    yield* readTextLines(path, options);
    return;
  }
  let document: unknown;
  try {
    document = JSON.parse((await readFile(path, 'utf8')).replace(/^\ufeff/, ''));
  } catch (error) {
    options.onIssue({ message: `not valid JSON (${(error as Error).message}); scanned as text lines` });
    yield* readTextLines(path, options);
    return;
  }
  const records = Array.isArray(document) ? document : [document];
  for (let row = 0; row < records.length; row++) {
    options.signal.throwIfAborted();
    for (const [column, value] of leaves(records[row])) yield { row, ...(column ? { column } : {}), value };
  }
}
