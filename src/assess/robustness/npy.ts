import { open } from 'node:fs/promises';
import { RobustnessError } from './errors.js';

/** Largest .npy file read. */
export const MAX_NPY_BYTES = 256 * 1024 * 1024;
const MAX_HEADER_BYTES = 64 * 1024;

export interface NpyArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

const dtypes: Record<string, { size: number; read: (view: DataView, offset: number) => number }> = {
  '<f4': { size: 4, read: (view, o) => view.getFloat32(o, true) },
  '<f8': { size: 8, read: (view, o) => view.getFloat64(o, true) },
  '<i8': { size: 8, read: (view, o) => Number(view.getBigInt64(o, true)) },
  '<i4': { size: 4, read: (view, o) => view.getInt32(o, true) },
  '|u1': { size: 1, read: (view, o) => view.getUint8(o) },
  '|i1': { size: 1, read: (view, o) => view.getInt8(o) },
};

/**
 * Reads a NumPy .npy file of numbers (little-endian float32/float64/int64/int32/uint8, C order).
 * Object arrays (`allow_pickle`) are refused: their payload is a pickle and is never read.
 */
export async function readNpy(path: string, maxBytes = MAX_NPY_BYTES): Promise<NpyArray> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new RobustnessError('TOO_LARGE', `${path} is larger than ${maxBytes} bytes`);
    const head = Buffer.alloc(Math.min(size, 12));
    await handle.read(head, 0, head.length, 0);
    if (head.length < 10 || head.subarray(0, 6).toString('latin1') !== '\x93NUMPY') {
      throw new RobustnessError('PARSE_ERROR', `${path} is not a .npy file (no \\x93NUMPY magic)`);
    }
    const major = head[6]!;
    const headerLength = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
    const start = major === 1 ? 10 : 12;
    if (![1, 2, 3].includes(major) || headerLength > MAX_HEADER_BYTES || start + headerLength > size) {
      throw new RobustnessError('PARSE_ERROR', `${path}: unsupported .npy version ${major} or bad header length`);
    }
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, start);
    const header = headerBytes.toString('latin1');
    const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
    const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
    if (descr === undefined || fortran === undefined || shapeText === undefined) {
      throw new RobustnessError('PARSE_ERROR', `${path}: the .npy header is malformed`);
    }
    if (descr.includes('O')) {
      throw new RobustnessError('UNSUPPORTED', `${path} holds an object array (pickle): refused, never unpickled`);
    }
    const dtype = dtypes[descr];
    if (!dtype) throw new RobustnessError('UNSUPPORTED', `${path}: dtype ${descr} is not supported`);
    if (fortran === 'True')
      throw new RobustnessError('UNSUPPORTED', `${path}: Fortran-ordered arrays are not supported`);
    const shape = shapeText
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map(Number);
    if (shape.some((dim) => !Number.isSafeInteger(dim) || dim < 0)) {
      throw new RobustnessError('PARSE_ERROR', `${path}: bad shape (${shapeText})`);
    }
    const count = shape.reduce((a, b) => a * b, 1);
    const dataStart = start + headerLength;
    if (dataStart + count * dtype.size > size) {
      throw new RobustnessError('PARSE_ERROR', `${path}: the data is shorter than the shape (${shape.join('x')}) says`);
    }
    const bytes = Buffer.alloc(count * dtype.size);
    await handle.read(bytes, 0, bytes.length, dataStart);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = dtype.read(view, i * dtype.size);
    return { shape, data };
  } finally {
    await handle.close();
  }
}
