import { Memo } from './memo.js';
import { op, opcodes } from './opcodes.js';
import { type ImportRecord, latin1Encoded, looksSerialized, newImportRecord, noteDirectCall } from './records.js';
import {
  decodeLong,
  decodeRawUnicodeEscape,
  parseFloatLine,
  parseIntLine,
  parseLongLine,
  parseMemoIndex,
  unquoteString,
} from './text.js';
import {
  isObj,
  keptItems,
  type PBytes,
  type PCall,
  type PGlobal,
  type POther,
  PSeq,
  type PValue,
  rootGlobal,
  type SeqKind,
} from './values.js';

/**
 * A symbolic pickle virtual machine. It follows CPython's unpickler opcode by opcode (stack, metastack
 * of MARKs, memo) but every object it would create is a record: imports become `PGlobal`, calls become
 * `PCall`. Nothing is imported, constructed or executed.
 *
 * It runs over a window of the source (`buf`, whose first byte is at absolute offset `base`). When an
 * opcode needs bytes past the window it stops *before* changing any state and returns `need`, so the
 * driver can slide the window and call `run` again. Byte strings longer than `inlineBytes` are not
 * read: the machine keeps their offset and jumps past them.
 */
export interface MachineLimits {
  readonly maxStack: number;
  readonly maxMemo: number;
  readonly maxLine: number;
  readonly inlineBytes: number;
}

export type RunResult =
  | { readonly kind: 'stop'; readonly value: PValue }
  | { readonly kind: 'need'; readonly bytes: number }
  | { readonly kind: 'error'; readonly message: string; readonly offset: number }
  | { readonly kind: 'limit'; readonly message: string; readonly offset: number };

export interface Oddity {
  readonly kind: 'frame' | 'ext' | 'persid' | 'buffer';
  readonly offset: number;
  readonly detail: string;
}

export interface ArraySkip {
  readonly bytes: number;
  readonly padded: boolean;
}

interface Suspended {
  readonly stack: PValue[];
  readonly metastack: PValue[][];
}

const maxCallsKept = 3;
// Enough for every storage of a large pickled model (one payload each), still a fixed bound.
const maxEmbedded = 4096;
const maxOddities = 32;
const headBytes = 256;

export class PickleMachine {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  base = 0;
  sourceSize = 0;

  stack: PValue[] = [];
  metastack: PValue[][] = [];
  memo = new Memo();
  proto = 0;
  opCount = 0;
  readonly imports = new Map<string, ImportRecord>();
  /** Byte strings passed to calls that look like a serialized object of their own. */
  readonly embedded: PBytes[] = [];
  readonly oddities: Oddity[] = [];
  /** Joblib object arrays are nested pickles loaded with a fresh stack and the shared memo. */
  private readonly suspended: Suspended[] = [];
  /**
   * Called after BUILD. Joblib writes array data straight after the BUILD of its wrapper: the hook returns
   * how many bytes to skip (after an optional padding-length byte), or 'nested' for object arrays, which
   * joblib writes as a complete pickle loaded with a fresh stack and the shared memo.
   */
  onBuild: ((obj: PValue) => ArraySkip | 'nested' | undefined) | undefined;
  private pendingSkip: ArraySkip | undefined;
  /** Called with every persistent id (torch storages). */
  onPersistentId: ((pid: PValue) => void) | undefined;
  /** Checked every few thousand opcodes; returns a message to stop with. */
  checkpoint: (() => string | undefined) | undefined;

  constructor(readonly limits: MachineLimits) {}

  /** Starts a new pickle in the same stream (concatenated pickles share nothing but the opcode stream). */
  reset(): void {
    this.stack = [];
    this.metastack = [];
    this.memo = new Memo();
    this.proto = 0;
    this.suspended.length = 0;
    this.pendingSkip = undefined;
  }

