import type { ArraySkip } from './machine.js';
import { isObj, type PValue, rootGlobal } from './values.js';

/**
 * Joblib pickles numpy arrays as a `NumpyArrayWrapper` followed directly by the raw array bytes
 * (joblib ≥ 0.10), with a padding-length byte first when the wrapper records an alignment. Skipping
 * those bytes is what lets the rest of the stream be analysed; object arrays are a nested pickle.
 */
const wrapperModules = new Set(['joblib.numpy_pickle', 'sklearn.externals.joblib.numpy_pickle']);

export function joblibArraySkip(obj: PValue): ArraySkip | 'nested' | undefined {
  if (!isObj(obj) || obj.kind !== 'call') return undefined;
  const root = rootGlobal(obj);
  if (!root || root.name !== 'NumpyArrayWrapper' || !wrapperModules.has(root.module)) return undefined;
  const state = dictEntries(obj.state);
  const dtype = state.get('dtype');
  const shape = state.get('shape');
  const itemsize = dtypeItemSize(dtype);
  if (itemsize === 'object') return 'nested';
  if (itemsize === undefined || !isObj(shape) || shape.kind !== 'tuple' || shape.count !== shape.items.length) {
    return { bytes: Number.MAX_SAFE_INTEGER, padded: false };
  }
  let count = 1;
  for (const dim of shape.items) {
    const n = typeof dim === 'bigint' ? Number(dim) : dim;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      return { bytes: Number.MAX_SAFE_INTEGER, padded: false };
    count *= n;
  }
  const alignment = state.get('numpy_array_alignment_bytes');
  return { bytes: Math.min(count * itemsize, Number.MAX_SAFE_INTEGER), padded: typeof alignment === 'number' };
}

function dictEntries(value: PValue | undefined): Map<string, PValue> {
  const map = new Map<string, PValue>();
  if (!isObj(value ?? null) || (value as { kind: string }).kind !== 'dict') return map;
  const items = (value as { items: PValue[] }).items;
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = items[i];
    if (typeof key === 'string') map.set(key, items[i + 1] as PValue);
  }
  return map;
}

/** Item size of a pickled `numpy.dtype(typestr, …)`: the BUILD state's elsize when set, else the typestr digits. */
export function dtypeItemSize(dtype: PValue | undefined): number | 'object' | undefined {
  if (dtype === undefined || !isObj(dtype) || dtype.kind !== 'call') return undefined;
  const args = dtype.args;
  if (!isObj(args) || args.kind !== 'tuple') return undefined;
  const typestr = args.items[0];
  if (typeof typestr !== 'string') return undefined;
  if (typestr.startsWith('O')) return 'object';
  const state = dtype.state;
  if (isObj(state ?? null) && (state as { kind: string }).kind === 'tuple') {
    const items = (state as { items: PValue[] }).items;
    if (items.length >= 6) {
      const fields = items[4];
      if (
        fields !== null &&
        fields !== undefined &&
        isObj(fields) &&
        fields.kind === 'dict' &&
        fieldsHoldObjects(fields.items)
      ) {
        return 'object';
      }
      const elsize = items[5];
      if (typeof elsize === 'number' && elsize > 0) return elsize;
    }
  }
  const match = /^[a-zA-Z]+(\d+)$/.exec(typestr);
  return match ? Number(match[1]) : undefined;
}

function fieldsHoldObjects(items: readonly PValue[]): boolean {
  return items.some((item) => isObj(item) && item.kind === 'tuple' && dtypeItemSize(item.items[0]) === 'object');
}
