import { type ColumnChunk, type Compressors, type PageHeader, type SchemaTree, snappyUncompress } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import {
  decompressBrotli,
  decompressGzip,
  decompressLz4,
  decompressLz4Raw,
  decompressZstd,
} from 'hyparquet-compressors';
import type { ParquetLimits } from './parquet.js';
import { checkDataPage, checkLevelsV2, checkValuesV2, type LeafShape, leafShape } from './parquet-runs.js';
import { snappyDecompress } from './snappy.js';

/**
 * Walks the page headers of every byte range read from the watched column chunks before hyparquet
 * decodes them, and refuses pages whose declared sizes or value counts would break the memory bound,
 * or whose run-length streams would overrun what they decode into (parquet-runs.ts). Ranges outside
 * the chunks (footer, offset indexes) pass untouched.
 *
 * A compressed page is decompressed for that check. hyparquet then asks `compressors` for the same
 * page, as a copy of the bytes (it copies what it reads), so the decompressed pages of a read are kept
 * by their compressed bytes, up to `maxKeptBytes`, and handed over when the same bytes and length come
 * back; beyond that budget a page is decompressed twice. Decompression is deterministic, so an equal
 * input gives an equal page whichever header it came with.
 */
export class PageGuard {
  private chunks: { start: number; end: number; leaf: LeafShape }[] = [];
  private values = 0;
  /** Decompressed pages of the current read, by compressed length. */
  private kept = new Map<number, { compressed: Uint8Array; page: Uint8Array }[]>();
  private keptBytes = 0;
  /** The decompressors hyparquet is given: a kept page when there is one. */
  readonly compressors: Compressors;

  constructor(private readonly limits: Pick<ParquetLimits, 'maxPageBytes' | 'maxValuesPerRead' | 'maxKeptBytes'>) {
    this.compressors = Object.fromEntries(
      Object.entries(compressors).map(([codec, decompress]) => [
        codec,
        (input: Uint8Array, length: number) => this.takeKept(input, length) ?? decompress(input, length),
      ]),
    );
  }

  watch(schema: SchemaTree, leaves: readonly ColumnChunk[]): void {
    this.values = 0;
    this.chunks = [];
    this.kept = new Map();
    this.keptBytes = 0;
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

  private keep(compressed: Uint8Array, page: Uint8Array): void {
    if (this.keptBytes + page.length > this.limits.maxKeptBytes) return;
    const same = this.kept.get(compressed.length);
    if (same) same.push({ compressed, page });
    else this.kept.set(compressed.length, [{ compressed, page }]);
    this.keptBytes += page.length;
  }

  private takeKept(input: Uint8Array, length: number): Uint8Array | undefined {
    const same = this.kept.get(input.length);
    if (!same) return undefined;
    const wanted = Buffer.from(input.buffer, input.byteOffset, input.length);
    const index = same.findIndex(
      ({ compressed, page }) =>
        page.length === length &&
        wanted.equals(Buffer.from(compressed.buffer, compressed.byteOffset, compressed.length)),
    );
    if (index === -1) return undefined;
    const { page } = same[index]!;
    same.splice(index, 1);
    this.keptBytes -= page.length;
    return page;
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
      this.keep(bytes, page);
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
  SNAPPY: snappyDecompress,
  GZIP: decompressGzip,
  ZSTD: (input, length) => decompressZstd(input, new Uint8Array(length)),
  BROTLI: decompressBrotli,
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
