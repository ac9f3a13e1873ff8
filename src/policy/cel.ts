import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { type CelSchema, celSchemaOf, evidenceShape, itemClass } from './cel-types.js';

/** Longest expression a policy may hold; CEL has no loops, so size bounds the work of one evaluation. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** Comprehensions (`all`, `exists`, `map`, …) inside comprehensions: each level multiplies the work. */
export const MAX_COMPREHENSION_DEPTH = 2;

const comprehensions = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

let shared: Environment | undefined;

/** One checked environment for every policy: the evidence fields as typed variables, nothing else. */
export function celEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({
    limits: { maxAstNodes: 500, maxDepth: 32, maxListElements: 256, maxMapEntries: 64, maxCallArguments: 8 },
  });
  const types = new Map<string, Record<string, CelSchema>>();
  const variables = Object.entries(evidenceShape.fields).map(([name, shape]) => [name, celSchemaOf(shape, types)]);
  for (const [name, fields] of types) {
    if (!Object.values(fields).every((type) => typeof type === 'string')) {
      throw new Error(`${name}: list items with nested objects are not supported`);
    }
    env.registerType(name, { ctor: itemClass(name), fields: fields as Record<string, string> });
  }
  for (const [name, schema] of variables as [string, CelSchema][]) {
    if (typeof schema === 'string') env.registerVariable(name, schema);
    else env.registerVariable({ name, schema });
  }
  shared = env;
  return env;
}

/** Why an expression cannot be used: where in it (a character range) and what is wrong. */
export interface ExpressionProblem {
  readonly start: number;
  readonly end: number;
  readonly code: string;
  readonly message: string;
}

export type Compiled =
  | { readonly ok: true; readonly run: ParseResult; readonly type: string }
  | { readonly ok: false; readonly problem: ExpressionProblem };

/** Parses and type-checks an expression that must yield `expected` (or `dyn`, checked when it runs). */
export function compileExpression(expression: string, expected: 'bool' | 'string'): Compiled {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return fail(0, expression.length, 'too_long', `longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const env = celEnvironment();
  let run: ParseResult;
  try {
    run = env.parse(expression);
  } catch (error) {
    return failFrom(error, expression);
  }
  const checked = env.check(expression);
  if (!checked.valid) return failFrom(checked.error, expression);
  const type = checked.type ?? 'dyn';
  if (type !== expected && type !== 'dyn') {
    return fail(0, expression.length, 'wrong_type', `must be ${expected}, got ${type}`);
  }
  const deep = deepComprehension(run.ast, 0);
  if (deep) {
    return fail(
      deep.start,
      deep.end,
      'too_deep',
      `comprehensions nested more than ${MAX_COMPREHENSION_DEPTH} deep (${deep.name})`,
    );
  }
  return { ok: true, run, type };
}

const fail = (start: number, end: number, code: string, message: string): Compiled => ({
  ok: false,
  problem: { start, end, code, message },
});

function failFrom(error: unknown, expression: string): Compiled {
  const e = error as { code?: string; summary?: string; message?: string; range?: { start: number; end: number } };
  const start = Math.min(e.range?.start ?? 0, expression.length);
  return fail(start, Math.max(start, e.range?.end ?? start), e.code ?? 'invalid', e.summary ?? e.message ?? 'invalid');
}

interface AstLike {
  readonly op: string;
  readonly args: unknown;
  readonly start: number;
  readonly end: number;
}

const isNode = (value: unknown): value is AstLike =>
  typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';

function deepComprehension(node: unknown, depth: number): { start: number; end: number; name: string } | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = deepComprehension(item, depth);
      if (found) return found;
    }
    return undefined;
  }
  if (!isNode(node)) return undefined;
  const args = Array.isArray(node.args) ? node.args : [node.args];
  if (node.op === 'rcall' && comprehensions.has(String(args[0]))) {
    // The receiver runs once; the macro's arguments run once per item.
    if (depth + 1 > MAX_COMPREHENSION_DEPTH) return { start: node.start, end: node.end, name: String(args[0]) };
    return deepComprehension(args[1], depth) ?? deepComprehension(args[2], depth + 1);
  }
  return deepComprehension(args, depth);
}
