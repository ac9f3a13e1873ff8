import { type FileHandle, open } from 'node:fs/promises';
import {
  type AsyncBuffer,
  type ColumnChunk,
  type ColumnData,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaTree,
} from 'hyparquet';
import { messageOf, PageGuard } from './parquet-pages.js';
import type { Cell, ReaderOptions } from './types.js';

/*
 * Memory bound (limits in `defaultLimits`). The footer is read once (at most `maxFooterBytes`). After that
 * exactly one read is in flight: one top-level column (all its leaf chunks) of one row group, or of one
 * row range of it.
 * Held at once: the compressed bytes of that read (at most `maxReadBytes`; only the pages of the range
 * when it is read through offset indexes), one decompressed page while it is decoded (at most `maxPageBytes`),
 * the decompressed pages kept from the page checks for the decode (at most `maxKeptBytes`; parquet-pages.ts),
 * and the decoded values of the read (at most `maxValuesPerRead`, checked from the page headers before
 * anything is decoded, so a few bytes of run-length data cannot expand into billions of values).
 * Column chunks larger than `sliceBytes` uncompressed are read in row ranges when offset indexes allow.
 * Reads that break a limit are reported and skipped; the rest of the file is still scanned.
 */
export interface ParquetLimits {
  readonly maxFooterBytes: number;
  readonly maxReadBytes: number;
  readonly maxPageBytes: number;
  readonly maxValuesPerRead: number;
  readonly maxKeptBytes: number;
  readonly sliceBytes: number;
}

const defaultLimits: ParquetLimits = {
  maxFooterBytes: 256 << 20,
  maxReadBytes: 1 << 30,
  maxPageBytes: 256 << 20,
  maxValuesPerRead: 1 << 26,
  maxKeptBytes: 64 << 20,
  sliceBytes: 64 << 20,
};
/** Damaged chunks tolerated before the file is given up on. */
const maxChunkIssues = 16;
const maxDepth = 64;

/**
 * Parquet, row group by row group and column by column from byte ranges (hyparquet): every string and
 * number with its 0-based row across row groups and its column path (`user.email`, `tags[2]`).
 * A damaged footer stops the file; a damaged column chunk is reported and the next one is read.
 */
export function readParquet(path: string, options: ReaderOptions): AsyncGenerator<Cell> {
  return readParquetWithin(path, options, defaultLimits);
}

/** `readParquet` with other limits; for tests. */
export async function* readParquetWithin(
  path: string,
  options: ReaderOptions,
  limits: ParquetLimits,
): AsyncGenerator<Cell> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const size = (await handle.stat()).size;
    const guard = new PageGuard(limits);
    const file = fileBuffer(handle, size, guard, limits.maxReadBytes);

    let metadata: FileMetaData;
    try {
      await checkFooter(handle, size, limits.maxFooterBytes);
      metadata = await parquetMetadataAsync(file);
    } catch (error) {
      if (options.signal.aborted) throw error;
      options.onIssue({ message: `Parquet file not read: ${messageOf(error)}` });
      return;
    }

    const schema = parquetSchema(metadata);
    const columns = [...new Set(schema.children.map((child) => child.element.name))];
    let chunkIssues = 0;
    let groupStart = 0;
    for (const [groupIndex, rowGroup] of metadata.row_groups.entries()) {
      const groupRows = Number(rowGroup.num_rows);
      if (!Number.isSafeInteger(groupRows) || groupRows < 0) {
        options.onIssue({
          row: groupStart,
          message: `Parquet row group ${groupIndex} has an invalid row count; stopped`,
        });
        return;
      }
      for (const column of columns) {
        const leaves = rowGroup.columns.filter((chunk) => chunk.meta_data?.path_in_schema[0] === column);
        for (const [rowStart, rowEnd] of rowRanges(leaves, groupStart, groupRows, size, limits.sliceBytes)) {
          options.signal.throwIfAborted();
          const data: ColumnData[] = [];
          try {
            checkChunks(schema, leaves, size);
            const whole = rowEnd - rowStart === groupRows;
            const compressed = leaves.reduce((sum, chunk) => sum + Number(chunk.meta_data?.total_compressed_size), 0);
            if (whole && compressed > limits.maxReadBytes) {
              throw new Error(`${compressed} compressed bytes exceed the ${limits.maxReadBytes}-byte read limit`);
            }
            guard.watch(schema, leaves);
            await parquetRead({
              file,
              metadata,
              columns: [column],
              rowStart,
              rowEnd,
              useOffsetIndex: !whole,
              compressors: guard.compressors,
              onChunk: (chunk) => data.push(chunk),
            });
          } catch (error) {
            if (options.signal.aborted) throw error;
            options.onIssue({
              row: rowStart,
              message: `Parquet column "${column}" of row group ${groupIndex} not read: ${messageOf(error)}`,
            });
            if (++chunkIssues >= maxChunkIssues) {
              options.onIssue({ row: rowStart, message: `${chunkIssues} damaged Parquet column chunks; stopped` });
              return;
            }
            break;
          } finally {
            guard.watch(schema, []);
          }
          for (const chunk of data) {
            for (let index = 0; index < chunk.columnData.length; index++) {
              const row = chunk.rowStart + index;
              // Pages read through an offset index may reach outside the requested range.
              if (row < rowStart || row >= rowEnd) continue;
              options.signal.throwIfAborted();
              for (const [path, value] of cellValues(chunk.columnData[index], column, 0)) {
                yield { row, column: path, value };
              }
            }
          }
        }
      }
      groupStart += groupRows;
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    options.onIssue({ message: `Parquet reading stopped: ${messageOf(error)}` });
  } finally {
    await handle?.close();
  }
}

