import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Cell, ReaderOptions } from './types.js';

const maxLine = 16 << 20;

/** Plain text, line by line: the row is the 0-based line number and spans are offsets in the line. */
export async function* readTextLines(path: string, options: ReaderOptions): AsyncGenerator<Cell> {
  let row = 0;
  for await (const line of lines(path)) {
    options.signal.throwIfAborted();
    if (line.length > maxLine)
      options.onIssue({ row, message: `line longer than ${maxLine} characters; first part scanned` });
    if (line !== '') yield { row, value: line.length > maxLine ? line.slice(0, maxLine) : line };
    row++;
  }
}

/**
 * JSON Lines: each line one JSON value, walked into its string and number leaves with their paths.
 * A line that is not JSON is reported and scanned as text, so nothing in it passes unseen.
 */
export async function* readJsonLines(path: string, options: ReaderOptions): AsyncGenerator<Cell> {
  let row = 0;
  for await (const line of lines(path)) {
    options.signal.throwIfAborted();
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      options.onIssue({ row, message: `line is not JSON (${(error as Error).message}); scanned as text` });
      yield { row, value: line };
      row++;
      continue;
    }
    for (const [column, value] of leaves(record)) yield { row, column, value };
    row++;
  }
}

function lines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
}

const maxDepth = 64;

/** String and number leaves of a JSON value with dotted paths (`user.contact.email`, `tags[2]`). */
export function* leaves(value: unknown, path = '', depth = 0): Generator<[string, string]> {
  if (typeof value === 'string') {
    if (value !== '') yield [path, value];
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    yield [path, String(value)];
  } else if (depth < maxDepth && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], `${path}[${i}]`, depth + 1);
  } else if (depth < maxDepth && value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* leaves(item, path ? `${path}.${key}` : key, depth + 1);
  }
}
