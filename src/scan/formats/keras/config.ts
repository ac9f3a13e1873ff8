import { BufferSource } from '../../io/source.js';
import { cve } from '../../rule-refs.js';
import type { ScanContext, ScanInput } from '../../types.js';
import {
  inModule,
  kerasModules,
  knownSafePackages,
  riskyKerasClasses,
  specialClassNames,
  unsafeKerasFunctions,
} from './config-data.js';
import { isRecord, lambdaCodeOf, reportLambdaCode, type Where } from './lambda.js';

/**
 * Keras model configs (Keras 2 `model_config` in .h5 files, Keras 3 `config.json` in .keras zips): every
 * nested object is visited, whatever the model type (Sequential, Functional, nested or subclassed models,
 * losses and metrics in the training config), and what Keras would import or run when rebuilding it is
 * reported. The walk is iterative, bounded in nodes and depth, and never trusts a layer's declared type
 * to decide where code may hide.
 */
const maxNodes = 2_000_000;
/** CPython's json module stops near its recursion limit (1000), so Keras cannot load anything deeper. */
const maxDepth = 1000;
const maxReports = 200;

/** A JSON value that is shaped like a Keras object config (the root of config.json or model_config). */
export function looksLikeKerasConfig(json: unknown): boolean {
  return isRecord(json) && typeof json.class_name === 'string' && 'config' in json;
}

/** Analyses a parsed Keras config; `origin` names where it came from (`config.json`, `model_config`). */
export async function analyzeKerasConfig(
  ctx: ScanContext,
  input: ScanInput,
  config: unknown,
  origin: string,
): Promise<void> {
  await analyzeConfig(ctx, input, config, origin, false);
}

export async function analyzeConfig(
  ctx: ScanContext,
  input: ScanInput,
  config: unknown,
  origin: string,
  legacyH5: boolean,
): Promise<void> {
  let reports = 0;
  const limited: ScanContext = {
    ...ctx,
    report(target, draft) {
      if (++reports <= maxReports) ctx.report(target, draft);
    },
  };
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: config, path: '$', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number];
    if (++nodes % 4096 === 0) ctx.checkTime();
    if (nodes > maxNodes || depth > maxDepth) {
      const message = `${origin}: config ${nodes > maxNodes ? `has more than ${maxNodes} values` : `nests deeper than ${maxDepth} levels`}; the rest was not analysed`;
      ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message });
      ctx.partial(input, 'LIMIT_EXCEEDED', message);
      break;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    if (!isRecord(value)) continue;
    await visitObject(limited, input, { origin, path, legacyH5 }, value);
    for (const [key, child] of Object.entries(value).reverse()) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  if (reports > maxReports) {
    ctx.partial(input, 'TOO_MANY_FINDINGS', `${origin}: ${reports - maxReports} further Keras findings not listed`);
  }
}

async function visitObject(ctx: ScanContext, input: ScanInput, where: Where, node: Record<string, unknown>) {
  const className = node.class_name;
  if (typeof className !== 'string') return;
  const config = isRecord(node.config) ? node.config : undefined;
  const layer = typeof config?.name === 'string' ? config.name : '';
  const module = typeof node.module === 'string' && node.module !== '' ? node.module : undefined;
  if (className === '__lambda__') {
    reportLambdaCode(ctx, input, where, lambdaCodeOf(node) ?? '', layer);
    return;
  }
  if (className === 'function') {
    // Keras 3 function by name: {module, class_name: 'function', config: '<name>'}.
    if (typeof node.config === 'string') functionReference(ctx, input, where, module, node.config);
    return;
  }
  if (specialClassNames.has(className)) return;
  if (className === 'Lambda' && config) keras2Lambda(ctx, input, where, config, layer);
  const risky = riskyKerasClasses.get(className);
  if (risky) {
    ctx.report(input, {
      ruleId: risky.ruleId,
      evidence: `${where.origin} ${where.path}: ${className}${layer ? ` ${JSON.stringify(layer)}` : ''}: ${risky.reason}`,
      references: [cve(risky.cve)],
      properties: { class: className },
    });
    if (className === 'TorchModuleWrapper' && config) await scanEmbeddedModule(ctx, input, where, config.module);
  }
  objectReference(ctx, input, where, module, className, node.registered_name);
}

