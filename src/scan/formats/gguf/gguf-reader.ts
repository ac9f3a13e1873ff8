import { Cursor, FormatError } from '../../io/cursor.js';
import type { Source } from '../../io/source.js';
import { fixedWidth, ggmlBlocks, valueType } from './ggml-types.js';

/**
 * A bounded GGUF reader (v1–v3, either byte order, ggml/docs/gguf.md): header, metadata key/values and
 * tensor infos. Metadata values are skipped unless they are a chat template or one of a few small
 * `general.*` strings; arrays (the vocabulary) are walked, never held. Tensor data is never read: tensor
 * infos are only checked against the file size.
 */
export interface GgufTemplate {
  readonly key: string;
  readonly text: string;
  readonly offset: number;
  /** The value is longer than `maxTemplateBytes`; only its start was read. */
  readonly truncated: boolean;
}

export interface GgufInfo {
  version?: number;
  bigEndian?: boolean;
  tensorCount?: number;
  kvCount?: number;
  readonly general: Map<string, string | number>;
  /** Tensor infos that do not fit the file: total and a few examples. */
  tensorProblems: number;
  readonly tensorExamples: string[];
}

export interface ReaderHooks {
  readonly tick: () => void;
  readonly onTemplate: (template: GgufTemplate) => void;
}

export const maxTemplateBytes = 1 << 20;
const maxKeyBytes = 1 << 16;
const maxNameBytes = 1 << 16;
const maxArrayDepth = 4;
const maxTensors = 200_000;
const maxDims = 4;
const defaultAlignment = 32;
const generalKeys = new Set(['general.architecture', 'general.name', 'general.alignment', 'tokenizer.ggml.model']);

export const isChatTemplateKey = (key: string): boolean =>
  key === 'tokenizer.chat_template' || key.startsWith('tokenizer.chat_template.');

/** Reads the file into `info` as far as it goes; throws FormatError where the structure breaks. */
export async function readGguf(source: Source, info: GgufInfo, hooks: ReaderHooks): Promise<void> {
  const cursor = new Cursor(source, 4);
  let version = await cursor.u32('version');
  // gguf-py's rule: a version whose low half is zero was written big-endian (s390x models).
  if ((version & 0xffff) === 0) {
    cursor.bigEndian = true;
    version = ((version >>> 24) | ((version >>> 8) & 0xff00)) >>> 0;
  }
  info.version = version;
  info.bigEndian = cursor.bigEndian;
  if (version < 1 || version > 3) throw new FormatError('malformed', `unsupported GGUF version ${version}`);
  const wide = version >= 2;
  const tensorCount = await cursor.size(wide, 'tensor count');
  const kvCount = await cursor.size(wide, 'metadata count');
  info.tensorCount = tensorCount;
  info.kvCount = kvCount;
  const minKv = (wide ? 8 : 4) + 4 + 1;
  const minTensor = (wide ? 8 : 4) + 4 + 4 + 8;
  if (kvCount * minKv + tensorCount * minTensor > cursor.remaining) {
    throw new FormatError(
      tooMany(kvCount + tensorCount),
      `header claims ${describeCount(kvCount)} metadata entries and ${describeCount(tensorCount)} tensors; the ${cursor.remaining} bytes left hold far fewer`,
    );
  }
  if (tensorCount > maxTensors) throw new FormatError('limit', `${tensorCount} tensors (more than ${maxTensors})`);
  for (let i = 0; i < kvCount; i++) {
    hooks.tick();
    await readKv(cursor, wide, info, hooks);
  }
  const alignment = Number(info.general.get('general.alignment') ?? defaultAlignment);
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new FormatError('malformed', `general.alignment ${alignment} is not a power of two`);
  }
  await readTensorInfos(cursor, wide, tensorCount, alignment, source.size, info, hooks);
}

async function readString(cursor: Cursor, wide: boolean, max: number, what: string): Promise<string | undefined> {
  const length = await cursor.size(wide, `${what} length`);
  if (length > cursor.remaining) {
    throw new FormatError(
      'malformed',
      `${what} of ${length} bytes at offset ${cursor.pos} runs past the end of the file`,
    );
  }
  if (length > max) {
    cursor.skip(length, what);
    return undefined;
  }
  return (await cursor.bytes(length, what)).toString('utf8');
}

