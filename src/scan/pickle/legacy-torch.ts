import type { Source } from '../io/source.js';
import type { PickleMachine } from './machine.js';
import { isObj, type PValue } from './values.js';

/**
 * The legacy (pre-zip) torch.save format: five pickles (magic number, protocol version, system info,
 * the object, the sorted storage keys), then for each storage key an int64 element count and the raw
 * elements. Walking those records tells the storage data apart from anything appended after it.
 */
export const legacyMagic = 0x1950a86a20f9469cfc6cn;
export const legacyPickleCount = 5;

const elementSizes: Record<string, number> = {
  DoubleStorage: 8,
  FloatStorage: 4,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  ComplexDoubleStorage: 16,
  ComplexFloatStorage: 8,
  QInt8Storage: 1,
  QUInt8Storage: 1,
  QInt32Storage: 4,
  QUInt4x2Storage: 1,
  QUInt2x4Storage: 1,
  UntypedStorage: 1,
};

/** Collects `('storage', torch.XStorage, key, location, numel)` persistent ids while the main pickle runs. */
export function collectStorages(machine: PickleMachine): Map<string, number | undefined> {
  const storages = new Map<string, number | undefined>();
  machine.onPersistentId = (pid: PValue) => {
    if (!isObj(pid) || pid.kind !== 'tuple' || pid.at(0) !== 'storage') return;
    const type = pid.at(1);
    const key = pid.at(2);
    if (typeof key !== 'string') return;
    const typeName = isObj(type) && type.kind === 'global' ? type.name : undefined;
    storages.set(key, typeName ? elementSizes[typeName] : undefined);
  };
  return storages;
}

export type StorageWalk =
  | { readonly ok: true; readonly end: number }
  | { readonly ok: false; readonly offset: number; readonly reason: string };

export async function walkStorages(
  source: Source,
  start: number,
  storages: Map<string, number | undefined>,
): Promise<StorageWalk> {
  let offset = start;
  // Python's sorted() on str keys: code-point order, which is JavaScript's default for these ASCII keys.
  for (const key of [...storages.keys()].sort()) {
    const size = storages.get(key);
    if (size === undefined) return { ok: false, offset, reason: `storage ${key} has an unknown element type` };
    const header = await source.read(offset, 8);
    if (header.length < 8) return { ok: false, offset, reason: `storage ${key} is truncated` };
    const count = header.readBigInt64LE(0);
    const bytes = count * BigInt(size);
    if (count < 0n || bytes > BigInt(source.size - offset - 8)) {
      return { ok: false, offset, reason: `storage ${key} declares ${count} elements, more than the file holds` };
    }
    offset += 8 + Number(bytes);
  }
  return { ok: true, end: offset };
}
