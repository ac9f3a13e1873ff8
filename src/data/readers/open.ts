import { open } from 'node:fs/promises';
import { readDelimited } from './csv.js';
import { readJsonDocument } from './json.js';
import { readJsonLines, readTextLines } from './lines.js';
import { readParquet } from './parquet.js';
import { detectDelimiter, sniffDataset } from './sniff.js';
import type { Cell, DatasetFormat, ReaderOptions } from './types.js';

export interface OpenedDataset {
  readonly size: number;
  /** Undefined for files that are not datasets (binary). */
  readonly format: DatasetFormat | undefined;
  /** Undefined for files that are not datasets. */
  readonly cells: AsyncIterable<Cell> | undefined;
}

/** Sniffs a dataset file and returns the reader for its format: the one place formats map to readers. */
export async function openDataset(path: string, options: ReaderOptions): Promise<OpenedDataset> {
  const handle = await open(path, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const sniffed = sniffDataset(head, path);
  if (sniffed === 'binary') return { size, format: undefined, cells: undefined };
  if (sniffed === 'csv' || sniffed === 'tsv') {
    const delimiter = detectDelimiter(head.toString('utf8')) ?? (sniffed === 'tsv' ? '\t' : ',');
    return { size, format: sniffed, cells: readDelimited(path, delimiter, options) };
  }
  const cells =
    sniffed === 'json'
      ? readJsonDocument(path, options)
      : sniffed === 'jsonl'
        ? readJsonLines(path, options)
        : sniffed === 'text'
          ? readTextLines(path, options)
          : readParquet(path, options);
  return { size, format: sniffed, cells };
}