  run(final: boolean): RunResult {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let stack = this.stack;
    const need = (at: number, bytes: number): RunResult => {
      this.pos = at;
      this.stack = stack;
      if (final) {
        const name = opcodes[buf[at] as number]?.name ?? 'opcode';
        return this.fail(at, `pickle data truncated: ${name} needs ${bytes} bytes, ${end - at} remain`);
      }
      return { kind: 'need', bytes };
    };
    const fail = (at: number, message: string): RunResult => {
      this.pos = at;
      this.stack = stack;
      return this.fail(at, message);
    };

    for (;;) {
      const skip = this.pendingSkip;
      if (skip !== undefined) {
        if (skip.padded && pos + 1 > end) return need(pos, 1);
        const padding = skip.padded ? 1 + (buf[pos] as number) : 0;
        if (this.base + pos + padding + skip.bytes > this.sourceSize) {
          return fail(pos, `array data of ${skip.bytes} bytes runs past the end of the file`);
        }
        this.pendingSkip = undefined;
        pos += padding + skip.bytes;
      }
      if (pos >= end) {
        if (final) return fail(pos, 'pickle ended without STOP');
        return need(pos, 1);
      }
      const start = pos;
      const code = buf[pos] as number;
      if ((++this.opCount & 0xfff) === 0) {
        const depth = stack.length + this.metastack.length;
        if (depth > this.limits.maxStack) {
          this.pos = start;
          return {
            kind: 'limit',
            message: `stack deeper than ${this.limits.maxStack} entries`,
            offset: this.base + start,
          };
        }
        if (this.memo.size > this.limits.maxMemo) {
          this.pos = start;
          return {
            kind: 'limit',
            message: `memo larger than ${this.limits.maxMemo} entries`,
            offset: this.base + start,
          };
        }
        const stop = this.checkpoint?.();
        if (stop) {
          this.pos = start;
          return { kind: 'limit', message: stop, offset: this.base + start };
        }
      }
      switch (code) {
        case op.MARK:
          this.metastack.push(stack);
          stack = [];
          pos += 1;
          break;
        case op.STOP: {
          if (stack.length === 0) return fail(start, 'STOP with an empty stack');
          const value = stack.pop() as PValue;
          pos += 1;
          const outer = this.suspended.pop();
          if (outer) {
            stack = outer.stack;
            this.metastack = outer.metastack;
            break;
          }
          this.pos = pos;
          this.stack = stack;
          return { kind: 'stop', value };
        }
        case op.POP:
          if (stack.length > 0) stack.pop();
          else if (this.metastack.length > 0) stack = this.metastack.pop() as PValue[];
          else return fail(start, 'POP with an empty stack');
          pos += 1;
          break;
        case op.POP_MARK:
          if (this.metastack.length === 0) return fail(start, 'POP_MARK without MARK');
          stack = this.metastack.pop() as PValue[];
          pos += 1;
          break;
        case op.DUP:
          if (stack.length === 0) return fail(start, 'DUP with an empty stack');
          stack.push(stack[stack.length - 1] as PValue);
          pos += 1;
          break;
        case op.NONE:
          stack.push(null);
          pos += 1;
          break;
        case op.NEWTRUE:
          stack.push(true);
          pos += 1;
          break;
        case op.NEWFALSE:
          stack.push(false);
          pos += 1;
          break;
        case op.BININT1:
          if (pos + 2 > end) return need(start, 2);
          stack.push(buf[pos + 1] as number);
          pos += 2;
          break;
        case op.BININT2:
          if (pos + 3 > end) return need(start, 3);
          stack.push(buf.readUInt16LE(pos + 1));
          pos += 3;
          break;
        case op.BININT:
          if (pos + 5 > end) return need(start, 5);
          stack.push(buf.readInt32LE(pos + 1));
          pos += 5;
          break;
        case op.BINFLOAT:
          if (pos + 9 > end) return need(start, 9);
          stack.push(buf.readDoubleBE(pos + 1));
          pos += 9;
          break;
        case op.PROTO: {
          if (pos + 2 > end) return need(start, 2);
          const proto = buf[pos + 1] as number;
          if (proto > 5) return fail(start, `unsupported pickle protocol ${proto}`);
          this.proto = proto;
          pos += 2;
          break;
        }
        case op.FRAME: {
          if (pos + 9 > end) return need(start, 9);
          const length = Number(buf.readBigUInt64LE(pos + 1));
          const remaining = this.sourceSize - (this.base + pos + 9);
          if (length > remaining) {
            this.oddity('frame', this.base + start, `FRAME declares ${length} bytes but ${remaining} remain`);
          }
          pos += 9;
          break;
        }
        case op.INT:
        case op.LONG:
        case op.FLOAT:
        case op.GET:
        case op.PUT:
        case op.STRING:
        case op.UNICODE:
        case op.PERSID: {
          const eol = buf.indexOf(0x0a, pos + 1);
          if (eol < 0 || eol >= end) return need(start, Math.min(end - start + 1, this.limits.maxLine) * 2);
          const raw = buf.subarray(pos + 1, eol);
          const line = code === op.UNICODE ? '' : raw.toString('latin1');
          pos = eol + 1;
          switch (code) {
            case op.INT: {
              const value = parseIntLine(line);
              if (value === undefined) return fail(start, `INT argument is not a number: ${line.slice(0, 40)}`);
              stack.push(value);
              break;
            }
            case op.LONG: {
              const value = parseLongLine(line);
              if (value === undefined) return fail(start, `LONG argument is not a number: ${line.slice(0, 40)}`);
              stack.push(value);
              break;
            }
            case op.FLOAT: {
              const value = parseFloatLine(line);
              if (value === undefined) return fail(start, 'FLOAT argument is not a number');
              stack.push(value);
              break;
            }
            case op.GET: {
              const index = parseMemoIndex(line);
              if (index === undefined) return fail(start, 'GET argument is not an index');
              const value = this.memo.get(index);
              if (value === undefined) return fail(start, `memo has no entry ${index}`);
              stack.push(value);
              break;
            }
            case op.PUT: {
              const index = parseMemoIndex(line);
              if (index === undefined) return fail(start, 'PUT argument is not an index');
              if (stack.length === 0) return fail(start, 'PUT with an empty stack');
              this.memo.put(index, stack[stack.length - 1] as PValue);
              break;
            }
            case op.STRING: {
              const value = unquoteString(line);
              if (value === undefined) return fail(start, 'STRING argument is not quoted');
              stack.push(value);
              break;
            }
            case op.UNICODE:
              stack.push(decodeRawUnicodeEscape(raw));
              break;
            default:
              stack.push(this.persid(line, start));
          }
          break;
        }
        case op.GLOBAL:
        case op.INST: {
          const eol1 = buf.indexOf(0x0a, pos + 1);
          const eol2 = eol1 < 0 || eol1 >= end ? -1 : buf.indexOf(0x0a, eol1 + 1);
          if (eol2 < 0 || eol2 >= end) return need(start, Math.min(end - start + 1, this.limits.maxLine) * 2);
          const module = buf.toString('utf8', pos + 1, eol1);
          const name = buf.toString('utf8', eol1 + 1, eol2);
          pos = eol2 + 1;
          const global = this.global(module, name, start, code === op.GLOBAL ? 'GLOBAL' : 'INST');
          if (code === op.GLOBAL) {
            stack.push(global);
          } else {
            if (this.metastack.length === 0) return fail(start, 'INST without MARK');
            const args = stack;
            stack = this.metastack.pop() as PValue[];
            stack.push(this.call(global, seq('tuple', args), start, 'INST'));
          }
          break;
        }
        case op.STACK_GLOBAL: {
          if (stack.length < 2) return fail(start, 'STACK_GLOBAL needs two values');
          const name = stack.pop() as PValue;
          const module = stack.pop() as PValue;
          if (typeof module !== 'string' || typeof name !== 'string') {
            return fail(start, 'STACK_GLOBAL operands are not strings');
          }
          stack.push(this.global(module, name, start, 'STACK_GLOBAL'));
          pos += 1;
          break;
        }
        case op.BINGET:
        case op.LONG_BINGET: {
          const width = code === op.BINGET ? 1 : 4;
          if (pos + 1 + width > end) return need(start, 1 + width);
          const index = width === 1 ? (buf[pos + 1] as number) : buf.readUInt32LE(pos + 1);
          const value = this.memo.get(index);
          if (value === undefined) return fail(start, `memo has no entry ${index}`);
          stack.push(value);
          pos += 1 + width;
          break;
        }
        case op.BINPUT:
        case op.LONG_BINPUT: {
          const width = code === op.BINPUT ? 1 : 4;
          if (pos + 1 + width > end) return need(start, 1 + width);
          if (stack.length === 0) return fail(start, 'PUT with an empty stack');
          const index = width === 1 ? (buf[pos + 1] as number) : buf.readUInt32LE(pos + 1);
          this.memo.put(index, stack[stack.length - 1] as PValue);
          pos += 1 + width;
          break;
        }
        case op.MEMOIZE:
          if (stack.length === 0) return fail(start, 'MEMOIZE with an empty stack');
          this.memo.put(this.memo.size, stack[stack.length - 1] as PValue);
          pos += 1;
          break;
        case op.SHORT_BINSTRING:
        case op.SHORT_BINUNICODE:
        case op.SHORT_BINBYTES:
        case op.LONG1:
        case op.BINSTRING:
        case op.BINUNICODE:
        case op.BINBYTES:
        case op.LONG4:
        case op.BINUNICODE8:
        case op.BINBYTES8:
        case op.BYTEARRAY8: {
          const info = opcodes[code];
          const width = info?.arg === 'len1' ? 1 : info?.arg === 'len4' ? 4 : 8;
          if (pos + 1 + width > end) return need(start, 1 + width);
          let length: number;
          if (width === 1) length = buf[pos + 1] as number;
          else if (width === 4)
            length = code === op.BINSTRING || code === op.LONG4 ? buf.readInt32LE(pos + 1) : buf.readUInt32LE(pos + 1);
          else {
            const big = buf.readBigUInt64LE(pos + 1);
            length = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
          }
          if (length < 0) return fail(start, `${info?.name} declares a negative length`);
          const dataStart = pos + 1 + width;
          const remaining = this.sourceSize - (this.base + dataStart);
          if (length > remaining) {
            const declared = width === 8 ? buf.readBigUInt64LE(pos + 1).toString() : String(length);
            return fail(start, `${info?.name} declares ${declared} bytes but only ${remaining} remain`);
          }
          const inline = length <= this.limits.inlineBytes;
          if (inline && dataStart + length > end) return need(start, 1 + width + length);
          stack.push(this.sized(code, dataStart, length, inline));
          pos = dataStart + length;
          break;
        }
        case op.EMPTY_LIST:
          stack.push(new PSeq('list'));
          pos += 1;
          break;
        case op.EMPTY_TUPLE:
          stack.push(new PSeq('tuple'));
          pos += 1;
          break;
        case op.EMPTY_DICT:
          stack.push(new PSeq('dict'));
          pos += 1;
          break;
        case op.EMPTY_SET:
          stack.push(new PSeq('set'));
          pos += 1;
          break;
        case op.LIST:
        case op.TUPLE:
        case op.DICT:
        case op.FROZENSET: {
          if (this.metastack.length === 0) return fail(start, `${opcodes[code]?.name} without MARK`);
          const items = stack;
          stack = this.metastack.pop() as PValue[];
          const kind =
            code === op.LIST ? 'list' : code === op.TUPLE ? 'tuple' : code === op.DICT ? 'dict' : 'frozenset';
          stack.push(seq(kind, items, kind === 'dict' ? items.length >> 1 : items.length));
          pos += 1;
          break;
        }
        case op.TUPLE1:
        case op.TUPLE2:
        case op.TUPLE3: {
          const n = code - op.TUPLE1 + 1;
          if (stack.length < n) return fail(start, `${opcodes[code]?.name} needs ${n} values`);
          const c = n === 3 ? (stack.pop() as PValue) : undefined;
          const b = n >= 2 ? (stack.pop() as PValue) : undefined;
          const a = stack.pop() as PValue;
          const tuple = new PSeq('tuple', n);
          tuple.push(a);
          if (n >= 2) tuple.push(b as PValue);
          if (n === 3) tuple.push(c as PValue);
          stack.push(tuple);
          pos += 1;
          break;
        }
        case op.APPEND:
        case op.SETITEM: {
          const n = code === op.APPEND ? 1 : 2;
          if (stack.length < n + 1) return fail(start, `${opcodes[code]?.name} needs ${n + 1} values`);
          const items = stack.splice(stack.length - n, n);
          addItems(stack[stack.length - 1] as PValue, items, n);
          pos += 1;
          break;
        }
        case op.APPENDS:
        case op.SETITEMS:
        case op.ADDITEMS: {
          if (this.metastack.length === 0) return fail(start, `${opcodes[code]?.name} without MARK`);
          const items = stack;
          stack = this.metastack.pop() as PValue[];
          if (stack.length === 0) return fail(start, `${opcodes[code]?.name} with nothing to add to`);
          addItems(stack[stack.length - 1] as PValue, items, code === op.SETITEMS ? 2 : 1);
          pos += 1;
          break;
        }
        case op.REDUCE:
        case op.NEWOBJ: {
          if (stack.length < 2) return fail(start, `${opcodes[code]?.name} needs two values`);
          const args = stack.pop() as PValue;
          const fn = stack.pop() as PValue;
          stack.push(this.call(fn, args, start, code === op.REDUCE ? 'REDUCE' : 'NEWOBJ'));
          pos += 1;
          break;
        }
        case op.NEWOBJ_EX: {
          if (stack.length < 3) return fail(start, 'NEWOBJ_EX needs three values');
          const kwargs = stack.pop() as PValue;
          const args = stack.pop() as PValue;
          const cls = stack.pop() as PValue;
          const call = this.call(cls, args, start, 'NEWOBJ_EX');
          this.noteEmbedded(kwargs);
          stack.push(call);
          pos += 1;
          break;
        }
        case op.OBJ: {
          if (this.metastack.length === 0) return fail(start, 'OBJ without MARK');
          const items = stack;
          stack = this.metastack.pop() as PValue[];
          if (items.length === 0) return fail(start, 'OBJ without a class');
          const cls = items.shift() as PValue;
          stack.push(this.call(cls, seq('tuple', items), start, 'OBJ'));
          pos += 1;
          break;
        }
        case op.BUILD: {
          if (stack.length < 2) return fail(start, 'BUILD needs two values');
          const state = stack.pop() as PValue;
          const obj = stack[stack.length - 1] as PValue;
          if (isObj(obj) && obj.kind === 'call') obj.state = state;
          this.noteEmbedded(state);
          pos += 1;
          const after = this.onBuild?.(obj);
          if (after === 'nested') {
            this.suspended.push({ stack, metastack: this.metastack });
            stack = [];
            this.metastack = [];
          } else if (after !== undefined) {
            this.pendingSkip = after;
          }
          break;
        }
        case op.BINPERSID: {
          if (stack.length === 0) return fail(start, 'BINPERSID with an empty stack');
          const pid = stack.pop() as PValue;
          stack.push(this.persid(pid, start));
          pos += 1;
          break;
        }
        case op.EXT1:
        case op.EXT2:
        case op.EXT4: {
          const width = code === op.EXT1 ? 1 : code === op.EXT2 ? 2 : 4;
          if (pos + 1 + width > end) return need(start, 1 + width);
          const ext =
            width === 1 ? (buf[pos + 1] as number) : width === 2 ? buf.readUInt16LE(pos + 1) : buf.readInt32LE(pos + 1);
          this.oddity('ext', this.base + start, `extension code ${ext}`);
          const value: POther = { kind: 'ext', detail: `extension code ${ext}` };
          stack.push(value);
          pos += 1 + width;
          break;
        }
        case op.NEXT_BUFFER: {
          this.oddity('buffer', this.base + start, 'out-of-band buffer');
          const value: POther = { kind: 'buffer', detail: 'out-of-band' };
          stack.push(value);
          pos += 1;
          break;
        }
        case op.READONLY_BUFFER:
          if (stack.length === 0) return fail(start, 'READONLY_BUFFER with an empty stack');
          pos += 1;
          break;
        default:
          return fail(start, `invalid opcode 0x${code.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private fail(at: number, message: string): RunResult {
    return { kind: 'error', message, offset: this.base + at };
  }

  private oddity(kind: Oddity['kind'], offset: number, detail: string): void {
    if (this.oddities.length < maxOddities) this.oddities.push({ kind, offset, detail });
  }

  private global(module: string, name: string, at: number, opcode: string): PGlobal {
    const key = `${module}\n${name}`;
    const offset = this.base + at;
    let record = this.imports.get(key);
    if (record) record.count++;
    else {
      record = newImportRecord(module, name, opcode, offset);
      this.imports.set(key, record);
    }
    return { kind: 'global', module, name, offset, opcode };
  }

  private call(fn: PValue, args: PValue, at: number, opcode: string): PValue {
    const encoded = latin1Encoded(fn, args, this.base + at);
    if (encoded) return encoded;
    const call: PCall = { kind: 'call', fn, args, offset: this.base + at, opcode };
    const root = rootGlobal(fn);
    if (root) {
      const record = this.imports.get(`${root.module}\n${root.name}`);
      if (record) {
        if (record.calls.length < maxCallsKept) record.calls.push(call);
        if (fn === root) noteDirectCall(record, args);
      }
    }
    this.noteEmbedded(args);
    return call;
  }

  private persid(pid: PValue, at: number): POther {
    this.onPersistentId?.(pid);
    if (typeof pid === 'string' || !isObj(pid) || pid.kind !== 'tuple') {
      this.oddity(
        'persid',
        this.base + at,
        `persistent id ${typeof pid === 'string' ? pid.slice(0, 60) : 'non-tuple'}`,
      );
    }
    this.noteEmbedded(pid);
    return { kind: 'persid', detail: '', pid };
  }

  /** Looks one level into arguments for byte strings that hold a pickle or an archive of their own. */
  private noteEmbedded(value: PValue, depth = 0): void {
    if (!isObj(value) || this.embedded.length >= maxEmbedded) return;
    if (value.kind === 'bytes' || value.kind === 'bytearray') {
      if (looksSerialized(value.head)) this.embedded.push(value);
    } else if ((value.kind === 'tuple' || value.kind === 'list' || value.kind === 'dict') && depth < 2) {
      for (let i = 0; i < value.size; i++) this.noteEmbedded(value.at(i) as PValue, depth + 1);
    } else if (value.kind === 'call' && depth < 2) {
      this.noteEmbedded(value.args, depth + 1);
    }
  }

  private sized(code: number, dataStart: number, length: number, inline: boolean): PValue {
    const buf = this.buf;
    const headEnd = Math.min(dataStart + (inline ? length : headBytes), this.end);
    switch (code) {
      case op.LONG1:
      case op.LONG4:
        return inline && length <= 64
          ? decodeLong(buf.subarray(dataStart, dataStart + length))
          : { kind: 'bigint-bytes', detail: `${length}-byte integer` };
      case op.SHORT_BINUNICODE:
      case op.BINUNICODE:
      case op.BINUNICODE8:
      case op.SHORT_BINSTRING:
      case op.BINSTRING: {
        const encoding = code === op.SHORT_BINSTRING || code === op.BINSTRING ? 'latin1' : 'utf8';
        if (inline) return buf.toString(encoding, dataStart, dataStart + length);
        return {
          kind: 'longstr',
          head: buf.toString(encoding, dataStart, headEnd),
          length,
          offset: this.base + dataStart,
        };
      }
      default: {
        const head = Buffer.from(buf.subarray(dataStart, inline ? Math.min(headEnd, dataStart + headBytes) : headEnd));
        const value: PBytes = {
          kind: code === op.BYTEARRAY8 ? 'bytearray' : 'bytes',
          head,
          length,
          offset: this.base + dataStart,
          complete: inline && length <= headBytes,
        };
        return value;
      }
    }
  }
}

function seq(kind: SeqKind, items: PValue[], count = items.length): PSeq {
  return PSeq.of(kind, items, count);
}

function addItems(target: PValue, items: PValue[], width: number): void {
  if (!isObj(target)) return;
  if (target.kind === 'list' || target.kind === 'set' || target.kind === 'dict' || target.kind === 'frozenset') {
    target.count += items.length / width;
    const room = Math.min(items.length, keptItems - target.size);
    for (let i = 0; i < room; i++) target.push(items[i] as PValue);
  }
}
