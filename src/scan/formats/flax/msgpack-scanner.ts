import { LimitError } from '../../limits.js';
import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { walkMsgpack } from './msgpack-walk.js';

/**
 * Flax (and other msgpack) checkpoints: one msgpack map of parameters whose arrays are extension type 1.
 * msgpack itself runs no code; what matters is what rides along: extension types decoded by hooks
 * outside the file, binaries that hold a pickle or archive, bytes after the object.
 */
const flaxExtensions = new Set([1, 2, 3]);
const payloadHead = 16;
const maxPayloadScans = 256;

export const msgpackScanner: FormatScanner = {
  name: 'msgpack',
  version: '1',
  sniff: (head) => startsWithStringKeyedMap(head),
  scan: scanMsgpack,
};

/** A map with at least one entry whose first key is a short printable string: random bytes rarely are. */
function startsWithStringKeyedMap(head: Buffer): boolean {
  const type = head[0] as number;
  let at: number;
  if (type >= 0x81 && type <= 0x8f) at = 1;
  else if (type === 0xde && head.length > 3 && head.readUInt16BE(1) > 0) at = 3;
  else if (type === 0xdf && head.length > 5 && head.readUInt32BE(1) > 0) at = 5;
  else return false;
  const keyType = head[at] as number;
  let length: number;
  if (keyType >= 0xa1 && keyType <= 0xbf) {
    length = keyType & 0x1f;
    at += 1;
  } else if (keyType === 0xd9) {
    length = head[at + 1] ?? 0;
    at += 2;
  } else return false;
  const key = head.subarray(at, at + length);
  return length > 0 && key.length === length && key.every((byte) => byte >= 0x20 && byte < 0x7f);
}

async function scanMsgpack(ctx: ScanContext, input: ScanInput): Promise<void> {
  const payloads: Array<{ offset: number; length: number }> = [];
  const unknown = new Map<number, number>();
  const note = (offset: number, length: number) => {
    if (payloads.length < maxPayloadScans && length >= 4) payloads.push({ offset, length });
  };
  let end: number;
  try {
    end = await walkMsgpack(input.source, {
      onBinary: note,
      onExtension(type, offset, length) {
        if (!flaxExtensions.has(type)) unknown.set(type, (unknown.get(type) ?? 0) + 1);
        note(offset, length);
      },
      checkpoint: () => ctx.checkTime(),
    });
  } catch (error) {
    if (error instanceof LimitError) throw error;
    const message = (error as Error).message;
    ctx.report(input, { ruleId: 'scan.malformed', evidence: `msgpack structure: ${message}` });
    ctx.partial(input, 'PARSE_ERROR', message);
    return;
  }
  if (unknown.size > 0) {
    ctx.report(input, {
      ruleId: 'msgpack.unknown-extension',
      evidence: `extension types ${[...unknown].map(([type, n]) => `${type} (${n}×)`).join(', ')}`,
    });
  }
  for (const payload of payloads) {
    const head = await input.source.read(payload.offset, payloadHead);
    if (!ctx.recognize(head, { name: '', size: payload.length, strict: true })) continue;
    await ctx.scanNested(input, `@${payload.offset}`, input.source.slice(payload.offset, payload.length), {
      strict: true,
    });
  }
  if (end < input.source.size) {
    ctx.report(input, {
      ruleId: 'msgpack.trailing-data',
      evidence: `${input.source.size - end} bytes follow the msgpack object at offset ${end}`,
      offset: end,
    });
    await ctx.scanNested(input, `@${end}`, input.source.slice(end, input.source.size - end), { strict: true });
  }
}