/** The magic numbers and footer length, checked first so a truncated file gets a message that says so. */
async function checkFooter(handle: FileHandle, size: number, maxFooterBytes: number): Promise<void> {
  if (size < 12) throw new Error(`${size} bytes is too short for a Parquet file (truncated?)`);
  const head = await readAt(handle, 0, 4);
  const tail = await readAt(handle, size - 8, 8);
  const magic = tail.toString('latin1', 4, 8);
  if (magic === 'PARE') throw new Error('the footer is encrypted');
  if (magic !== 'PAR1') throw new Error('no PAR1 magic at the end of the file (truncated?)');
  if (head.toString('latin1') !== 'PAR1') throw new Error('no PAR1 magic at the start of the file');
  const footer = tail.readUInt32LE(0);
  if (footer > size - 12) throw new Error(`footer of ${footer} bytes is longer than the file (truncated?)`);
  if (footer > maxFooterBytes) throw new Error(`footer of ${footer} bytes exceeds the ${maxFooterBytes}-byte limit`);
}

/**
 * Each leaf chunk must lie inside the file and name a distinct leaf of the schema. hyparquet starts
 * reading some chunks before it finds that another names no schema element, and the rejection of
 * those reads would escape as an unhandled rejection.
 */
function checkChunks(schema: SchemaTree, leaves: readonly ColumnChunk[], size: number): void {
  const seen = new Set<string>();
  for (const chunk of leaves) {
    const meta = chunk.meta_data;
    if (!meta) throw new Error('column chunk without metadata');
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = start + Number(meta.total_compressed_size);
    if (!(start >= 0 && end <= size)) throw new Error('column chunk lies outside the file (truncated?)');
    let node = schema;
    for (const part of meta.path_in_schema) {
      const child = node.children.find((candidate) => candidate.element.name === part);
      if (!child) throw new Error(`column chunk path ${JSON.stringify(meta.path_in_schema)} is not in the schema`);
      node = child;
    }
    const key = JSON.stringify(meta.path_in_schema);
    if (node.children.length > 0 || seen.has(key)) {
      throw new Error(`column chunk path ${key} is not a distinct leaf of the schema`);
    }
    seen.add(key);
  }
}

/**
 * Row ranges to read one top-level column of one row group in: the whole group, or slices of about
 * `sliceBytes` uncompressed when the chunk is large and every leaf has an offset index to seek with.
 */
function rowRanges(
  leaves: readonly ColumnChunk[],
  groupStart: number,
  groupRows: number,
  size: number,
  sliceBytes: number,
): [number, number][] {
  const ranges: [number, number][] = [];
  if (groupRows === 0) return ranges;
  const bytes = leaves.reduce((sum, chunk) => sum + Number(chunk.meta_data?.total_uncompressed_size ?? 0), 0);
  const seekable = leaves.every(
    (chunk) =>
      chunk.offset_index_offset !== undefined &&
      chunk.offset_index_length !== undefined &&
      Number(chunk.offset_index_offset) + chunk.offset_index_length <= size,
  );
  const parts = seekable && bytes > sliceBytes ? Math.min(groupRows, Math.ceil(bytes / sliceBytes)) : 1;
  const step = Math.ceil(groupRows / parts);
  for (let start = 0; start < groupRows; start += step) {
    ranges.push([groupStart + start, groupStart + Math.min(start + step, groupRows)]);
  }
  return ranges;
}

/** Random access over the file handle: hyparquet asks for the footer, then for column chunk byte ranges. */
function fileBuffer(handle: FileHandle, size: number, guard: PageGuard, maxReadBytes: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const from = Math.max(0, Math.min(start, size));
      const to = Math.max(from, Math.min(end, size));
      if (to - from > maxReadBytes) {
        throw new Error(`a read of ${to - from} bytes exceeds the ${maxReadBytes}-byte limit`);
      }
      const bytes = new Uint8Array(to - from);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, from + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      guard.check(bytes, from);
      return bytes.buffer;
    },
  };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** String-like and numeric leaves of one decoded value with their paths; booleans and nulls are skipped. */
function* cellValues(value: unknown, path: string, depth: number): Generator<[string, string]> {
  if (typeof value === 'string') {
    if (value !== '') yield [path, value];
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    yield [path, String(value)];
  } else if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) yield [path, value.toISOString()];
  } else if (value instanceof Uint8Array) {
    // Raw bytes (BYTE_ARRAY values are already decoded as UTF-8 by hyparquet): scanned only if they are text.
    const text = utf8(value);
    if (text) yield [path, text];
  } else if (depth >= maxDepth || value === null || typeof value !== 'object') {
    return;
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as ArrayLike<unknown>;
    for (let index = 0; index < items.length; index++) yield* cellValues(items[index], `${path}[${index}]`, depth + 1);
  } else if (value instanceof Map) {
    for (const [key, item] of value) yield* cellValues(item, `${path}.${String(key)}`, depth + 1);
  } else {
    for (const [key, item] of Object.entries(value)) yield* cellValues(item, `${path}.${key}`, depth + 1);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
