import type { Source } from '../../io/source.js';

/**
 * Random access to one HDF5 file through its superblock: file addresses are relative to the base address
 * (where the signature sits, after any user block), and offsets and lengths have the widths the superblock
 * declares. Every read is checked against the real size first, so a forged address or length costs an
 * error, never an allocation.
 */
export class Hdf5Error extends Error {
  override readonly name = 'Hdf5Error';
}

/** Signature offsets tried: 0, then the user-block sizes HDF5 allows (powers of two from 512). */
const signature = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');

export function findSignature(head: Buffer): number | undefined {
  for (let offset = 0; offset + signature.length <= head.length; offset = offset === 0 ? 512 : offset * 2) {
    if (head.subarray(offset, offset + signature.length).equals(signature)) return offset;
  }
  return undefined;
}

export interface Hdf5File {
  readonly source: Source;
  /** Absolute offset of the superblock; every address is relative to it. */
  readonly base: number;
  readonly offsetSize: number;
  readonly lengthSize: number;
  readonly superblockVersion: number;
  /** Relative address of the root group's object header. */
  readonly rootAddress: number;
}

/** Bytes any single structure (message chunk, heap collection, B-tree node, attribute) may take. */
export const maxStructureBytes = 64 << 20;

export async function readBytes(file: Hdf5File, address: number, length: number, what: string): Promise<Buffer> {
  const start = file.base + address;
  if (!Number.isSafeInteger(address) || address < 0 || length < 0 || start + length > file.source.size) {
    throw new Hdf5Error(`${what} at ${address} (+${length} bytes) lies outside the file`);
  }
  if (length > maxStructureBytes) throw new Hdf5Error(`${what} of ${length} bytes exceeds ${maxStructureBytes}`);
  const bytes = await file.source.read(start, length);
  if (bytes.length !== length) throw new Hdf5Error(`${what} at ${address} is truncated`);
  return bytes;
}

/** An unsigned little-endian integer of 1–8 bytes; undefined for the all-ones "undefined address". */
export function readUint(buffer: Buffer, offset: number, size: number): number | undefined {
  if (offset < 0 || offset + size > buffer.length) throw new Hdf5Error(`field at ${offset} runs past its structure`);
  let value = 0n;
  let allOnes = true;
  for (let i = size - 1; i >= 0; i--) {
    const byte = buffer[offset + i] as number;
    if (byte !== 0xff) allOnes = false;
    value = (value << 8n) | BigInt(byte);
  }
  if (allOnes && size > 1) return undefined;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Hdf5Error(`value ${value} at ${offset} is out of range`);
  return Number(value);
}

/** Like readUint, but an undefined address is an error. */
export function readNumber(buffer: Buffer, offset: number, size: number): number {
  const value = readUint(buffer, offset, size);
  if (value === undefined) throw new Hdf5Error(`undefined value at ${offset}`);
  return value;
}

export async function openHdf5(source: Source, base: number): Promise<Hdf5File> {
  const head = await source.read(base, 128);
  if (head.length < 16) throw new Hdf5Error('superblock is truncated');
  const version = head[8] as number;
  const probe: Hdf5File = { source, base, offsetSize: 8, lengthSize: 8, superblockVersion: version, rootAddress: 0 };
  if (version === 0 || version === 1) {
    const offsetSize = head[13] as number;
    const lengthSize = head[14] as number;
    checkSizes(offsetSize, lengthSize);
    // Base, free-space, end-of-file and driver addresses, then the root symbol table entry (name offset, header).
    const entry = (version === 0 ? 24 : 28) + 4 * offsetSize;
    const rootAddress = readNumber(head, entry + offsetSize, offsetSize);
    return { ...probe, offsetSize, lengthSize, rootAddress };
  }
  if (version === 2 || version === 3) {
    const offsetSize = head[9] as number;
    const lengthSize = head[10] as number;
    checkSizes(offsetSize, lengthSize);
    const rootAddress = readNumber(head, 12 + 3 * offsetSize, offsetSize);
    return { ...probe, offsetSize, lengthSize, rootAddress };
  }
  throw new Hdf5Error(`unsupported superblock version ${version}`);
}

function checkSizes(offsetSize: number, lengthSize: number): void {
  if (![2, 4, 8].includes(offsetSize) || ![2, 4, 8].includes(lengthSize)) {
    throw new Hdf5Error(`unsupported offset/length sizes ${offsetSize}/${lengthSize}`);
  }
}

/** Bytes needed to encode `value` (HDF5's H5VM_limit_enc_size). */
export function encodedSize(value: number): number {
  return Math.floor(Math.floor(Math.log2(Math.max(1, value))) / 8) + 1;
}
