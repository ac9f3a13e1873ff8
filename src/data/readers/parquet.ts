import { type FileHandle, open } from 'node:fs/promises';
import {
  type AsyncBuffer,
  type ColumnChunk,
  type ColumnData,
  type Compressors,
  type FileMetaData,
  type PageHeader,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaTree,
  snappyUncompress,
} from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import {
  decompressBrotli,
  decompressGzip,
  decompressLz4,
  decompressLz4Raw,
  decompressZstd,
} from 'hyparquet-compressors';
import { checkDataPage, checkLevelsV2, checkValuesV2, type LeafShape, leafShape } from './parquet-runs.js';
import type { Cell, ReaderOptions } from './types.js';

/*
 * Memory bound (limits in `defaultLimits`). The footer is read once (at most `maxFooterBytes`). After that
 * exactly one read is in flight: one top-level column (all its leaf chunks) of one row group, or of one
 * row range of it.
 * Held at once: the compressed bytes of that read (at most `maxReadBytes`; only the pages of the range
 * when it is read through offset indexes), one decompressed page while it is decoded (at most `maxPageBytes`),
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
  readonly sliceBytes: number;
}

const defaultLimits: ParquetLimits = {
  maxFooterBytes: 256 << 20,
  maxReadBytes: 1 << 30,
  maxPageBytes: 256 << 20,
  maxValuesPerRead: 1 << 26,
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
              compressors,
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

/**
 * Walks the page headers of every byte range read from the watched column chunks before hyparquet
 * decodes them, and refuses pages whose declared sizes or value counts would break the memory bound,
 * or whose run-length streams would overrun what they decode into (parquet-runs.ts). A compressed page
 * is decompressed for that check and again by hyparquet: hyparquet copies the bytes it reads, so a page
 * cannot be matched to its header when it reaches the decompressor, and one page at a time is all this
 * holds. Ranges outside the chunks (footer, offset indexes) pass untouched.
 */
class PageGuard {
  private chunks: { start: number; end: number; leaf: LeafShape }[] = [];
  private values = 0;

  constructor(private readonly limits: ParquetLimits) {}

  watch(schema: SchemaTree, leaves: readonly ColumnChunk[]): void {
    this.values = 0;
    this.chunks = [];
    for (const chunk of leaves) {
      const meta = chunk.meta_data;
      if (!meta) continue;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      this.chunks.push({ start, end: start + Number(meta.total_compressed_size), leaf: leafShape(schema, chunk) });
    }
  }

  check(bytes: Uint8Array, offset: number): void {
    for (const chunk of this.chunks) {
      const from = Math.max(chunk.start, offset);
      const to = Math.min(chunk.end, offset + bytes.length);
      if (from >= to) continue;
      const view = new DataView(bytes.buffer, bytes.byteOffset + (from - offset), to - from);
      const reader = { view, offset: 0 };
      while (reader.offset < view.byteLength - 1) {
        let header: PageHeader;
        try {
          header = parquetHeader(reader);
        } catch (error) {
          throw new Error(`malformed page header (${messageOf(error)})`);
        }
        this.values += pageValues(header, this.limits.maxPageBytes);
        if (this.values > this.limits.maxValuesPerRead) {
          throw new Error(
            `pages declare more than ${this.limits.maxValuesPerRead} values in one read; skipped as a decompression bomb`,
          );
        }
        if (reader.offset + header.compressed_page_size > view.byteLength) {
          throw new Error('a page runs past the end of its column chunk');
        }
        const body = new Uint8Array(view.buffer, view.byteOffset + reader.offset, header.compressed_page_size);
        this.checkRuns(body, header, chunk.leaf);
        reader.offset += header.compressed_page_size;
      }
    }
  }

  /** The run-length checks of one page, on its decompressed bytes. */
  private checkRuns(body: Uint8Array, header: PageHeader, leaf: LeafShape): void {
    const decompress = (bytes: Uint8Array, length: number): Uint8Array => {
      if (leaf.codec === 'UNCOMPRESSED') return bytes;
      const decompressor = compressors[leaf.codec as keyof typeof compressors];
      // hyparquet refuses a codec it has no decompressor for.
      if (!decompressor) return new Uint8Array(0);
      const page = decompressor(bytes, length);
      if (page.length !== length) throw new Error(`the page decompresses to ${page.length} bytes, not ${length}`);
      return page;
    };
    try {
      if (header.type === 'DATA_PAGE') {
        checkDataPage(decompress(body, header.uncompressed_page_size), header, leaf);
      } else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
        const page = header.data_page_header_v2;
        checkLevelsV2(body, header, leaf);
        const levels = page.repetition_levels_byte_length + page.definition_levels_byte_length;
        const values = body.subarray(levels);
        const length = header.uncompressed_page_size - levels;
        checkValuesV2(page.is_compressed === false ? values : decompress(values, length), header);
      }
    } catch (error) {
      throw new Error(`${header.type} refused: ${messageOf(error)}`);
    }
  }
}

/**
 * The value count of a page whose header has every field the format requires, with sizes that fit the
 * limit: hyparquet trusts these fields, and missing or negative ones can send its decoders into loops.
 */
function pageValues(header: PageHeader, maxPageBytes: number): number {
  const { compressed_page_size: compressed, uncompressed_page_size: uncompressed } = header;
  if (!isCount(compressed) || !isCount(uncompressed)) throw new Error('a page header has no valid page size');
  if (Math.max(compressed, uncompressed) > maxPageBytes) {
    throw new Error(
      `a page declares ${Math.max(compressed, uncompressed)} bytes, beyond the ${maxPageBytes}-byte limit`,
    );
  }
  if (header.type === 'DATA_PAGE') {
    const page = header.data_page_header;
    if (!page || !isCount(page.num_values) || !page.encoding) throw new Error('malformed data page header');
    return page.num_values;
  }
  if (header.type === 'DATA_PAGE_V2') {
    const page = header.data_page_header_v2;
    if (
      !page ||
      !isCount(page.num_values) ||
      !isCount(page.num_nulls) ||
      !isCount(page.num_rows) ||
      !isCount(page.definition_levels_byte_length) ||
      !isCount(page.repetition_levels_byte_length) ||
      !page.encoding ||
      page.num_nulls > page.num_values ||
      page.definition_levels_byte_length + page.repetition_levels_byte_length > Math.min(compressed, uncompressed)
    ) {
      throw new Error('malformed data page v2 header');
    }
    return page.num_values;
  }
  if (header.type === 'DICTIONARY_PAGE') {
    const page = header.dictionary_page_header;
    if (!page || !isCount(page.num_values)) throw new Error('malformed dictionary page header');
    return page.num_values;
  }
  throw new Error(`unsupported page type ${String(header.type)}`);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Decompressors with their output fixed to the size the page header declares. */
const compressors: Compressors = {
  SNAPPY: (input, length) => {
    const output = new Uint8Array(length);
    snappyUncompress(input, output);
    return output;
  },
  GZIP: decompressGzip,
  ZSTD: (input, length) => decompressZstd(input, new Uint8Array(length)),
  BROTLI: decompressBrotli,
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
