import { encodedSize, Hdf5Error, type Hdf5File, readBytes, readNumber, readUint } from './hdf5-file.js';

/**
 * Dense attribute storage: the Attribute Info message names a fractal heap holding the attribute messages
 * and a v2 B-tree (type 8) indexing them by name. Every record of the B-tree is followed to its heap object:
 * managed objects through the heap's doubling table of direct blocks, tiny ones inside the heap ID, huge
 * ones through the heap's own huge-object B-tree (type 1). Node, block and record counts are capped.
 */
const maxRecords = 100_000;
const maxBlocks = 100_000;
const maxDepth = 16;

interface Heap {
  readonly idLength: number;
  readonly filtered: boolean;
  readonly maxManaged: number;
  readonly hugeTree: number | undefined;
  readonly width: number;
  readonly start: number;
  readonly maxDirect: number;
  readonly heapBits: number;
  readonly root: number | undefined;
  readonly rootRows: number;
}

export async function readDenseAttributes(file: Hdf5File, info: Buffer, checkTime: () => void): Promise<Buffer[]> {
  const flags = info[1] as number;
  let at = 2 + (flags & 1 ? 2 : 0);
  const heapAddress = readUint(info, at, file.offsetSize);
  at += file.offsetSize;
  const nameTree = readUint(info, at, file.offsetSize);
  if (heapAddress === undefined || nameTree === undefined) return [];
  const heap = await readHeapHeader(file, heapAddress);
  const records = await readBTree(file, nameTree, checkTime);
  let huge: Map<number, { address: number; length: number }> | undefined;
  const out: Buffer[] = [];
  for (const record of records) {
    checkTime();
    // Type 8 record: heap ID (8 bytes), message flags, creation order, name hash.
    if (((record[8] as number) & 0x02) !== 0) throw new Hdf5Error('shared attribute messages are not supported');
    const id = record.subarray(0, heap.idLength);
    const kind = ((id[0] as number) >> 4) & 3;
    if (kind === 0) out.push(await managedObject(file, heap, id, checkTime));
    else if (kind === 2) out.push(tinyObject(heap, id));
    else if (kind === 1) {
      if (heap.filtered) throw new Hdf5Error('filtered huge heap objects are not supported');
      if (heap.idLength >= 1 + file.offsetSize + file.lengthSize) {
        const address = readNumber(id, 1, file.offsetSize);
        out.push(await readBytes(file, address, readNumber(id, 1 + file.offsetSize, file.lengthSize), 'huge object'));
        continue;
      }
      huge ??= await hugeObjects(file, heap, checkTime);
      const key = readNumber(id, 1, Math.min(heap.idLength - 1, 8));
      const object = huge.get(key);
      if (!object) throw new Hdf5Error(`huge heap object ${key} is not indexed`);
      out.push(await readBytes(file, object.address, object.length, 'huge object'));
    } else throw new Hdf5Error(`heap ID of unknown type ${kind}`);
  }
  return out;
}

async function readHeapHeader(file: Hdf5File, address: number): Promise<Heap> {
  const { offsetSize: o, lengthSize: l } = file;
  const size = 4 + 1 + 2 + 2 + 1 + 4 + l + o + l + o + 8 * l + 2 + l + l + 2 + 2 + o + 2;
  const h = await readBytes(file, address, size, 'fractal heap header');
  if (h.toString('latin1', 0, 4) !== 'FRHP') throw new Hdf5Error(`no fractal heap at ${address}`);
  let at = 14 + l;
  const hugeTree = readUint(h, at, o);
  at += o + l + o + 8 * l;
  const width = h.readUInt16LE(at);
  const start = readNumber(h, at + 2, l);
  const maxDirect = readNumber(h, at + 2 + l, l);
  at += 2 + 2 * l;
  const heapBits = h.readUInt16LE(at);
  const root = readUint(h, at + 4, o);
  const rootRows = h.readUInt16LE(at + 4 + o);
  const pow2 = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;
  if (width === 0 || width > 1024 || !pow2(start) || !pow2(maxDirect) || maxDirect < start || heapBits > 64) {
    throw new Hdf5Error(`fractal heap at ${address} has an impossible doubling table`);
  }
  return {
    idLength: h.readUInt16LE(5),
    filtered: h.readUInt16LE(7) > 0,
    maxManaged: h.readUInt32LE(10),
    hugeTree,
    width,
    start,
    maxDirect,
    heapBits,
    root,
    rootRows,
  };
}

