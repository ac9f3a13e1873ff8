import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { dtypeBits } from './dtypes.js';

/**
 * safetensors: an 8-byte little-endian header length, a JSON header, then raw tensor bytes. Only the
 * header is read. The checks are the ones the reference loader makes, plus the layout questions that
 * matter to a scanner: every data byte belongs to exactly one tensor, so nothing can hide in between.
 */
// The reference implementation refuses headers above 100 MB.
const maxHeader = 100_000_000;

export const safetensorsScanner: FormatScanner = {
  name: 'safetensors',
  version: '1',
  sniff: (head, hint) => {
    if (head.length < 10) return false;
    const length = head.readBigUInt64LE(0);
    if (length < 2n || length > BigInt(Math.min(maxHeader, hint.size - 8))) return false;
    return head[8] === 0x7b && /["}\s]/.test(String.fromCharCode(head[9] as number));
  },
  scan: scanSafetensors,
};

interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

async function scanSafetensors(ctx: ScanContext, input: ScanInput): Promise<void> {
  const headerLength = Number((await input.source.read(0, 8)).readBigUInt64LE(0));
  const text = await input.source.read(8, headerLength);
  const invalid = (message: string) => {
    ctx.report(input, { ruleId: 'safetensors.invalid-header', evidence: message, offset: 8 });
    ctx.partial(input, 'PARSE_ERROR', message);
  };
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(text));
  } catch (error) {
    invalid(`header is not valid UTF-8 JSON: ${(error as Error).message}`);
    return;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    invalid('header is not a JSON object');
    return;
  }
  const tensors: TensorEntry[] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(header)) {
    ctx.checkTime();
    if (name === '__metadata__') {
      checkMetadata(value, problems);
      continue;
    }
    const tensor = parseTensor(name, value, problems);
    if (tensor) tensors.push(tensor);
  }
  if (problems.length > 0) {
    invalid(`${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
    return;
  }
  const dataStart = 8 + headerLength;
  const covered = checkLayout(ctx, input, tensors, input.source.size - dataStart, dataStart);
  // Bytes no tensor claims are what a polyglot would use: look for a serialized object there.
  if (covered < input.source.size - dataStart) {
    const at = dataStart + covered;
    await ctx.scanNested(input, `@${at}`, input.source.slice(at, input.source.size - at), { strict: true });
  }
}

function checkMetadata(value: unknown, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('__metadata__ is not an object');
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') problems.push(`__metadata__.${key} is not a string`);
  }
}

function parseTensor(name: string, value: unknown, problems: string[]): TensorEntry | undefined {
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`tensor ${JSON.stringify(name)} is not an object`);
    return undefined;
  }
  const offsets = entry.data_offsets;
  const validShape =
    Array.isArray(entry.shape) && entry.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0);
  const validOffsets =
    Array.isArray(offsets) &&
    offsets.length === 2 &&
    offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0) &&
    (offsets[0] as number) <= (offsets[1] as number);
  if (typeof entry.dtype !== 'string' || !validShape || !validOffsets) {
    problems.push(
      `tensor ${JSON.stringify(name)} needs a dtype string, a shape of non-negative integers and ordered data_offsets`,
    );
    return undefined;
  }
  const [begin, end] = offsets as [number, number];
  return { name, dtype: entry.dtype, shape: entry.shape as number[], begin, end };
}

/** Reports layout problems; returns where the last tensor ends in the data section. */
function checkLayout(
  ctx: ScanContext,
  input: ScanInput,
  tensors: TensorEntry[],
  dataLength: number,
  dataStart: number,
): number {
  const issues: string[] = [];
  for (const tensor of tensors) {
    const bits = dtypeBits[tensor.dtype];
    if (bits === undefined) {
      ctx.report(input, {
        ruleId: 'safetensors.unknown-dtype',
        evidence: `tensor ${JSON.stringify(tensor.name)} has dtype ${JSON.stringify(tensor.dtype)}`,
      });
      continue;
    }
    const elements = tensor.shape.reduce((product, dim) => product * dim, 1);
    const expected = Math.ceil((elements * bits) / 8);
    if (expected !== tensor.end - tensor.begin) {
      issues.push(
        `${tensor.name}: ${tensor.dtype}${JSON.stringify(tensor.shape)} needs ${expected} bytes, range holds ${tensor.end - tensor.begin}`,
      );
    }
  }
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const tensor of sorted) {
    if (tensor.begin > cursor) issues.push(`bytes ${cursor}..${tensor.begin} belong to no tensor`);
    if (tensor.begin < cursor) issues.push(`${tensor.name} overlaps the previous tensor at ${tensor.begin}`);
    cursor = Math.max(cursor, tensor.end);
  }
  if (cursor > dataLength) issues.push(`tensors end at ${cursor} but the data section holds ${dataLength} bytes`);
  if (cursor < dataLength) issues.push(`${dataLength - cursor} bytes after the last tensor belong to no tensor`);
  if (issues.length === 0) return cursor;
  ctx.report(input, {
    ruleId: 'safetensors.layout-mismatch',
    evidence: `${issues.slice(0, 5).join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`,
    offset: dataStart,
    properties: { issues: issues.length },
  });
  return cursor;
}
