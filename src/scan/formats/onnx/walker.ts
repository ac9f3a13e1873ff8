import { expectWire, type Field, type ProtoReader, wire } from '../../io/proto-reader.js';
import { LimitError } from '../../limits.js';
import type { ExternalDataChecker, ExternalRef } from './external-data.js';

/** One operator as used by the model: (domain, op_type), how often, and where first. */
export interface OpUse {
  readonly domain: string;
  readonly opType: string;
  count: number;
  readonly where: string;
  readonly at: number;
  /** String attributes of the first use (module, class_name, compute …), for evidence. */
  readonly attributes: Record<string, string>;
}

/**
 * If/Loop/Scan bodies nest graphs inside node attributes. Real models nest a handful deep; protobuf's own
 * recursion limit is 100. Past this bound the file is reported as exceeding the depth limit.
 */
export const maxGraphDepth = 32;
const maxAttributeText = 256;
const maxDistinctOps = 10_000;

/**
 * Walks a ModelProto: graphs (and the graphs nested in attributes), training graphs and local functions,
 * recording every operator used and checking every tensor's external data. raw_data and the numeric
 * fields of tensors are skipped by their length and never read.
 */
export class OnnxWalker {
  readonly ops = new Map<string, OpUse>();
  readonly functions = new Set<string>();
  graphs = 0;
  /** More distinct operators than are tracked: a hostile file, reported as partial. */
  opsOverflow = false;

  constructor(
    private readonly reader: ProtoReader,
    private readonly external: ExternalDataChecker,
  ) {}

  async model(start: number, end: number): Promise<void> {
    for await (const field of this.reader.fields(start, end)) {
      if (field.num === 7) await this.graph(field, 'graph', 0);
      else if (field.num === 20) await this.trainingInfo(field);
      else if (field.num === 25) await this.func(field);
    }
  }

  private async trainingInfo(info: Field): Promise<void> {
    expectWire(info, wire.len, 'training_info');
    for await (const field of this.reader.fields(info.start, info.end)) {
      if (field.num === 1 || field.num === 2) {
        await this.graph(field, field.num === 1 ? 'training_info.initialization' : 'training_info.algorithm', 0);
      }
    }
  }

  private async graph(graph: Field, where: string, depth: number): Promise<void> {
    expectWire(graph, wire.len, where);
    if (depth > maxGraphDepth) {
      throw new LimitError('maxDepth', `ONNX subgraphs nested deeper than ${maxGraphDepth} levels at ${where}`);
    }
    this.graphs++;
    for await (const field of this.reader.fields(graph.start, graph.end)) {
      if (field.num === 1) await this.node(field, where, depth);
      else if (field.num === 5) await this.tensor(field);
      else if (field.num === 15) await this.sparseTensor(field);
    }
  }

  private async func(fn: Field): Promise<void> {
    expectWire(fn, wire.len, 'function');
    let name = '';
    let domain = '';
    const nodes: Field[] = [];
    for await (const field of this.reader.fields(fn.start, fn.end)) {
      if (field.num === 1) name = await this.text(field);
      else if (field.num === 10) domain = await this.text(field);
      else if (field.num === 7) nodes.push(field);
    }
    this.functions.add(opKey(domain, name));
    for (const node of nodes) await this.node(node, `function ${domain}:${name}`, 0);
  }

  private async node(node: Field, where: string, depth: number): Promise<void> {
    expectWire(node, wire.len, 'node');
    let opType = '';
    let domain = '';
    let name = '';
    const attributes: Record<string, string> = {};
    for await (const field of this.reader.fields(node.start, node.end)) {
      if (field.num === 4) opType = await this.text(field);
      else if (field.num === 7) domain = await this.text(field);
      else if (field.num === 3) name = await this.text(field);
      else if (field.num === 5) await this.attribute(field, `${where}/${name || opType || 'node'}`, depth, attributes);
    }
    // 'ai.onnx' is the default domain spelled out.
    const key = opKey(domain === 'ai.onnx' ? '' : domain, opType);
    const seen = this.ops.get(key);
    if (seen) seen.count++;
    else if (this.ops.size >= maxDistinctOps) this.opsOverflow = true;
    else
      this.ops.set(key, {
        domain,
        opType,
        count: 1,
        where: name ? `${where}/${name}` : where,
        at: node.at,
        attributes,
      });
  }

  private async attribute(attr: Field, where: string, depth: number, strings: Record<string, string>): Promise<void> {
    expectWire(attr, wire.len, 'attribute');
    let name = '';
    for await (const field of this.reader.fields(attr.start, attr.end)) {
      if (field.num === 1) name = await this.text(field);
      else if (field.num === 4 && field.wire === wire.len && Object.keys(strings).length < 16) {
        strings[name || '?'] = await this.text(field, maxAttributeText);
      } else if (field.num === 6 || field.num === 11) await this.graph(field, `${where}.${name || 'g'}`, depth + 1);
      else if (field.num === 5 || field.num === 10) await this.tensor(field);
      else if (field.num === 22 || field.num === 23) await this.sparseTensor(field);
    }
  }

  private async sparseTensor(sparse: Field): Promise<void> {
    expectWire(sparse, wire.len, 'sparse tensor');
    for await (const field of this.reader.fields(sparse.start, sparse.end)) {
      if (field.num === 1 || field.num === 2) await this.tensor(field);
    }
  }

  private async tensor(tensor: Field): Promise<void> {
    expectWire(tensor, wire.len, 'tensor');
    let name = '';
    let dataLocation = 0;
    const entries = new Map<string, string>();
    let external = false;
    // raw_data (9) and the *_data fields are never read: the iterator steps over them by length.
    for await (const field of this.reader.fields(tensor.start, tensor.end)) {
      if (field.num === 8) name = await this.text(field);
      else if (field.num === 14 && field.wire === wire.varint) dataLocation = field.value;
      else if (field.num === 13) {
        external = true;
        const [key, value] = await this.entry(field);
        if (!entries.has(key)) entries.set(key, value);
      }
    }
    if (!external && dataLocation !== 1) return;
    const ref: ExternalRef = {
      tensor: name,
      location: entries.get('location'),
      offset: entries.get('offset'),
      length: entries.get('length'),
      dataLocation,
      at: tensor.at,
    };
    await this.external.check(ref);
  }

  private async entry(entry: Field): Promise<[string, string]> {
    expectWire(entry, wire.len, 'external_data entry');
    let key = '';
    let value = '';
    for await (const field of this.reader.fields(entry.start, entry.end)) {
      if (field.num === 1) key = await this.text(field);
      else if (field.num === 2) value = await this.text(field);
    }
    return [key, value];
  }

  private async text(field: Field, max = 4096): Promise<string> {
    expectWire(field, wire.len, 'string');
    return this.reader.string(field, max);
  }
}

export function opKey(domain: string, opType: string): string {
  return `${domain}\0${opType}`;
}