function tinyObject(heap: Heap, id: Buffer): Buffer {
  const extended = heap.idLength > 18;
  const length = extended
    ? ((((id[0] as number) & 0x0f) << 8) | (id[1] as number)) + 1
    : ((id[0] as number) & 0x0f) + 1;
  const at = extended ? 2 : 1;
  if (at + length > id.length) throw new Hdf5Error('tiny heap object runs past its ID');
  return id.subarray(at, at + length);
}

async function managedObject(file: Hdf5File, heap: Heap, id: Buffer, checkTime: () => void): Promise<Buffer> {
  const offsetBytes = Math.ceil(heap.heapBits / 8);
  const lengthBytes = Math.min(Math.ceil(Math.log2(heap.maxDirect) / 8), encodedSize(heap.maxManaged));
  const offset = readNumber(id, 1, offsetBytes);
  const length = readNumber(id, 1 + offsetBytes, lengthBytes);
  const block = await findDirectBlock(file, heap, offset, checkTime);
  if (offset + length > block.offset + block.size) throw new Hdf5Error(`heap object at ${offset} crosses its block`);
  return readBytes(file, block.address + (offset - block.offset), length, 'heap object');
}

interface Block {
  readonly offset: number;
  readonly size: number;
  readonly address: number;
}

/** Walks the doubling table down to the direct block that holds heap offset `target`. */
async function findDirectBlock(file: Hdf5File, heap: Heap, target: number, checkTime: () => void): Promise<Block> {
  if (heap.root === undefined) throw new Hdf5Error('fractal heap has no root block');
  if (heap.rootRows === 0) return { offset: 0, size: heap.start, address: heap.root };
  const maxDirectRows = Math.log2(heap.maxDirect) - Math.log2(heap.start) + 2;
  const rowSize = (row: number): number => (row === 0 ? heap.start : heap.start * 2 ** (row - 1));
  let address = heap.root;
  let rows = heap.rootRows;
  let base = 0;
  for (let depth = 0, blocks = 0; depth < maxDepth; depth++) {
    checkTime();
    const entries = rows * heap.width;
    const entrySize = (row: number): number =>
      file.offsetSize + (row < maxDirectRows && heap.filtered ? file.lengthSize + 4 : 0);
    let length = 0;
    for (let row = 0; row < rows; row++) length += heap.width * entrySize(row);
    const header = 5 + file.offsetSize + Math.ceil(heap.heapBits / 8);
    const bytes = await readBytes(file, address, header + length, 'fractal heap indirect block');
    if (bytes.toString('latin1', 0, 4) !== 'FHIB') throw new Hdf5Error(`no indirect block at ${address}`);
    let at = header;
    let found: { row: number; child: number; offset: number } | undefined;
    for (let i = 0; i < entries && !found; i++) {
      if (++blocks > maxBlocks) throw new Hdf5Error(`more than ${maxBlocks} heap blocks`);
      const row = Math.floor(i / heap.width);
      const column = i % heap.width;
      const offset = base + (row === 0 ? 0 : heap.width * heap.start * 2 ** (row - 1)) + column * rowSize(row);
      const child = readUint(bytes, at, file.offsetSize);
      at += entrySize(row);
      if (child !== undefined && child !== 0 && target >= offset && target < offset + rowSize(row)) {
        found = { row, child, offset };
      }
    }
    if (!found) throw new Hdf5Error(`heap offset ${target} lies in no allocated block`);
    const size = rowSize(found.row);
    if (found.row < maxDirectRows) return { offset: found.offset, size, address: found.child };
    address = found.child;
    base = found.offset;
    rows = Math.log2(size) - Math.log2(heap.start * heap.width) + 1;
    if (!Number.isInteger(rows) || rows < 1) throw new Hdf5Error('indirect block of impossible size');
  }
  throw new Hdf5Error(`fractal heap deeper than ${maxDepth} levels`);
}

