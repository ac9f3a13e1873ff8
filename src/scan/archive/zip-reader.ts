import type { Source } from '../io/source.js';

/**
 * A bounded reader of zip structure (PKWARE APPNOTE facts). It reads the central directory, as torch
 * and Python do, and each member's local header, and reports where the two disagree instead of
 * picking one silently: scanners that trusted one side have been bypassed (CVE-2025-1944, -1945).
 */
export interface ZipEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

export interface LocalHeader {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly dataOffset: number;
}

export type ZipDirectory =
  | { readonly ok: true; readonly entries: ZipEntry[]; readonly truncated: boolean; readonly shift: number }
  | { readonly ok: false; readonly reason: string };

const eocdSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EocdSignature = 0x06064b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;
const maxComment = 0xffff;
const maxCentralDirectoryBytes = 256 << 20;

export async function readZipDirectory(source: Source, maxEntries: number): Promise<ZipDirectory> {
  const tailLength = Math.min(source.size, 22 + maxComment);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === eocdSignature) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'no end-of-central-directory record' };
  const eocdOffset = tailStart + eocd;
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let recordStart = eocdOffset;
  // torch (miniz) writes ZIP64 records even when the classic fields are not saturated; use them when present.
  const locator = eocdOffset >= 20 ? await source.read(eocdOffset - 20, 20) : Buffer.alloc(0);
  if (locator.length === 20 && locator.readUInt32LE(0) === zip64LocatorSignature) {
    const zip64Offset = Number(locator.readBigUInt64LE(8));
    const record = await source.read(zip64Offset, 56);
    if (record.length === 56 && record.readUInt32LE(0) === zip64EocdSignature) {
      count = safeNumber(record.readBigUInt64LE(32));
      cdSize = safeNumber(record.readBigUInt64LE(40));
      cdOffset = safeNumber(record.readBigUInt64LE(48));
      recordStart = zip64Offset;
    } else if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      return { ok: false, reason: 'ZIP64 end record is missing' };
    }
  }
  // Data prepended to the archive shifts every offset; Python's zipfile corrects for it the same way.
  const shift = Math.max(0, recordStart - (cdOffset + cdSize));
  if (cdSize > maxCentralDirectoryBytes) return { ok: false, reason: `central directory of ${cdSize} bytes` };
  if (cdOffset + shift + cdSize > source.size)
    return { ok: false, reason: 'central directory lies past the end of the file' };
  const cd = await source.read(cdOffset + shift, cdSize);
  const entries: ZipEntry[] = [];
  let pos = 0;
  while (pos + 46 <= cd.length && cd.readUInt32LE(pos) === centralSignature) {
    if (entries.length >= maxEntries) return { ok: true, entries, truncated: true, shift };
    const nameLength = cd.readUInt16LE(pos + 28);
    const extraLength = cd.readUInt16LE(pos + 30);
    const commentLength = cd.readUInt16LE(pos + 32);
    const next = pos + 46 + nameLength + extraLength + commentLength;
    if (next > cd.length) return { ok: false, reason: `central directory entry ${entries.length} is truncated` };
    let size = cd.readUInt32LE(pos + 24);
    let compressedSize = cd.readUInt32LE(pos + 20);
    let localHeaderOffset = cd.readUInt32LE(pos + 42);
    const extra = cd.subarray(pos + 46 + nameLength, pos + 46 + nameLength + extraLength);
    const zip64 = findExtra(extra, 0x0001);
    if (zip64) {
      let at = 0;
      const take = (): number => {
        if (at + 8 > zip64.length) return 0xffffffff;
        const value = safeNumber(zip64.readBigUInt64LE(at));
        at += 8;
        return value;
      };
      if (size === 0xffffffff) size = take();
      if (compressedSize === 0xffffffff) compressedSize = take();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
    }
    entries.push({
      name: cd.toString('utf8', pos + 46, pos + 46 + nameLength),
      flags: cd.readUInt16LE(pos + 8),
      method: cd.readUInt16LE(pos + 10),
      crc: cd.readUInt32LE(pos + 16),
      compressedSize,
      size,
      localHeaderOffset: localHeaderOffset + shift,
    });
    pos = next;
  }
  if (entries.length < count && entries.length < maxEntries && count !== 0xffff) {
    return { ok: false, reason: `central directory lists ${count} entries but holds ${entries.length}` };
  }
  return { ok: true, entries, truncated: false, shift };
}

export async function readLocalHeader(source: Source, entry: ZipEntry): Promise<LocalHeader | undefined> {
  const fixed = await source.read(entry.localHeaderOffset, 30);
  if (fixed.length < 30 || fixed.readUInt32LE(0) !== localSignature) return undefined;
  const nameLength = fixed.readUInt16LE(26);
  const extraLength = fixed.readUInt16LE(28);
  const name = await source.read(entry.localHeaderOffset + 30, nameLength);
  return {
    name: name.toString('utf8'),
    flags: fixed.readUInt16LE(6),
    method: fixed.readUInt16LE(8),
    dataOffset: entry.localHeaderOffset + 30 + nameLength + extraLength,
  };
}

function findExtra(extra: Buffer, id: number): Buffer | undefined {
  let pos = 0;
  while (pos + 4 <= extra.length) {
    const tag = extra.readUInt16LE(pos);
    const length = extra.readUInt16LE(pos + 2);
    if (tag === id) return extra.subarray(pos + 4, Math.min(extra.length, pos + 4 + length));
    pos += 4 + length;
  }
  return undefined;
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

export function isZip(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  );
}
