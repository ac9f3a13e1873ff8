import type { ScanContext, ScanInput } from '../../types.js';
import { analyzeKerasConfig } from '../keras/config.js';

/**
 * Keras layer metadata (JSON in keras_metadata.pb and in SavedUserObject.metadata of older SavedModels).
 * The JSON is data: it is parsed, never evaluated.
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

/** TFOpLambda layers that call TensorFlow functions reaching files or Python: the TensorFlow-specific part. */
function tfOpLambdas(node: unknown, depth: number, hits: KerasHit[]): void {
  if (depth > maxDepth || hits.length >= maxHits || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) tfOpLambdas(item, depth + 1, hits);
    return;
  }
  const record = node as Record<string, unknown>;
  const config = (record.config ?? {}) as Record<string, unknown>;
  if (
    record.class_name === 'TFOpLambda' &&
    typeof config.function === 'string' &&
    dangerousTfFunctions.test(config.function)
  ) {
    const layer = String(config.name ?? record.name ?? '?').slice(0, 120);
    hits.push({ layer, className: 'TFOpLambda', detail: `calls ${config.function.slice(0, 120)}` });
  }
  for (const value of Object.values(record)) tfOpLambdas(value, depth + 1, hits);
}

/**
 * Keras metadata JSON: Keras layers (Lambda bytecode, custom objects, safe-mode bypasses) go through the
 * Keras config analyzer; TFOpLambda calls are checked here. A model's metadata repeats its layers' configs
 * in several entries, so each distinct finding is reported once per file (`seen`).
 */
export async function reportKerasJson(
  ctx: ScanContext,
  input: ScanInput,
  json: string,
  where: string,
  at: number,
  seen: Set<string>,
): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Unparseable metadata still cannot hide a Lambda from a plain text search.
    if (/"class_name"\s*:\s*"Lambda"/.test(json)) {
      ctx.report(input, {
        ruleId: 'tensorflow.keras-lambda',
        evidence: `${where}: unparseable Keras metadata names a Lambda layer`,
        offset: at,
      });
    }
    return;
  }
  const once: ScanContext = {
    ...ctx,
    report(target, draft) {
      // Keep the finding, drop its location prefix ("origin path: ") from the identity.
      const key = `${draft.ruleId}\0${draft.evidence.slice(draft.evidence.indexOf(': ') + 2)}`;
      if (seen.has(key) || seen.size > 1000) return;
      seen.add(key);
      ctx.report(target, { ...draft, offset: at });
    },
  };
  await analyzeKerasConfig(once, input, parsed, where);
  const hits: KerasHit[] = [];
  tfOpLambdas(parsed, 0, hits);
  for (const hit of hits) {
    once.report(input, {
      ruleId: 'tensorflow.keras-lambda',
      evidence: `${where}: ${hit.className} layer ${JSON.stringify(hit.layer)} ${hit.detail}`,
      properties: { format: 'keras-metadata', layer: hit.layer, class: hit.className },
    });
  }
}
