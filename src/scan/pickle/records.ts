import { isObj, type PBytes, type PCall, type PValue } from './values.js';

/** What the machine records per imported global: where, how often, and how it was called. */
export interface ImportRecord {
  readonly module: string;
  readonly name: string;
  readonly opcode: string;
  readonly firstOffset: number;
  count: number;
  /** First calls, kept for evidence. */
  readonly calls: PCall[];
  /** Calls made on the global itself (not on something it returned). */
  directCalls: number;
  /** Constant string first arguments of direct calls (bounded); `opaqueArgs` counts the other direct calls. */
  readonly firstArgs: Set<string>;
  /** Offsets of byte-string first arguments of direct calls. */
  readonly payloadArgs: number[];
  opaqueArgs: number;
}

export function newImportRecord(module: string, name: string, opcode: string, firstOffset: number): ImportRecord {
  return {
    module,
    name,
    opcode,
    firstOffset,
    count: 1,
    calls: [],
    directCalls: 0,
    firstArgs: new Set(),
    payloadArgs: [],
    opaqueArgs: 0,
  };
}

const maxFirstArgs = 64;
const payloadHeadBytes = 256;

/**
 * Protocol 2 writes bytes as `_codecs.encode(text, 'latin1')` (a safe global). Treating the call as the
 * bytes it makes lets nested payloads written that way be analysed like BINBYTES ones.
 */
export function latin1Encoded(fn: PValue, args: PValue, offset: number): PBytes | undefined {
  if (!isObj(fn) || fn.kind !== 'global' || fn.module !== '_codecs' || fn.name !== 'encode') return undefined;
  if (!isObj(args) || args.kind !== 'tuple' || args.count !== 2) return undefined;
  const text = args.at(0);
  const encoding = args.at(1);
  if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) return undefined;
  if (/[^\x00-\xff]/.test(text)) return undefined;
  const data = Buffer.from(text, 'latin1');
  return { kind: 'bytes', head: data.subarray(0, payloadHeadBytes), length: data.length, offset, complete: true, data };
}

/** What argument-aware verdicts need: the constant first argument of each direct call. */
export function noteDirectCall(record: ImportRecord, args: PValue): void {
  record.directCalls++;
  const first = isObj(args) && args.kind === 'tuple' ? args.at(0) : undefined;
  if (typeof first === 'string' && record.firstArgs.size < maxFirstArgs) record.firstArgs.add(first);
  else if (isObj(first) && first.kind === 'bytes' && looksSerialized(first.head)) record.payloadArgs.push(first.offset);
  else record.opaqueArgs++;
}

const npyMagic = Buffer.from('\x93NUMPY', 'latin1');

/** Strict signature check for nested payloads: a pickle with a PROTO header, a zip archive, a .npy array. */
export function looksSerialized(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  if (head[0] === 0x80 && (head[1] as number) >= 2 && (head[1] as number) <= 5) return true;
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return true;
  return npyMagic.equals(head.subarray(0, 6));
}
