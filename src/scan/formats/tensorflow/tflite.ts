import type { Source } from '../../io/source.js';
import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { dangerousOps } from './dangerous-ops.js';
import { standardOps } from './standard-ops.js';

/**
 * TFLite flatbuffer (identifier "TFL3" at offset 4). Only Model.operator_codes (field 1) is read:
 * OperatorCode deprecated_builtin_code (0, int8), custom_code (1, string), builtin_code (3, int32).
 * Every offset is checked against the file size before it is followed; buffers are never read.
 */
const builtinCustom = 32;
const maxOperatorCodes = 100_000;

/** Custom ops every TFLite interpreter registers with its built-in resolver (tensorflow/lite/kernels/register.cc). */
export const builtinCustomOps: ReadonlyArray<readonly [name: string, reason: string]> = [
  ['TFLite_Detection_PostProcess', 'SSD box decoding and NMS, registered by BuiltinOpResolver'],
  ['Mfcc', 'audio feature op registered by BuiltinOpResolver'],
  ['AudioSpectrogram', 'audio feature op registered by BuiltinOpResolver'],
];
const builtinCustomSet = new Set(builtinCustomOps.map(([name]) => name));

class FlatError extends Error {}

class FlatReader {
  private cache: Buffer = Buffer.alloc(0);
  private cacheStart = 0;
  constructor(private readonly source: Source) {}

  private async bytes(pos: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(pos) || pos < 0 || pos + length > this.source.size) {
      throw new FlatError(`offset ${pos} outside the ${this.source.size}-byte file`);
    }
    if (pos < this.cacheStart || pos + length > this.cacheStart + this.cache.length) {
      this.cache = await this.source.read(pos, Math.max(length, 64 * 1024));
      this.cacheStart = pos;
    }
    return this.cache.subarray(pos - this.cacheStart, pos - this.cacheStart + length);
  }
  async u32(pos: number): Promise<number> {
    return (await this.bytes(pos, 4)).readUInt32LE(0);
  }
  async i32(pos: number): Promise<number> {
    return (await this.bytes(pos, 4)).readInt32LE(0);
  }
  async i8(pos: number): Promise<number> {
    return (await this.bytes(pos, 1)).readInt8(0);
  }
  /** Position of field `index` of the table at `table`, or undefined when absent. */
  async field(table: number, index: number): Promise<number | undefined> {
    const vtable = table - (await this.i32(table));
    const vtableSize = (await this.bytes(vtable, 2)).readUInt16LE(0);
    if (vtableSize < 4 || vtableSize % 2 !== 0) throw new FlatError(`vtable of ${vtableSize} bytes at ${vtable}`);
    if (4 + 2 * index + 2 > vtableSize) return undefined;
    const offset = (await this.bytes(vtable + 4 + 2 * index, 2)).readUInt16LE(0);
    return offset === 0 ? undefined : table + offset;
  }
  async target(pos: number): Promise<number> {
    return pos + (await this.u32(pos));
  }
  async string(pos: number, max = 1024): Promise<string> {
    const at = await this.target(pos);
    const length = await this.u32(at);
    if (at + 4 + length > this.source.size) throw new FlatError(`string of ${length} bytes at ${at} overruns the file`);
    return (await this.bytes(at + 4, Math.min(length, max))).toString('utf8');
  }
}

export const tfliteScanner: FormatScanner = {
  name: 'tflite',
  version: '1',
  sniff: (head, hint) =>
    head.length >= 8 &&
    head.toString('latin1', 4, 8) === 'TFL3' &&
    head.readUInt32LE(0) >= 8 &&
    head.readUInt32LE(0) < hint.size,
  scan: scanTflite,
};

async function scanTflite(ctx: ScanContext, input: ScanInput): Promise<void> {
  try {
    for (const [index, name] of await customCodes(ctx, new FlatReader(input.source))) report(ctx, input, index, name);
  } catch (error) {
    if (!(error instanceof FlatError)) throw error;
    const message = `TFLite flatbuffer is malformed: ${error.message}`;
    ctx.report(input, { ruleId: 'scan.malformed', evidence: message, properties: { format: 'tflite' } });
    ctx.partial(input, 'PARSE_ERROR', message);
  }
}

async function customCodes(ctx: ScanContext, reader: FlatReader): Promise<Array<[number, string]>> {
  const model = await reader.target(0);
  const codesField = await reader.field(model, 1);
  if (codesField === undefined) return [];
  const vector = await reader.target(codesField);
  const count = await reader.u32(vector);
  if (count > maxOperatorCodes || vector + 4 + 4 * count > Number.MAX_SAFE_INTEGER) {
    throw new FlatError(`${count} operator codes`);
  }
  const custom: Array<[number, string]> = [];
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (i % 1024 === 1023) ctx.checkTime();
    const code = await reader.target(vector + 4 + 4 * i);
    const deprecatedAt = await reader.field(code, 0);
    const builtinAt = await reader.field(code, 3);
    const deprecated = deprecatedAt === undefined ? 0 : await reader.i8(deprecatedAt);
    const builtin = builtinAt === undefined ? 0 : await reader.i32(builtinAt);
    // TFLite takes the larger of the two (schema_utils GetBuiltinCode): builtin codes past 127 use the int32 field.
    if (Math.max(deprecated, builtin) !== builtinCustom) continue;
    const nameAt = await reader.field(code, 1);
    const name = nameAt === undefined ? '' : await reader.string(nameAt);
    if (!names.has(name)) custom.push([i, name]);
    names.add(name);
  }
  return custom;
}

function report(ctx: ScanContext, input: ScanInput, index: number, name: string): void {
  if (builtinCustomSet.has(name)) return;
  const shown = JSON.stringify(name.slice(0, 200));
  const properties = { format: 'tflite', customCode: name.slice(0, 200), index };
  if (name.startsWith('Flex')) {
    const op = name.slice(4);
    const danger = dangerousOps[op];
    if (danger) {
      const evidence = `operator code ${index}: Flex op ${shown} runs TensorFlow ${op}, which ${danger.reason}`;
      ctx.report(input, { ruleId: 'tflite.flex-dangerous-op', evidence, properties });
      return;
    }
    if (standardOps.has(op) || op === 'PrintV2') return;
  }
  ctx.report(input, {
    ruleId: 'tflite.custom-op',
    evidence: `operator code ${index}: custom op ${shown} needs a kernel registered by the loading program`,
    properties,
  });
}
