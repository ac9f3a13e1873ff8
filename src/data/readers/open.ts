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
  /**
   * The dataset's values in batches (a chunk of CSV records, a slice of other formats); undefined for
   * files that are not datasets. A batch is valid until the next is requested: copy cells to keep them.
   */
  readonly cells: AsyncIterable<readonly Cell[]> | undefined;
}

export interface SniffedDataset {
  readonly size: number;
  /** Undefined for files that are not datasets (binary). */
  readonly format: DatasetFormat | undefined;
  /** Field delimiter of CSV and TSV files. */
  readonly delimiter: string | undefined;
  /** Whether the first lines end with CRLF (rewriters keep the file's line endings). */
  readonly crlf: boolean;
}

/** Reads a dataset file's first bytes once and decides its format and dialect. */
export async function sniffDatasetFile(path: string): Promise<SniffedDataset> {
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
  const text = head.toString('utf8');
  const delimiter =
    sniffed === 'csv' || sniffed === 'tsv' ? (detectDelimiter(text) ?? (sniffed === 'tsv' ? '\t' : ',')) : undefined;
  return { size, format: sniffed === 'binary' ? undefined : sniffed, delimiter, crlf: text.includes('\r\n') };
}

/** Sniffs a dataset file and returns the reader for its format: the one place formats map to readers. */
export async function openDataset(path: string, options: ReaderOptions): Promise<OpenedDataset> {
  const { size, format, delimiter } = await sniffDatasetFile(path);
  if (format === undefined) return { size, format, cells: undefined };
  const cells =
    delimiter !== undefined
      ? readDelimited(path, delimiter, options)
      : batched(
          format === 'json'
            ? readJsonDocument(path, options)
            : format === 'jsonl'
              ? readJsonLines(path, options)
              : format === 'text'
                ? readTextLines(path, options)
                : readParquet(path, options),
        );
  return { size, format, cells };
}

const BATCH = 1024;

/** Cells of a one-at-a-time reader, handed on in batches like the CSV reader's. */
async function* batched(cells: AsyncIterable<Cell>): AsyncGenerator<Cell[]> {
  let batch: Cell[] = [];
  for await (const cell of cells) {
    batch.push(cell);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