async function hugeObjects(
  file: Hdf5File,
  heap: Heap,
  checkTime: () => void,
): Promise<Map<number, { address: number; length: number }>> {
  const map = new Map<number, { address: number; length: number }>();
  if (heap.hugeTree === undefined) return map;
  // Type 1 record: object address, length, ID.
  for (const record of await readBTree(file, heap.hugeTree, checkTime)) {
    const address = readNumber(record, 0, file.offsetSize);
    const length = readNumber(record, file.offsetSize, file.lengthSize);
    map.set(readNumber(record, file.offsetSize + file.lengthSize, file.lengthSize), { address, length });
  }
  return map;
}

/** Every record of a version 2 B-tree, internal nodes included, in no particular order. */
export async function readBTree(file: Hdf5File, address: number, checkTime: () => void): Promise<Buffer[]> {
  const h = await readBytes(file, address, 16 + file.offsetSize + 2 + file.lengthSize, 'B-tree header');
  if (h.toString('latin1', 0, 4) !== 'BTHD') throw new Hdf5Error(`no B-tree header at ${address}`);
  const nodeSize = h.readUInt32LE(6);
  const recordSize = h.readUInt16LE(10);
  const depth = h.readUInt16LE(12);
  const root = readUint(h, 16, file.offsetSize);
  const rootRecords = h.readUInt16LE(16 + file.offsetSize);
  if (root === undefined || rootRecords === 0) return [];
  if (recordSize === 0 || nodeSize < 10 + recordSize || depth > maxDepth) {
    throw new Hdf5Error(`B-tree at ${address} has impossible sizes`);
  }
  // Field widths in internal nodes follow from the node size (HDF5's H5B2__hdr_init).
  const maxLeaf = Math.floor((nodeSize - 10) / recordSize);
  const countSize = encodedSize(maxLeaf);
  const cumulative = [maxLeaf];
  const totalSize = [0];
  for (let level = 1; level <= depth; level++) {
    const pointer = file.offsetSize + countSize + (level > 1 ? (totalSize[level - 1] as number) : 0);
    const max = Math.floor((nodeSize - (10 + pointer)) / (recordSize + pointer));
    cumulative.push((max + 1) * (cumulative[level - 1] as number) + max);
    totalSize.push(encodedSize(cumulative[level] as number));
  }
  const records: Buffer[] = [];
  let nodes = 0;
  const visit = async (node: number, count: number, level: number): Promise<void> => {
    checkTime();
    if (++nodes > maxBlocks) throw new Hdf5Error(`more than ${maxBlocks} B-tree nodes`);
    if (records.length + count > maxRecords) throw new Hdf5Error(`more than ${maxRecords} B-tree records`);
    const bytes = await readBytes(file, node, nodeSize, 'B-tree node');
    const signature = bytes.toString('latin1', 0, 4);
    if (signature !== (level === 0 ? 'BTLF' : 'BTIN')) throw new Hdf5Error(`bad B-tree node at ${node}`);
    if (6 + count * recordSize > nodeSize) throw new Hdf5Error(`B-tree node at ${node} overflows`);
    for (let i = 0; i < count; i++) records.push(bytes.subarray(6 + i * recordSize, 6 + (i + 1) * recordSize));
    if (level === 0) return;
    let at = 6 + count * recordSize;
    const children: Array<[number, number]> = [];
    for (let i = 0; i <= count; i++) {
      const child = readNumber(bytes, at, file.offsetSize);
      const childCount = readNumber(bytes, at + file.offsetSize, countSize);
      at += file.offsetSize + countSize + (level > 1 ? (totalSize[level - 1] as number) : 0);
      children.push([child, childCount]);
    }
    for (const [child, childCount] of children) await visit(child, childCount, level - 1);
  };
  await visit(root, rootRecords, depth);
  return records;
}
