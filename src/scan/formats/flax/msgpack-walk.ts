import { Cursor } from '../../io/cursor.js';
import type { Source } from '../../io/source.js';

/**
 * Walks one msgpack object (the spec's type bytes are facts) without building it: containers become
 * counters on an explicit stack, strings, binaries and extensions are skipped by length. The caller
 * sees binary/extension payload positions and the extension types used. Bounded by depth and by the
 * file: every length and count is checked against the bytes left.
 */
export interface MsgpackVisit {
  onBinary(offset: number, length: number): void;
  onExtension(type: number, offset: number, length: number): void;
  checkpoint(): void;
}

const maxDepth = 64;

export async function walkMsgpack(source: Source, visit: MsgpackVisit): Promise<number> {
  const cursor = new Cursor(source, 0, true);
  const pending: number[] = [1];
  let items = 0;
  while (pending.length > 0) {
    if ((pending[pending.length - 1] as number) === 0) {
      pending.pop();
      continue;
    }
    pending[pending.length - 1] = (pending[pending.length - 1] as number) - 1;
    if ((++items & 0xfff) === 0) visit.checkpoint();
    const type = await cursor.u8('type byte');
    const container = await containerSize(cursor, type);
    if (container !== undefined) {
      if (container > cursor.remaining)
        throw new Error(`container of ${container} items at ${cursor.pos} exceeds the file`);
      if (pending.length >= maxDepth) throw new Error(`containers nested deeper than ${maxDepth}`);
      pending.push(container);
      continue;
    }
    await skipScalar(cursor, type, visit);
  }
  return cursor.pos;
}

async function containerSize(cursor: Cursor, type: number): Promise<number | undefined> {
  if (type >= 0x90 && type <= 0x9f) return type & 0x0f;
  if (type >= 0x80 && type <= 0x8f) return (type & 0x0f) * 2;
  if (type === 0xdc) return cursor.u16('array16 length');
  if (type === 0xdd) return cursor.u32('array32 length');
  if (type === 0xde) return 2 * (await cursor.u16('map16 length'));
  if (type === 0xdf) return 2 * (await cursor.u32('map32 length'));
  return undefined;
}

const fixedSizes: Readonly<Record<number, number>> = {
  192: 0,
  194: 0,
  195: 0,
  202: 4,
  203: 8,
  204: 1,
  205: 2,
  206: 4,
  207: 8,
  208: 1,
  209: 2,
  210: 4,
  211: 8,
};

async function skipScalar(cursor: Cursor, type: number, visit: MsgpackVisit): Promise<void> {
  if (type <= 0x7f || type >= 0xe0) return;
  const fixed = fixedSizes[type];
  if (fixed !== undefined) return cursor.skip(fixed, 'number');
  if (type >= 0xa0 && type <= 0xbf) return cursor.skip(type & 0x1f, 'fixstr');
  if (type === 0xd9 || type === 0xda || type === 0xdb) return cursor.skip(await length(cursor, type - 0xd9), 'str');
  if (type === 0xc4 || type === 0xc5 || type === 0xc6) {
    const size = await length(cursor, type - 0xc4);
    visit.onBinary(cursor.pos, size);
    return cursor.skip(size, 'bin');
  }
  if (type >= 0xd4 && type <= 0xd8) return extension(cursor, 1 << (type - 0xd4), visit);
  if (type === 0xc7 || type === 0xc8 || type === 0xc9)
    return extension(cursor, await length(cursor, type - 0xc7), visit);
  throw new Error(`invalid type byte 0x${type.toString(16)} at offset ${cursor.pos - 1}`);
}

async function length(cursor: Cursor, width: number): Promise<number> {
  return width === 0 ? cursor.u8('length') : width === 1 ? cursor.u16('length') : cursor.u32('length');
}

async function extension(cursor: Cursor, size: number, visit: MsgpackVisit): Promise<void> {
  const type = ((await cursor.u8('extension type')) << 24) >> 24;
  visit.onExtension(type, cursor.pos, size);
  cursor.skip(size, 'extension');
}
