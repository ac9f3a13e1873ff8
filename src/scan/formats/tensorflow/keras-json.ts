import type { ScanContext, ScanInput } from '../../types.js';

/**
 * Keras layer metadata (JSON in keras_metadata.pb and in SavedUserObject.metadata of older SavedModels).
 * A Lambda layer stores its function as marshalled bytecode; TFOpLambda calls a TensorFlow function by
 * name. The JSON is data: it is parsed, never evaluated.
 */
const dangerousTfFunctions =
  /^(tf\.)?(io\.|compat\.v1\.(py_func|io\.|gfile)|py_function|numpy_function|py_func|raw_ops\.(ReadFile|WriteFile|MatchingFiles|PyFunc|EagerPyFunc|PyFuncStateless)|debugging\.experimental)/;
const maxDepth = 64;
const maxHits = 50;

export interface KerasHit {
  readonly layer: string;
  readonly className: string;
  readonly detail: string;
}

export function kerasCodeLayers(json: string): KerasHit[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Unparseable metadata still cannot hide a Lambda from a plain text search.
    return /"class_name"\s*:\s*"Lambda"/.test(json)
      ? [{ layer: '?', className: 'Lambda', detail: 'unparseable JSON' }]
      : [];
  }
  const hits: KerasHit[] = [];
  visit(parsed, 0, hits);
  return hits;
}

function visit(node: unknown, depth: number, hits: KerasHit[]): void {
  if (depth > maxDepth || hits.length >= maxHits || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) visit(item, depth + 1, hits);
    return;
  }
  const record = node as Record<string, unknown>;
  const config = (record.config ?? {}) as Record<string, unknown>;
  const layer = String(config.name ?? record.name ?? '?').slice(0, 120);
  if (record.class_name === 'Lambda') {
    const fn = JSON.stringify(config.function ?? '').slice(0, 80);
    hits.push({ layer, className: 'Lambda', detail: `function ${fn}` });
  } else if (record.class_name === 'TFOpLambda' && typeof config.function === 'string') {
    if (dangerousTfFunctions.test(config.function)) {
      hits.push({ layer, className: 'TFOpLambda', detail: `calls ${config.function.slice(0, 120)}` });
    }
  }
  for (const value of Object.values(record)) visit(value, depth + 1, hits);
}

/** Reports each code-carrying layer once per file (a model's own metadata repeats its layers' configs). */
export function reportKerasJson(
  ctx: ScanContext,
  input: ScanInput,
  json: string,
  where: string,
  at: number,
  seen: Set<string>,
): void {
  for (const hit of kerasCodeLayers(json)) {
    const key = `${hit.className}\0${hit.layer}`;
    if (seen.has(key) || seen.size > 1000) continue;
    seen.add(key);
    ctx.report(input, {
      ruleId: 'tensorflow.keras-lambda',
      evidence: `${where}: ${hit.className} layer ${JSON.stringify(hit.layer)} ${hit.detail}`,
      offset: at,
      properties: { format: 'keras-metadata', layer: hit.layer, class: hit.className },
    });
  }
}
