/**
 * The queries inside a model-server request body, as numeric vectors the abuse detectors compare.
 * Understands the common JSON shapes: `{"instances": [...]}` (KServe v1, TensorFlow Serving,
 * BentoML), `{"inputs": [{"data": [...]}]}` (KServe v2 / Triton) and `{"inputs": [...]}`,
 * `{"data": [...]}`, `{"features": [...]}` and a bare array. An instance that is an object contributes
 * its values in key order, so named features compare by name whatever order the caller wrote them in.
 */
export interface QueryVectors {
  /** One vector per query instance; at most `maxQueries`. */
  readonly vectors: Float64Array[];
  /** Feature names when instances were objects (sorted), else undefined. */
  readonly names?: readonly string[];
  /** Instances as they were sent (objects or arrays), for per-feature checks; at most `maxQueries`. */
  readonly instances: readonly unknown[];
}

export interface VectorBudget {
  readonly maxQueries: number;
  readonly maxFeatures: number;
}

const DEFAULT_BUDGET: VectorBudget = { maxQueries: 256, maxFeatures: 4096 };

/** The list of instances a body holds, or an empty list when it has none this reader knows. */
export function instancesOf(body: unknown): readonly unknown[] {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  const record = body as Record<string, unknown>;
  for (const field of ['instances', 'data', 'features', 'inputs'] as const) {
    const value = record[field];
    if (!Array.isArray(value)) continue;
    // KServe v2: inputs are named tensors with their values under `data`, instances along axis 0.
    if (field === 'inputs' && value.length > 0 && isTensor(value[0])) return tensorRows(value[0]);
    return value;
  }
  return [];
}

/**
 * The predictions of a model server's answer, one per instance: `predictions`, KServe v2 `outputs`
 * (the first tensor, cut by its shape), `data`, or a bare array.
 */
export function predictionsOf(answer: unknown): readonly unknown[] {
  if (Array.isArray(answer)) return answer;
  if (!answer || typeof answer !== 'object') return [];
  const record = answer as Record<string, unknown>;
  if (Array.isArray(record.predictions)) return record.predictions;
  if (Array.isArray(record.outputs) && record.outputs.length > 0 && isTensor(record.outputs[0])) {
    return tensorRows(record.outputs[0]);
  }
  if (Array.isArray(record.data)) return record.data;
  return [];
}

function isTensor(value: unknown): value is { data: unknown[]; shape?: unknown } {
  return !!value && typeof value === 'object' && Array.isArray((value as { data?: unknown }).data);
}

/** A v2 tensor's rows: its flat `data` cut by `shape[0]`, or its nested rows as sent. */
function tensorRows(tensor: { data: unknown[]; shape?: unknown }): unknown[] {
  const { data, shape } = tensor;
  if (!Array.isArray(shape) || typeof shape[0] !== 'number' || data.some(Array.isArray)) return data;
  const rows = Math.max(1, Math.min(shape[0], data.length));
  const width = Math.ceil(data.length / rows);
  const out: unknown[] = [];
  for (let start = 0; start < data.length; start += width) out.push(data.slice(start, start + width));
  return out;
}

/** Numeric vectors of every instance (numbers, booleans as 0/1; nested arrays flattened; strings skipped). */
export function queryVectors(body: unknown, budget: VectorBudget = DEFAULT_BUDGET): QueryVectors {
  const all = instancesOf(body);
  const instances = all.length > budget.maxQueries ? all.slice(0, budget.maxQueries) : all;
  let names: string[] | undefined;
  const vectors: Float64Array[] = [];
  // A flat list of numbers is one query, not one query per number.
  const single = instances.length > 0 && instances.every((value) => typeof value === 'number');
  const rows = single ? [instances] : instances;
  for (const instance of rows) {
    const values: number[] = [];
    if (instance && typeof instance === 'object' && !Array.isArray(instance)) {
      names ??= Object.keys(instance).sort();
      for (const name of names) push(values, (instance as Record<string, unknown>)[name], budget.maxFeatures, 0);
    } else push(values, instance, budget.maxFeatures, 0);
    if (values.length > 0) vectors.push(Float64Array.from(values));
  }
  return names ? { vectors, names, instances: rows } : { vectors, instances: rows };
}

function push(out: number[], value: unknown, max: number, depth: number): void {
  if (out.length >= max) return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) out.push(value);
  } else if (typeof value === 'boolean') out.push(value ? 1 : 0);
  else if (Array.isArray(value) && depth < 8) {
    for (const item of value) {
      if (out.length >= max) return;
      push(out, item, max, depth + 1);
    }
  }
}