/** Keras 2 Lambda: `function` and `output_shape` are marshalled code (type 'lambda') or a name (type 'function'). */
function keras2Lambda(
  ctx: ScanContext,
  input: ScanInput,
  where: Where,
  config: Record<string, unknown>,
  layer: string,
) {
  for (const [key, moduleKey] of [
    ['function', 'module'],
    ['output_shape', 'output_shape_module'],
  ] as const) {
    const value = config[key];
    const kind = config[`${key}_type`];
    if (isRecord(value)) continue; // Keras 3 objects are visited as nodes of their own.
    if (kind === 'function' && typeof value === 'string') {
      const module = config[moduleKey];
      functionReference(ctx, input, where, typeof module === 'string' ? module : '__main__', value);
    } else if (kind === 'lambda' || (kind === undefined && key === 'function')) {
      const code = lambdaCodeOf(value);
      if (code !== undefined)
        reportLambdaCode(ctx, input, { ...where, path: `${where.path}.config.${key}` }, code, layer);
    }
  }
}

function functionReference(ctx: ScanContext, input: ScanInput, where: Where, module: string | undefined, name: string) {
  // Without a module Keras looks the name up among its own and registered objects only.
  if (!module) return;
  importReference(ctx, input, where, module, name, 'function');
}

function objectReference(
  ctx: ScanContext,
  input: ScanInput,
  where: Where,
  module: string | undefined,
  className: string,
  registered: unknown,
) {
  if (module) {
    importReference(ctx, input, where, module, className, 'class');
    return;
  }
  // Keras 2 configs name no module; a registered name `package>Class` needs that package's code.
  if (typeof registered === 'string' && registered.includes('>')) {
    const pkg = registered.slice(0, registered.indexOf('>'));
    if (!inModule(pkg, kerasModules) && !inModule(pkg, knownSafePackages)) {
      ctx.report(input, {
        ruleId: 'keras.custom-object',
        evidence: `${where.origin} ${where.path}: ${className} registered as ${JSON.stringify(registered)} needs package ${JSON.stringify(pkg)}`,
        properties: { global: registered },
      });
    }
  }
}

function importReference(
  ctx: ScanContext,
  input: ScanInput,
  where: Where,
  module: string,
  name: string,
  kind: 'function' | 'class',
) {
  const global = `${module}.${name}`;
  const at = `${where.origin} ${where.path}`;
  if (inModule(module, kerasModules)) {
    const bypass = unsafeKerasFunctions.get(name);
    if (bypass) {
      ctx.report(input, {
        ruleId: 'keras.safe-mode-bypass',
        evidence: `${at}: calls ${global}, which ${bypass.reason}`,
        references: [cve(bypass.cve)],
        properties: { global },
      });
    }
    return;
  }
  const verdict = ctx.classify({ module, name });
  if (verdict.verdict === 'dangerous') {
    ctx.report(input, {
      ruleId: 'keras.dangerous-import',
      evidence: `${at}: ${kind} ${global}: ${verdict.entry.reason}`,
      severity: verdict.entry.severity ?? 'critical',
      properties: { global },
    });
  } else if (verdict.verdict === 'unknown' && !inModule(module, knownSafePackages)) {
    ctx.report(input, {
      ruleId: 'keras.custom-object',
      evidence: `${at}: ${kind} ${global} is imported from outside Keras when the model is loaded`,
      properties: { global },
    });
  }
}

/** TorchModuleWrapper's `module`: torch.save bytes, as `__bytes__`, base64 text or a list of byte values. */
async function scanEmbeddedModule(ctx: ScanContext, input: ScanInput, where: Where, value: unknown): Promise<void> {
  let raw: unknown = value;
  if (isRecord(value) && value.class_name === '__bytes__' && isRecord(value.config)) raw = value.config.value;
  let bytes: Buffer | undefined;
  if (typeof raw === 'string' && raw.length <= ctx.limits.maxDecompressedBytes * 2) {
    const base64 = /^[A-Za-z0-9+/=\s]+$/.test(raw) ? Buffer.from(raw, 'base64') : undefined;
    bytes = base64 && base64.length > 0 ? base64 : Buffer.from(raw, 'latin1');
  } else if (
    Array.isArray(raw) &&
    raw.length <= ctx.limits.maxDecompressedBytes &&
    raw.every((b) => Number.isInteger(b))
  ) {
    bytes = Buffer.from(raw as number[]);
  }
  if (!bytes || bytes.length === 0) return;
  await ctx.scanNested(input, `${where.origin}:${where.path}.config.module`, new BufferSource(bytes), { strict: true });
}
