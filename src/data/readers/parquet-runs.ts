import type { ColumnChunk, PageHeader, SchemaTree } from 'hyparquet';

/**
 * Checks of the run-length/bit-packed hybrid streams in a Parquet page (definition and repetition
 * levels, dictionary indices, RLE booleans) before hyparquet decodes them.
 *
 * hyparquet writes an RLE run into a plain array without clamping it to the array's length, so one run
 * header in a hostile file ("repeat this value 500 million times") grows the array until V8 aborts the
 * process, and a bit-packed run of negative length with a zero bit width never ends. These checks walk
 * the same bytes the way hyparquet will and refuse the page first. They stop quietly where the bytes run
 * out, as hyparquet will throw there itself.
 */

/** What the page checks need to know of the leaf column a chunk holds. */
export interface LeafShape {
  readonly codec: string;
  readonly boolean: boolean;
  readonly maxDefinition: number;
  readonly maxRepetition: number;
}

export function leafShape(schema: SchemaTree, chunk: ColumnChunk): LeafShape {
  const meta = chunk.meta_data;
  let node = schema;
  let maxDefinition = 0;
  let maxRepetition = node.element.repetition_type === 'REPEATED' ? 1 : 0;
  for (const part of meta?.path_in_schema ?? []) {
    const child = node.children.find((candidate) => candidate.element.name === part);
    if (!child) break;
    node = child;
    if (node.element.repetition_type !== 'REQUIRED') maxDefinition++;
    if (node.element.repetition_type === 'REPEATED') maxRepetition++;
  }
  return { codec: meta?.codec ?? 'UNCOMPRESSED', boolean: meta?.type === 'BOOLEAN', maxDefinition, maxRepetition };
}

/** Bits needed for levels up to `max`, as the format defines it. */
function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

interface Walk {
  /** Where the stream's declared length ends (where the next stream starts). */
  readonly end: number;
  /** How many of the values decoded equal the value asked for. */
  readonly matches: number;
}

/**
 * Walks one hybrid stream at `offset` that decodes into `outputLength` values of `width` bits. With
 * `length` undefined the stream starts with its length as a 4-byte integer. Throws when a run would
 * write past the output or could not end.
 */
export function walkRuns(
  view: DataView,
  offset: number,
  width: number,
  outputLength: number,
  length: number | undefined,
  match = -1,
): Walk {
  let at = offset;
  if (length === undefined) {
    if (at + 4 > view.byteLength) return { end: view.byteLength, matches: 0 };
    length = view.getUint32(at, true);
    at += 4;
  }
  const end = at + length;
  let seen = 0;
  let matches = 0;
  const valueBytes = (width + 7) >> 3;
  while (seen < outputLength) {
    // A varint read exactly as the decoder reads it: 32-bit, shifts wrapping.
    let header = 0;
    let shift = 0;
    let byte: number;
    do {
      if (at >= view.byteLength) return { end, matches };
      byte = view.getUint8(at++);
      header |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (header & 1) {
      const count = (header >> 1) << 3;
      if (count < 0) throw new Error('a bit-packed run of negative length');
      const take = Math.min(count, outputLength - seen);
      if (match >= 0) matches += bitPackedMatches(view, at, width, take, match);
      at += Math.max(1, Math.ceil((count * width) / 8));
      seen += take;
    } else {
      const count = header >>> 1;
      if (at + valueBytes > view.byteLength) return { end, matches };
      if (count > outputLength - seen) {
        throw new Error(`a run of ${count} values overruns the ${outputLength} the page holds`);
      }
      if (match >= 0) {
        let value = 0;
        for (let i = 0; i < valueBytes; i++) value |= view.getUint8(at + i) << (i << 3);
        if (value === match) matches += count;
      }
      at += valueBytes;
      seen += count;
    }
  }
  return { end, matches };
}

/** How many of `count` packed values (least significant bit first) from `at` equal `match`. */
function bitPackedMatches(view: DataView, at: number, width: number, count: number, match: number): number {
  let matches = 0;
  for (let index = 0; index < count; index++) {
    let value = 0;
    for (let bit = 0; bit < width && bit < 32; bit++) {
      const position = index * width + bit;
      const byte = at + (position >> 3);
      if (byte < view.byteLength && (view.getUint8(byte) >> (position & 7)) & 1) value |= 1 << bit;
    }
    if (value === match) matches++;
  }
  return matches;
}

const hybridEncodings = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE']);

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A version 1 data page, decompressed: levels, then values. */
export function checkDataPage(page: Uint8Array, header: PageHeader, leaf: LeafShape): void {
  const daph = header.data_page_header;
  if (!daph) return;
  const view = viewOf(page);
  let at = 0;
  if (leaf.maxRepetition) at = walkRuns(view, at, bitWidth(leaf.maxRepetition), daph.num_values, undefined).end;
  let values = daph.num_values;
  if (leaf.maxDefinition) {
    const walk = walkRuns(view, at, bitWidth(leaf.maxDefinition), daph.num_values, undefined, leaf.maxDefinition);
    at = walk.end;
    values = walk.matches;
  }
  if (!hybridEncodings.has(daph.encoding) || at >= view.byteLength) return;
  if (leaf.boolean) {
    walkRuns(view, at, 1, values, undefined);
    return;
  }
  const width = view.getUint8(at);
  if (width) walkRuns(view, at + 1, width, values, view.byteLength - at - 1);
}

/** The levels of a version 2 data page, which are never compressed. */
export function checkLevelsV2(page: Uint8Array, header: PageHeader, leaf: LeafShape): void {
  const daph = header.data_page_header_v2;
  if (!daph) return;
  const view = viewOf(page);
  if (leaf.maxRepetition) {
    walkRuns(view, 0, bitWidth(leaf.maxRepetition), daph.num_values, daph.repetition_levels_byte_length);
  }
  if (leaf.maxDefinition) {
    const at = daph.repetition_levels_byte_length;
    walkRuns(view, at, bitWidth(leaf.maxDefinition), daph.num_values, daph.definition_levels_byte_length);
  }
}

/** The values of a version 2 data page (after the levels), decompressed. */
export function checkValuesV2(values: Uint8Array, header: PageHeader): void {
  const daph = header.data_page_header_v2;
  if (!daph || values.byteLength === 0) return;
  const view = viewOf(values);
  const count = daph.num_values - daph.num_nulls;
  if (daph.encoding === 'RLE') walkRuns(view, 0, 1, count, undefined);
  else if (daph.encoding === 'PLAIN_DICTIONARY' || daph.encoding === 'RLE_DICTIONARY') {
    const levels = daph.definition_levels_byte_length + daph.repetition_levels_byte_length;
    walkRuns(view, 1, view.getUint8(0), count, header.uncompressed_page_size - levels - 1);
  }
}
