/**
 * Just enough of CPython's marshal format to list what a Lambda layer's code object names: co_names (globals
 * and attributes it loads, e.g. `__import__`, `system`) and the strings among its constants (e.g. `'os'`),
 * nested code objects included. The code object layout changed across versions, so the known layouts are
 * tried in turn; bytecode itself is never interpreted. Bounded in objects, depth and lengths.
 */
export interface CodeSummary {
  readonly names: string[];
  readonly strings: string[];
  /** Which code object layout parsed: 'py3.11+', 'py3.8-3.10' or 'py3.0-3.7'. */
  readonly layout: string;
}

class MarshalError extends Error {}

/** Fields after the code object's leading ints: 'i' an int32, 'o' an object; code, consts, names first. */
const layouts = [
  // argcount, posonlyargcount, kwonlyargcount, stacksize, flags; then localsplusnames, kinds, filename,
  // name, qualname, firstlineno, linetable, exceptiontable.
  { name: 'py3.11+', ints: 5, tail: 'oooooioo' },
  // argcount, posonly, kwonly, nlocals, stacksize, flags; varnames, freevars, cellvars, filename, name, firstlineno, lnotab.
  { name: 'py3.8-3.10', ints: 6, tail: 'oooooio' },
  // argcount, kwonly, nlocals, stacksize, flags; varnames, freevars, cellvars, filename, name, firstlineno, lnotab.
  { name: 'py3.0-3.7', ints: 5, tail: 'oooooio' },
] as const;

type Layout = (typeof layouts)[number];
type Value = string | Uint8Array | Value[] | { code: true } | null | number | boolean;

const maxObjects = 200_000;
const maxDepth = 64;

export function summarizeCode(data: Buffer): CodeSummary | undefined {
  for (const layout of layouts) {
    const summary: CodeSummary = { names: [], strings: [], layout: layout.name };
    try {
      const reader = new Reader(data, layout, summary);
      const top = reader.object(0);
      if (typeof top !== 'object' || top === null || !('code' in top)) continue;
      if (reader.at !== data.length) continue;
      return { ...summary, names: unique(summary.names), strings: unique(summary.strings) };
    } catch (error) {
      if (!(error instanceof MarshalError || error instanceof RangeError)) throw error;
    }
  }
  return undefined;
}

const unique = (values: string[]): string[] => [...new Set(values)];

class Reader {
  at = 0;
  private objects = 0;
  private readonly refs: Value[] = [];

  constructor(
    private readonly data: Buffer,
    private readonly layout: Layout,
    private readonly summary: CodeSummary,
  ) {}

  private take(n: number): Buffer {
    if (n < 0 || this.at + n > this.data.length) throw new MarshalError('truncated');
    const bytes = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return bytes;
  }
  private int32(): number {
    return this.take(4).readInt32LE(0);
  }
  private count(): number {
    const n = this.int32();
    if (n < 0 || n > this.data.length - this.at) throw new MarshalError(`impossible length ${n}`);
    return n;
  }

  object(depth: number): Value {
    if (depth > maxDepth || ++this.objects > maxObjects) throw new MarshalError('too deep or too many objects');
    const byte = this.take(1)[0] as number;
    const flagRef = (byte & 0x80) !== 0;
    const type = String.fromCharCode(byte & 0x7f);
    // FLAG_REF reserves the slot before the contents are read, as CPython does.
    const slot = flagRef ? this.refs.push(null) - 1 : -1;
    const value = this.value(type, depth);
    if (slot >= 0) this.refs[slot] = value;
    return value;
  }

  private value(type: string, depth: number): Value {
    switch (type) {
      case '0':
      case 'N':
      case 'S':
      case '.':
        return null;
      case 'F':
      case 'T':
        return type === 'T';
      case 'i':
        return this.int32();
      case 'I':
      case 'g':
        this.take(8);
        return 0;
      case 'y':
        this.take(16);
        return 0;
      case 'f':
      case 'x':
        this.take(this.take(1)[0] as number);
        return 0;
      case 'l': {
        const digits = Math.abs(this.int32());
        this.take(digits * 2);
        return 0;
      }
      case 's':
        return new Uint8Array(this.take(this.count()));
      case 't':
      case 'u':
      case 'a':
      case 'A':
        return this.take(this.count()).toString(type === 'u' || type === 't' ? 'utf8' : 'latin1');
      case 'z':
      case 'Z':
        return this.take(this.take(1)[0] as number).toString('latin1');
      case 'r': {
        const index = this.int32();
        if (index < 0 || index >= this.refs.length) throw new MarshalError(`bad reference ${index}`);
        return this.refs[index] as Value;
      }
      case '(':
      case '[':
      case '<':
      case '>':
        return this.items(this.count(), depth);
      case ')':
        return this.items(this.take(1)[0] as number, depth);
      case '{': {
        const items: Value[] = [];
        for (;;) {
          if (this.data[this.at] === 0x30) {
            this.at++;
            return items;
          }
          items.push(this.object(depth + 1), this.object(depth + 1));
        }
      }
      case 'c':
        return this.code(depth);
      default:
        throw new MarshalError(`unknown type code ${JSON.stringify(type)}`);
    }
  }

  private items(n: number, depth: number): Value[] {
    const items: Value[] = [];
    for (let i = 0; i < n; i++) items.push(this.object(depth + 1));
    return items;
  }

  private code(depth: number): Value {
    for (let i = 0; i < this.layout.ints; i++) this.int32();
    const bytecode = this.object(depth + 1);
    const consts = this.object(depth + 1);
    const names = this.object(depth + 1);
    if (!(bytecode instanceof Uint8Array) || !Array.isArray(consts) || !Array.isArray(names)) {
      throw new MarshalError('not a code object of this layout');
    }
    for (const name of names) {
      if (typeof name !== 'string') throw new MarshalError('co_names holds a non-string');
      this.summary.names.push(name);
    }
    for (const constant of consts) if (typeof constant === 'string') this.summary.strings.push(constant);
    for (const field of this.layout.tail) {
      if (field === 'i') this.int32();
      else this.object(depth + 1);
    }
    return { code: true };
  }
}
