import { expectWire, type Field, type ProtoReader, wire } from '../../io/proto-reader.js';
import { dangerousOps, keptAttributes } from './dangerous-ops.js';

/** A node worth a second look: a dangerous op (or PrintV2), with its inputs and the attributes it needs. */
export interface FlaggedNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly attrs: ReadonlyMap<string, readonly string[]>;
  readonly at: number;
}

/** One name space of nodes: a GraphDef, or one FunctionDef of its library. */
export interface Scope {
  readonly where: string;
  /** String constants by node name, to resolve the file arguments of dangerous ops. */
  readonly consts: Map<string, readonly string[]>;
  readonly flagged: FlaggedNode[];
}

export interface OpCount {
  count: number;
  readonly where: string;
  readonly at: number;
}

const maxInputs = 8;
const maxStrings = 8;
const maxString = 4096;
const maxConsts = 100_000;
const maxDistinctOps = 10_000;
const dtString = 7;

/**
 * Walks GraphDefs and their function libraries (GraphDef node=1, library=2; FunctionDefLibrary
 * function=1; FunctionDef signature=1 (OpDef name=1), node_def=3; NodeDef name=1, op=2, input=3,
 * device=4, attr=5). Only names, op types, inputs and a few string attributes are read; tensor
 * contents (weights of a frozen graph) are stepped over by length.
 */
export class TfGraphWalker {
  readonly ops = new Map<string, OpCount>();
  readonly functionNames = new Set<string>();
  readonly scopes: Scope[] = [];
  opsOverflow = false;

  constructor(private readonly reader: ProtoReader) {}

  async graphDef(start: number, end: number, where: string): Promise<void> {
    const scope = this.scope(where);
    for await (const field of this.reader.fields(start, end)) {
      if (field.num === 1) await this.node(field, scope);
      else if (field.num === 2) await this.library(field, where);
    }
  }

  private scope(where: string): Scope {
    const scope: Scope = { where, consts: new Map(), flagged: [] };
    this.scopes.push(scope);
    return scope;
  }

  private async library(library: Field, where: string): Promise<void> {
    expectWire(library, wire.len, 'library');
    for await (const field of this.reader.fields(library.start, library.end)) {
      if (field.num === 1) await this.functionDef(field, where);
    }
  }

  private async functionDef(fn: Field, where: string): Promise<void> {
    expectWire(fn, wire.len, 'function');
    let name = '';
    const nodes: Field[] = [];
    for await (const field of this.reader.fields(fn.start, fn.end)) {
      if (field.num === 1) name = await this.opDefName(field);
      else if (field.num === 3) nodes.push(field);
    }
    // Nodes whose op is a library function call that function, not a kernel.
    this.functionNames.add(name);
    const scope = this.scope(`${where} function ${name || '?'}`);
    for (const node of nodes) await this.node(node, scope);
  }

  private async opDefName(opDef: Field): Promise<string> {
    expectWire(opDef, wire.len, 'signature');
    for await (const field of this.reader.fields(opDef.start, opDef.end)) {
      if (field.num === 1) return this.text(field);
    }
    return '';
  }

  private async node(node: Field, scope: Scope): Promise<void> {
    expectWire(node, wire.len, 'node');
    let name = '';
    let op = '';
    const inputs: string[] = [];
    const attrs = new Map<string, string[]>();
    for await (const field of this.reader.fields(node.start, node.end)) {
      if (field.num === 1) name = await this.text(field);
      else if (field.num === 2) op = await this.text(field);
      else if (field.num === 3 && inputs.length < maxInputs) inputs.push(await this.text(field));
      else if (field.num === 5) await this.attr(field, attrs);
    }
    const seen = this.ops.get(op);
    if (seen) seen.count++;
    else if (this.ops.size >= maxDistinctOps) this.opsOverflow = true;
    else this.ops.set(op, { count: 1, where: `${scope.where}/${name}`, at: node.at });
    const value = attrs.get('value');
    if (op === 'Const' && value && scope.consts.size < maxConsts) scope.consts.set(name, value);
    if (dangerousOps[op] || op === 'PrintV2') scope.flagged.push({ name, op, inputs, attrs, at: node.at });
  }

  /** map<string, AttrValue> entry: key=1, value=2. Only the attributes the checks need are decoded. */
  private async attr(entry: Field, attrs: Map<string, string[]>): Promise<void> {
    expectWire(entry, wire.len, 'attr');
    let key = '';
    for await (const field of this.reader.fields(entry.start, entry.end)) {
      if (field.num === 1) key = await this.text(field);
      else if (field.num === 2 && keptAttributes.has(key)) attrs.set(key, await this.attrStrings(field));
    }
  }

  /** AttrValue s=2, list=1 (ListValue s=2), tensor=8 (TensorProto dtype=1, string_val=8). */
  private async attrStrings(value: Field): Promise<string[]> {
    expectWire(value, wire.len, 'attr value');
    const out: string[] = [];
    for await (const field of this.reader.fields(value.start, value.end)) {
      if (field.num === 2 && field.wire === wire.len && out.length < maxStrings) out.push(await this.text(field));
      else if (field.num === 1 && field.wire === wire.len) await this.collect(field, 2, out);
      else if (field.num === 8 && field.wire === wire.len) await this.tensorStrings(field, out);
    }
    return out;
  }

  private async tensorStrings(tensor: Field, out: string[]): Promise<void> {
    let dtype = 0;
    const strings: Field[] = [];
    // tensor_content (4), the bulk of a frozen graph, is stepped over.
    for await (const field of this.reader.fields(tensor.start, tensor.end)) {
      if (field.num === 1 && field.wire === wire.varint) dtype = field.value;
      else if (field.num === 8 && field.wire === wire.len && strings.length < maxStrings) strings.push(field);
    }
    if (dtype !== dtString) return;
    for (const field of strings) out.push(await this.reader.string(field, maxString));
  }

  private async collect(list: Field, num: number, out: string[]): Promise<void> {
    for await (const field of this.reader.fields(list.start, list.end)) {
      if (field.num === num && field.wire === wire.len && out.length < maxStrings) out.push(await this.text(field));
    }
  }

  private async text(field: Field): Promise<string> {
    expectWire(field, wire.len, 'string');
    return this.reader.string(field, maxString);
  }
}

/** The node an input names: `name`, `name:0`, `name:output:0` or `^name` (control input). */
export function inputNode(input: string): string {
  return (input.startsWith('^') ? input.slice(1) : input).split(':')[0] ?? '';
}
