import { z } from 'zod';
import { type Evidence, evidenceSchema } from '../contracts/index.js';

/**
 * The CEL view of the evidence, derived from the one zod schema in src/contracts (through its JSON
 * Schema, a stable public form): the type declarations the checker is given, the conversion of a
 * document into CEL values (CEL integers are BigInt), and the table of fields the docs show.
 */
export type Shape =
  | { readonly kind: 'bool' | 'string' | 'int' | 'double'; readonly description: string }
  | { readonly kind: 'map'; readonly description: string }
  | { readonly kind: 'list'; readonly item: Shape; readonly typeName: string; readonly description: string }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape>>; readonly description: string };

/** Items of a list and characters of a string a policy sees; evidence beyond this is cut. */
export const VIEW_LIMITS = { listItems: 256, stringChars: 8192 } as const;

interface JsonNode {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Record<string, JsonNode>;
  readonly items?: JsonNode;
  readonly anyOf?: readonly JsonNode[];
}

function shapeOf(node: JsonNode, path: string): Shape {
  const description = node.description ?? '';
  if (node.anyOf) {
    // Only `T | null` occurs in the evidence: nulls reach policies as T's zero value.
    const inner = node.anyOf.find((option) => option.type !== 'null');
    if (!inner) throw new Error(`${path}: unsupported union`);
    return { ...shapeOf(inner, path), description };
  }
  switch (node.type) {
    case 'boolean':
      return { kind: 'bool', description };
    case 'string':
      return { kind: 'string', description };
    case 'integer':
      return { kind: 'int', description };
    case 'number':
      return { kind: 'double', description };
    case 'array':
      return { kind: 'list', item: shapeOf(node.items ?? {}, `${path}[]`), typeName: typeNameOf(path), description };
    case 'object':
      if (!node.properties) return { kind: 'map', description };
      return {
        kind: 'object',
        fields: Object.fromEntries(
          Object.entries(node.properties).map(([key, child]) => [key, shapeOf(child, path ? `${path}.${key}` : key)]),
        ),
        description,
      };
    default:
      throw new Error(`${path}: unsupported JSON Schema type ${String(node.type)}`);
  }
}

/** `lineage.datasets` → `LineageDataset`: the CEL type name of a list's items. */
function typeNameOf(path: string): string {
  const name = path
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

/** The evidence document's shape; `schemaVersion` is not a policy variable. */
export const evidenceShape: Extract<Shape, { kind: 'object' }> = (() => {
  const shape = shapeOf(z.toJSONSchema(evidenceSchema, { io: 'output' }) as JsonNode, '');
  if (shape.kind !== 'object') throw new Error('evidence must be an object');
  const { schemaVersion: _version, ...fields } = shape.fields;
  return { ...shape, fields };
})();

/**
 * The class of a list's object items, per CEL type name: the checker knows such a value's type from
 * its class, so items are built as instances (plain objects would be `map` when indexed).
 */
const itemClasses = new Map<string, new (fields: Record<string, unknown>) => object>();

export function itemClass(typeName: string): new (fields: Record<string, unknown>) => object {
  let found = itemClasses.get(typeName);
  if (!found) {
    found = class {
      constructor(fields: Record<string, unknown>) {
        Object.assign(this, fields);
      }
    };
    Object.defineProperty(found, 'name', { value: typeName });
    itemClasses.set(typeName, found);
  }
  return found;
}

/** A CEL type string, or a nested schema object as `registerVariable({ schema })` takes it. */
export type CelSchema = string | { readonly [key: string]: CelSchema };

/** The declaration of one shape; object types of list items are added to `types`. */
export function celSchemaOf(shape: Shape, types: Map<string, Record<string, CelSchema>>): CelSchema {
  switch (shape.kind) {
    case 'map':
      return 'map<string, string>';
    case 'object':
      return Object.fromEntries(Object.entries(shape.fields).map(([key, field]) => [key, celSchemaOf(field, types)]));
    case 'list': {
      if (shape.item.kind !== 'object') return `list<${celSchemaOf(shape.item, types) as string}>`;
      types.set(shape.typeName, celSchemaOf(shape.item, types) as Record<string, CelSchema>);
      return `list<${shape.typeName}>`;
    }
    default:
      return shape.kind;
  }
}

/** A value as CEL sees it: integers as BigInt, nulls as zero values, lists and strings within the view limits. */
export function toCel(value: unknown, shape: Shape): unknown {
  switch (shape.kind) {
    case 'bool':
      return value === true;
    case 'string':
      return typeof value === 'string' ? value.slice(0, VIEW_LIMITS.stringChars) : '';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : 0n;
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : 0;
    case 'map': {
      const entries = value && typeof value === 'object' ? Object.entries(value) : [];
      return Object.fromEntries(
        entries
          .slice(0, VIEW_LIMITS.listItems)
          .map(([key, text]) => [key, typeof text === 'string' ? text.slice(0, VIEW_LIMITS.stringChars) : '']),
      );
    }
    case 'list': {
      const items = (Array.isArray(value) ? value : []).slice(0, VIEW_LIMITS.listItems);
      if (shape.item.kind !== 'object') return items.map((item) => toCel(item, shape.item));
      const Item = itemClass(shape.typeName);
      return items.map((item) => new Item(toCel(item, shape.item) as Record<string, unknown>));
    }
    case 'object': {
      const record = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(shape.fields).map(([key, field]) => [key, toCel(record[key], field)]));
    }
  }
}

/** The CEL variables of one evidence document. */
export function celVariables(evidence: Evidence): Record<string, unknown> {
  return toCel(evidence, evidenceShape) as Record<string, unknown>;
}

export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly description: string;
}

/** Every field a policy can read, depth first, for the docs and for error hints. */
export function fieldRows(shape: Shape = evidenceShape, path = ''): FieldRow[] {
  const types = new Map<string, Record<string, CelSchema>>();
  const rows: FieldRow[] = [];
  const visit = (node: Shape, at: string): void => {
    if (node.kind === 'object') {
      if (at) rows.push({ path: at, type: 'object', description: node.description });
      for (const [key, field] of Object.entries(node.fields)) visit(field, at ? `${at}.${key}` : key);
      return;
    }
    const type = celSchemaOf(node, types);
    rows.push({ path: at, type: typeof type === 'string' ? type : 'object', description: node.description });
    if (node.kind === 'list' && node.item.kind === 'object') {
      for (const [key, field] of Object.entries(node.item.fields)) visit(field, `${at}[].${key}`);
    }
  };
  visit(shape, path);
  return rows;
}

/** The shape at a dotted path (`scan.bySeverity`), if there is one. */
export function shapeAt(path: string): Shape | undefined {
  let node: Shape = evidenceShape;
  for (const part of path.split('.')) {
    if (node.kind !== 'object') return undefined;
    const next: Shape | undefined = node.fields[part];
    if (!next) return undefined;
    node = next;
  }
  return node;
}
