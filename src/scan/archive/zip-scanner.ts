import { crc32 } from 'node:zlib';
import { decompressBounded } from '../compress/index.js';
import { BufferSource, type Source } from '../io/source.js';
import type { FormatScanner, ScanContext, ScanInput } from '../types.js';
import { checkMemberPath } from './member-path.js';
import { isZip, readLocalHeader, readZipDirectory, type ZipEntry } from './zip-reader.js';

const sniffBytes = 4096;
/** Bits a normal archive may set: 1–2 deflate options, 3 data descriptor, 11 UTF-8 names. */
const ordinaryFlags = 0b0000_1000_0000_1110;
/** Stored members up to this size are read whole so their CRC can be checked. */
const crcCheckLimit = 64 << 20;

/**
 * Zip archives: PyTorch checkpoints, TorchScript, `.npz`, and plain zips. Every member is sniffed by
 * content, whatever its name, and scanned through the registry; tensor data is never read past the
 * few bytes that show it is not a format that can hold code.
 */
export const zipScanner: FormatScanner = {
  name: 'zip',
  version: '1',
  sniff: (head) => isZip(head),
  scan: scanZip,
};

async function scanZip(ctx: ScanContext, input: ScanInput): Promise<void> {
  const directory = await readZipDirectory(input.source, ctx.limits.maxMembers);
  if (!directory.ok) {
    ctx.report(input, { ruleId: 'archive.not-inspectable', evidence: `zip structure unreadable: ${directory.reason}` });
    ctx.partial(input, 'PARSE_ERROR', directory.reason);
    return;
  }
  if (directory.truncated) {
    const message = `more than ${ctx.limits.maxMembers} members (maxMembers); the rest were not scanned`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  }
  const torchscript = labelFlavour(ctx, input, directory.entries);
  for (const entry of directory.entries) {
    ctx.checkTime();
    if (entry.name.endsWith('/')) continue;
    // TorchScript sources are compiled by torch.jit, not run by Python; torch.torchscript-code covers them.
    if (torchscript && torchscriptCode.test(entry.name)) continue;
    checkMemberPath(ctx, input, entry.name);
    await scanEntry(ctx, input, entry);
  }
}

const torchscriptCode = /(^|\/)code\/.+\.py$/;

/** Labels the archive's flavour; returns whether it is a TorchScript archive. */
function labelFlavour(ctx: ScanContext, input: ScanInput, entries: readonly ZipEntry[]): boolean {
  const names = entries.map((entry) => entry.name);
  if (names.some((name) => /(^|\/)data\.pkl$/.test(name))) ctx.format('pytorch');
  const code = names.filter((name) => torchscriptCode.test(name));
  const torchscript = code.length > 0 && names.some((name) => /(^|\/)constants\.pkl$/.test(name));
  if (torchscript) {
    ctx.format('torchscript');
    ctx.report(input, {
      ruleId: 'torch.torchscript-code',
      evidence: `${code.length} TorchScript code file(s), e.g. ${code[0]}`,
      member: code[0],
    });
  }
  if (names.length > 0 && names.every((name) => name.endsWith('.npy'))) ctx.format('npz');
  if (names.includes('MAR-INF/MANIFEST.json')) ctx.format('torchserve-mar');
  return torchscript;
}

async function scanEntry(ctx: ScanContext, input: ScanInput, entry: ZipEntry): Promise<void> {
  const local = await readLocalHeader(input.source, entry);
  if (!local) {
    ctx.report(input, {
      ruleId: 'archive.zip-inconsistent',
      evidence: `member ${entry.name}: no local header at offset ${entry.localHeaderOffset}`,
      member: entry.name,
    });
    return;
  }
  const oddities: string[] = [];
  if (local.name !== entry.name) oddities.push(`local header names it ${JSON.stringify(local.name)}`);
  if (local.flags !== entry.flags)
    oddities.push(`flags differ (local 0x${hex(local.flags)}, central 0x${hex(entry.flags)})`);
  if ((entry.flags & ~ordinaryFlags) !== 0) oddities.push(`unusual flag bits 0x${hex(entry.flags)}`);
  if (local.method !== entry.method)
    oddities.push(`compression differs (local ${local.method}, central ${entry.method})`);
  // Loaders use the central directory's method; so does the scan.
  const member = await memberSource(ctx, input, entry, local.dataOffset, oddities);
  if (oddities.length > 0) {
    ctx.report(input, {
      ruleId: 'archive.zip-inconsistent',
      evidence: `member ${entry.name}: ${oddities.join('; ')}`,
      member: entry.name,
    });
  }
  if (!member) return;
  const format = await ctx.scanNested(input, entry.name, member);
  if (!format && (entry.flags & 1) !== 0) {
    ctx.report(input, {
      ruleId: 'archive.not-inspectable',
      evidence: `member ${entry.name} is encrypted`,
      member: entry.name,
    });
  }
}

async function memberSource(
  ctx: ScanContext,
  input: ScanInput,
  entry: ZipEntry,
  dataOffset: number,
  oddities: string[],
): Promise<Source | undefined> {
  if (dataOffset + entry.compressedSize > input.source.size) {
    oddities.push(`data runs past the end of the file`);
    return undefined;
  }
  const raw = input.source.slice(dataOffset, entry.compressedSize);
  if (entry.method === 0) {
    // Only members that hold something to scan are read whole for the CRC check; tensor data is not.
    const head = raw.size <= crcCheckLimit ? await raw.read(0, sniffBytes) : undefined;
    if (head && ctx.recognize(head, { name: entry.name, size: raw.size, strict: false })) {
      const data = await raw.read(0, raw.size);
      if (crc32(data) >>> 0 !== entry.crc) oddities.push('CRC-32 does not match the data');
    }
    return raw;
  }
  if (entry.method !== 8) {
    ctx.report(input, {
      ruleId: 'archive.not-inspectable',
      evidence: `member ${entry.name} uses compression method ${entry.method}`,
      member: entry.name,
    });
    return undefined;
  }
  const head = await ctx.bounded((signal) => decompressBounded('deflate-raw', raw, sniffBytes, { signal }));
  if (!head.complete && !ctx.recognize(head.data, { name: entry.name, size: entry.size, strict: false })) {
    return new BufferSource(head.data);
  }
  const whole = head.complete
    ? head
    : await ctx.bounded((signal) => decompressBounded('deflate-raw', raw, ctx.limits.maxDecompressedBytes, { signal }));
  if (whole.exceeded) {
    const message = `member ${entry.name} expands past ${ctx.limits.maxDecompressedBytes} bytes (maxDecompressedBytes)`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message, member: entry.name });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  } else if (whole.error) {
    oddities.push(`deflate data is corrupt: ${whole.error}`);
  } else if (crc32(whole.data) >>> 0 !== entry.crc) {
    oddities.push('CRC-32 does not match the data');
  }
  return new BufferSource(whole.data);
}

function hex(value: number): string {
  return value.toString(16).padStart(4, '0');
}
