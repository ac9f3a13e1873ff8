import type { DatasetFormat } from './types.js';

/**
 * Dataset format from the first bytes (and the name only to tell CSV from TSV): Parquet by magic,
 * JSON and JSONL by their first line, binary files refused, any other text read as delimited if its
 * first lines agree on a delimiter, else as plain text.
 */
export function sniffDataset(head: Buffer, name: string): DatasetFormat | 'binary' {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (head.includes(0)) return 'binary';
  const text = head.toString('utf8').replace(/^\ufeff/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) {
    const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
    const first = lines[0] ?? '';
    try {
      JSON.parse(first);
      return lines.length > 1 ? 'jsonl' : 'json';
    } catch {
      return 'json';
    }
  }
  const delimiter = detectDelimiter(text) ?? (/\.tsv$/i.test(name) ? '\t' : /\.csv$/i.test(name) ? ',' : undefined);
  if (delimiter === '\t') return 'tsv';
  return delimiter ? 'csv' : 'text';
}

const candidates = [',', '\t', ';', '|'] as const;

/** The delimiter that splits the first lines into the same number (≥ 2) of fields, quotes respected. */
export function detectDelimiter(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .slice(0, 6)
    .filter((line) => line.length > 0);
  if (lines.length === 0) return undefined;
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  for (const delimiter of candidates) {
    const counts = complete.map((line) => countOutsideQuotes(line, delimiter));
    if ((counts[0] ?? 0) > 0 && counts.every((count) => count === counts[0])) return delimiter;
  }
  return undefined;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}