async function readKv(cursor: Cursor, wide: boolean, info: GgufInfo, hooks: ReaderHooks): Promise<void> {
  const key = await readString(cursor, wide, maxKeyBytes, 'metadata key');
  if (key === undefined) throw new FormatError('malformed', `metadata key longer than ${maxKeyBytes} bytes`);
  const type = await cursor.u32(`type of ${key}`);
  if (type === valueType.string && (isChatTemplateKey(key) || generalKeys.has(key))) {
    const offset = cursor.pos;
    const length = await cursor.size(wide, `${key} length`);
    if (length > cursor.remaining) {
      throw new FormatError('malformed', `${key} of ${length} bytes at offset ${offset} runs past the end of the file`);
    }
    const text = (await cursor.bytes(Math.min(length, maxTemplateBytes), key)).toString('utf8');
    cursor.skip(length - Math.min(length, maxTemplateBytes), key);
    if (isChatTemplateKey(key)) hooks.onTemplate({ key, text, offset, truncated: length > maxTemplateBytes });
    else info.general.set(key, text.slice(0, 200));
    return;
  }
  if (type === valueType.uint32 && key === 'general.alignment') {
    info.general.set(key, await cursor.u32(key));
    return;
  }
  await skipValue(cursor, wide, type, key, 0, hooks);
}

async function skipValue(
  cursor: Cursor,
  wide: boolean,
  type: number,
  key: string,
  depth: number,
  hooks: ReaderHooks,
): Promise<void> {
  const width = fixedWidth.get(type);
  if (width !== undefined) return cursor.skip(width, key);
  if (type === valueType.string) {
    const length = await cursor.size(wide, `${key} length`);
    return cursor.skip(length, `${key} string`);
  }
  if (type !== valueType.array) throw new FormatError('malformed', `${key} has unknown value type ${type}`);
  if (depth >= maxArrayDepth) throw new FormatError('malformed', `${key}: arrays nested deeper than ${maxArrayDepth}`);
  const itemType = await cursor.u32(`${key} item type`);
  const items = await cursor.size(wide, `${key} count`);
  const itemWidth = fixedWidth.get(itemType);
  const minItem = itemWidth ?? (itemType === valueType.string ? (wide ? 8 : 4) : 4 + (wide ? 8 : 4));
  if (items * minItem > cursor.remaining) {
    throw new FormatError(
      tooMany(items),
      `${key} claims ${describeCount(items)} items; the ${cursor.remaining} bytes left cannot hold them`,
    );
  }
  if (itemWidth !== undefined) return cursor.skip(items * itemWidth, key);
  for (let i = 0; i < items; i++) {
    if ((i & 0xfff) === 0) hooks.tick();
    await skipValue(cursor, wide, itemType, key, depth + 1, hooks);
  }
}

async function readTensorInfos(
  cursor: Cursor,
  wide: boolean,
  count: number,
  alignment: number,
  fileSize: number,
  info: GgufInfo,
  hooks: ReaderHooks,
): Promise<void> {
  const tensors: Array<{ name: string; offset: bigint; bytes: bigint | undefined }> = [];
  for (let i = 0; i < count; i++) {
    if ((i & 0xff) === 0) hooks.tick();
    const name = (await readString(cursor, wide, maxNameBytes, 'tensor name')) ?? '<long name>';
    const dims = await cursor.u32(`${name} dimension count`);
    if (dims > maxDims)
      throw new FormatError('malformed', `tensor ${name} has ${dims} dimensions (ggml allows ${maxDims})`);
    let elements = 1n;
    for (let d = 0; d < dims; d++) elements *= wide ? await cursor.u64(name) : BigInt(await cursor.u32(name));
    const type = await cursor.u32(`${name} type`);
    const offset = await cursor.u64(`${name} offset`);
    const block = ggmlBlocks.get(type);
    if (block && elements % BigInt(block[0]) !== 0n) {
      problem(info, `${name}: ${elements} elements is not a whole number of type-${type} blocks`);
    }
    tensors.push({ name, offset, bytes: block ? (elements / BigInt(block[0])) * BigInt(block[1]) : undefined });
  }
  const dataStart = BigInt(Math.ceil(cursor.pos / alignment) * alignment);
  const end = BigInt(fileSize);
  for (const tensor of tensors) {
    if (tensor.offset % BigInt(alignment) !== 0n) {
      problem(info, `${tensor.name}: offset ${tensor.offset} is not aligned to ${alignment}`);
    } else if (dataStart + tensor.offset + (tensor.bytes ?? 0n) > end) {
      const size = tensor.bytes === undefined ? '' : ` + ${tensor.bytes} bytes`;
      problem(info, `${tensor.name}: data at ${dataStart} + ${tensor.offset}${size} runs past the file end ${end}`);
    }
  }
}

/** Counts no real file has are a limit matter (bombs, fuzzers); smaller ones that overrun the file mean truncation. */
function tooMany(claimed: number): 'limit' | 'malformed' {
  return claimed > 0xffffffff ? 'limit' : 'malformed';
}

function describeCount(value: number): string {
  return value >= Number.MAX_SAFE_INTEGER ? 'more than 2^53' : String(value);
}

function problem(info: GgufInfo, message: string): void {
  info.tensorProblems++;
  if (info.tensorExamples.length < 3) info.tensorExamples.push(message);
}
