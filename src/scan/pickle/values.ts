/**
 * Symbolic values of the pickle machine. Nothing here is a live Python object: a call is a record of
 * what would be called with what, containers keep only their first items (enough to show evidence),
 * and byte strings too large to hold are references into the source.
 */
export interface PGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
  readonly offset: number;
  readonly opcode: string;
}
export interface PCall {
  readonly kind: 'call';
  readonly fn: PValue;
  readonly args: PValue;
  readonly offset: number;
  readonly opcode: string;
  /** BUILD state applied to the result, kept for reconstruction helpers (numpy dtype, joblib wrappers). */
  state?: PValue;
}
export type SeqKind = 'list' | 'tuple' | 'set' | 'frozenset' | 'dict';

/**
 * A container. The first items live in fields and only larger containers allocate an array: memoized
 * containers stay alive for the whole pickle, and one object instead of three keeps the garbage
 * collector's work (the main cost on large pickles) in proportion. Items past `keptItems` are counted,
 * not kept; for dicts items alternate key, value.
 */
export class PSeq {
  count: number;
  private stored = 0;
  private i0: PValue = null;
  private i1: PValue = null;
  private i2: PValue = null;
  private i3: PValue = null;
  private rest: PValue[] | undefined;

  constructor(
    readonly kind: SeqKind,
    count = 0,
  ) {
    this.count = count;
  }

  static of(kind: SeqKind, items: readonly PValue[], count = items.length): PSeq {
    const seq = new PSeq(kind, count);
    const n = Math.min(items.length, keptItems);
    for (let i = 0; i < n; i++) seq.push(items[i] as PValue);
    return seq;
  }

  /** Number of items kept (at most `keptItems`). */
  get size(): number {
    return this.stored;
  }

  at(index: number): PValue | undefined {
    if (index < 0 || index >= this.stored) return undefined;
    switch (index) {
      case 0:
        return this.i0;
      case 1:
        return this.i1;
      case 2:
        return this.i2;
      case 3:
        return this.i3;
      default:
        return this.rest?.[index - 4];
    }
  }

  push(value: PValue): void {
    switch (this.stored) {
      case 0:
        this.i0 = value;
        break;
      case 1:
        this.i1 = value;
        break;
      case 2:
        this.i2 = value;
        break;
      case 3:
        this.i3 = value;
        break;
      default:
        if (this.stored >= keptItems) return;
        this.rest ??= [];
        this.rest.push(value);
    }
    this.stored++;
  }

  /** A copy of the kept items, for evidence and reconstruction helpers (not for hot paths). */
  get items(): PValue[] {
    const out: PValue[] = [];
    for (let i = 0; i < this.stored; i++) out.push(this.at(i) as PValue);
    return out;
  }
}

/** Bytes or text; `head` holds the first bytes, `complete` says whether it is all of it. */
export interface PBytes {
  readonly kind: 'bytes' | 'bytearray';
  readonly head: Buffer;
  readonly length: number;
  /** Absolute offset of the data in the scanned source. */
  readonly offset: number;
  readonly complete: boolean;
  /** The whole content, when it was rebuilt in memory rather than found as one run of source bytes. */
  readonly data?: Buffer;
}
export interface PLongText {
  readonly kind: 'longstr';
  readonly head: string;
  readonly length: number;
  readonly offset: number;
}
export interface POther {
  readonly kind: 'persid' | 'ext' | 'buffer' | 'bigint-bytes' | 'unknown';
  readonly detail: string;
  readonly pid?: PValue;
}
export type PValue = null | boolean | number | bigint | string | PGlobal | PCall | PSeq | PBytes | PLongText | POther;

export const keptItems = 32;

export function isObj(value: PValue | undefined): value is Exclude<PValue, null | boolean | number | bigint | string> {
  return typeof value === 'object' && value !== null;
}

/** The global a call chain starts from: `getattr(os, 'system')('ls')` → builtins.getattr. */
export function rootGlobal(value: PValue): PGlobal | undefined {
  let current: PValue = value;
  for (let hops = 0; hops < 64 && isObj(current); hops++) {
    if (current.kind === 'global') return current;
    if (current.kind !== 'call') return undefined;
    current = current.fn;
  }
  return undefined;
}

const maxRender = 240;

/** A bounded, Python-like rendering of a value for evidence. */
export function render(value: PValue, depth = 0): string {
  const text = renderInner(value, depth);
  return text.length > maxRender ? `${text.slice(0, maxRender - 1)}…` : text;
}

function renderInner(value: PValue, depth: number): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return quote(value);
  if (depth > 4) return '…';
  switch (value.kind) {
    case 'global':
      return `${value.module}.${value.name}`;
    case 'call': {
      const args = value.args;
      const inner =
        isObj(args) && args.kind === 'tuple'
          ? renderItems(args.items, args.count, depth)
          : args === null
            ? ''
            : `*${renderInner(args, depth + 1)}`;
      return `${renderInner(value.fn, depth + 1)}(${inner})`;
    }
    case 'list':
      return `[${renderItems(value.items, value.count, depth)}]`;
    case 'tuple':
      return `(${renderItems(value.items, value.count, depth)}${value.count === 1 ? ',' : ''})`;
    case 'set':
    case 'frozenset':
      return `${value.kind}({${renderItems(value.items, value.count, depth)}})`;
    case 'dict': {
      const parts: string[] = [];
      for (let i = 0; i + 1 < value.items.length && parts.length < 6; i += 2) {
        parts.push(
          `${renderInner(value.items[i] as PValue, depth + 1)}: ${renderInner(value.items[i + 1] as PValue, depth + 1)}`,
        );
      }
      if (value.count > parts.length) parts.push('…');
      return `{${parts.join(', ')}}`;
    }
    case 'bytes':
    case 'bytearray': {
      const shown = value.head.subarray(0, 48).toString('latin1');
      const more = value.length > 48 ? `…(${value.length} bytes)` : '';
      return `${value.kind === 'bytearray' ? 'bytearray(' : ''}b${quote(shown)}${more}${value.kind === 'bytearray' ? ')' : ''}`;
    }
    case 'longstr':
      return `${quote(value.head.slice(0, 48))}…(${value.length} bytes)`;
    default:
      return `<${value.kind}${value.detail ? ` ${value.detail}` : ''}>`;
  }
}

function renderItems(items: readonly PValue[], count: number, depth: number): string {
  const parts = items.slice(0, 6).map((item) => renderInner(item, depth + 1));
  if (count > parts.length) parts.push('…');
  return parts.join(', ');
}

function quote(text: string): string {
  const escaped = text.replace(/[\\'\x00-\x1f\x7f-\x9f]/g, (c) =>
    c === '\\' ? '\\\\' : c === "'" ? "\\'" : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `'${escaped}'`;
}
