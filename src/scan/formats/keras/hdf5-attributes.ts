import { readDenseAttributes } from './hdf5-dense.js';
import { Hdf5Error, type Hdf5File, readBytes, readNumber } from './hdf5-file.js';
import { messageType, readObjectHeader } from './hdf5-object-header.js';

/**
 * String attributes of one HDF5 object, as h5py writes them: fixed-length strings (Python bytes) and
 * variable-length strings (Python str, stored in a global heap collection). Attributes live in the object
 * header (compact storage) or, past eight attributes or for large ones, in a fractal heap indexed by a
 * v2 B-tree (dense storage). Only the attributes asked for are decoded; others are skipped by name.
 */
export interface StringAttribute {
  readonly name: string;
  readonly value: Buffer;
  /** Elements the attribute holds; Keras writes scalars (1). */
  readonly count: number;
}

export interface AttributeResult {
  readonly attributes: StringAttribute[];
  /** Attributes that were wanted but could not be decoded, with the reason. */
  readonly problems: string[];
}

export async function readStringAttributes(
  file: Hdf5File,
  objectAddress: number,
  wanted: ReadonlySet<string>,
  checkTime: () => void,
): Promise<AttributeResult> {
  const result: AttributeResult = { attributes: [], problems: [] };
  const messages = await readObjectHeader(file, objectAddress, checkTime);
  const decode = async (data: Buffer): Promise<void> => {
    const name = attributeName(data);
    if (!wanted.has(name)) return;
    try {
      result.attributes.push(await decodeAttribute(file, data, name, checkTime));
    } catch (error) {
      if (!(error instanceof Hdf5Error || error instanceof RangeError)) throw error;
      result.problems.push(`${name}: ${error.message}`);
    }
  };
  for (const message of messages) {
    checkTime();
    if (message.type === messageType.attribute) await decode(message.data);
    if (message.type === messageType.attributeInfo) {
      for (const data of await readDenseAttributes(file, message.data, checkTime)) await decode(data);
    }
  }
  return result;
}

interface Layout {
  readonly flags: number;
  readonly name: [number, number];
  readonly datatype: [number, number];
  readonly dataspace: [number, number];
  readonly data: number;
}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

function layout(data: Buffer): Layout {
  const version = data[0];
  const nameSize = data.readUInt16LE(2);
  const datatypeSize = data.readUInt16LE(4);
  const dataspaceSize = data.readUInt16LE(6);
  let at: number;
  const padded = version === 1;
  if (version === 1 || version === 2) at = 8;
  else if (version === 3) at = 9;
  else throw new Hdf5Error(`attribute message version ${version}`);
  const step = (n: number): number => (padded ? pad8(n) : n);
  const name: [number, number] = [at, at + nameSize];
  at += step(nameSize);
  const datatype: [number, number] = [at, at + datatypeSize];
  at += step(datatypeSize);
  const dataspace: [number, number] = [at, at + dataspaceSize];
  at += step(dataspaceSize);
  if (at > data.length) throw new Hdf5Error('attribute message fields run past the message');
  return { flags: version === 1 ? 0 : (data[1] as number), name, datatype, dataspace, data: at };
}

/** The attribute's name, or '' when the message is too broken to have one. */
export function attributeName(data: Buffer): string {
  try {
    const { name } = layout(data);
    if (name[1] > data.length) return '';
    const bytes = data.subarray(name[0], name[1]);
    const end = bytes.indexOf(0);
    return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
  } catch {
    return '';
  }
}

async function decodeAttribute(
  file: Hdf5File,
  data: Buffer,
  name: string,
  checkTime: () => void,
): Promise<StringAttribute> {
  const fields = layout(data);
  let datatype = data.subarray(fields.datatype[0], fields.datatype[1]);
  if (fields.flags & 1) datatype = await committedDatatype(file, datatype, checkTime);
  const count = elementCount(data.subarray(fields.dataspace[0], fields.dataspace[1]), file.lengthSize);
  if (count === 0) return { name, value: Buffer.alloc(0), count };
  const values = data.subarray(fields.data);
  const typeClass = (datatype[0] as number) & 0x0f;
  const size = datatype.readUInt32LE(4);
  if (typeClass === 3) {
    // Fixed-length string: the first element, cut at the first NUL (null-terminated or null-padded).
    if (size > values.length) throw new Hdf5Error(`string of ${size} bytes in ${values.length} bytes of data`);
    const value = values.subarray(0, size);
    const end = value.indexOf(0);
    return { name, value: end < 0 ? value : value.subarray(0, end), count };
  }
  if (typeClass === 9 && ((datatype[1] as number) & 0x0f) === 1) {
    // Each element is a length, a global heap collection address and an object index.
    if (size !== 8 + file.offsetSize) throw new Hdf5Error(`variable-length string element of ${size} bytes`);
    const length = values.readUInt32LE(0);
    const collection = readNumber(values, 4, file.offsetSize);
    const index = values.readUInt32LE(4 + file.offsetSize);
    return { name, value: await globalHeapObject(file, collection, index, length), count };
  }
  throw new Hdf5Error(`not a string (datatype class ${typeClass})`);
}

function elementCount(dataspace: Buffer, lengthSize: number): number {
  const version = dataspace[0];
  const rank = dataspace[1] as number;
  if (version === 2 && dataspace[3] === 2) return 0;
  const dims = version === 1 ? 8 : version === 2 ? 4 : -1;
  if (dims < 0) throw new Hdf5Error(`dataspace version ${version}`);
  let count = 1;
  for (let i = 0; i < rank; i++) count *= readNumber(dataspace, dims + i * lengthSize, lengthSize);
  return count;
}

/** A datatype shared through a committed (named) datatype: its header's datatype message. */
async function committedDatatype(file: Hdf5File, shared: Buffer, checkTime: () => void): Promise<Buffer> {
  const version = shared[0];
  const at = version === 1 ? 8 : version === 2 || (version === 3 && shared[1] === 2) ? 2 : -1;
  if (at < 0) throw new Hdf5Error(`shared datatype message version ${version} type ${shared[1]}`);
  const address = readNumber(shared, at, file.offsetSize);
  const datatype = (await readObjectHeader(file, address, checkTime)).find((m) => m.type === messageType.datatype);
  if (!datatype) throw new Hdf5Error(`committed datatype at ${address} has no datatype message`);
  return datatype.data;
}

const gcol = Buffer.from('GCOL');

async function globalHeapObject(file: Hdf5File, address: number, index: number, length: number): Promise<Buffer> {
  const header = await readBytes(file, address, 8 + file.lengthSize, 'global heap collection');
  if (!header.subarray(0, 4).equals(gcol)) throw new Hdf5Error(`no global heap collection at ${address}`);
  const size = readNumber(header, 8, file.lengthSize);
  const collection = await readBytes(
    file,
    address,
    Math.min(size, file.source.size - file.base - address),
    'global heap',
  );
  const objectHeader = 8 + file.lengthSize;
  for (let at = 8 + file.lengthSize; at + objectHeader <= collection.length; ) {
    const id = collection.readUInt16LE(at);
    if (id === 0) break;
    const objectSize = readNumber(collection, at + 8, file.lengthSize);
    const start = at + objectHeader;
    if (id === index) {
      if (length > objectSize || start + length > collection.length) {
        throw new Hdf5Error(`global heap object ${index} is shorter than ${length} bytes`);
      }
      return collection.subarray(start, start + length);
    }
    at = start + Math.ceil(objectSize / 8) * 8;
  }
  throw new Hdf5Error(`global heap object ${index} not found at ${address}`);
}
