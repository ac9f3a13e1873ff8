import type { FormatScanner, ScanContext, ScanInput } from '../types.js';
import { checkMemberPath } from './member-path.js';

/** Tar member types that are not regular files or folders: extracting them can reach outside or block. */
const SPECIAL_TYPES: Readonly<Record<string, string>> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
};

/**
 * Tar archives (POSIX ustar, pax and GNU long names). Headers are read by hand because each member is
 * then scanned in place as a slice of the archive, with no copy and no extraction.
 */
const block = 512;

export const tarScanner: FormatScanner = {
  name: 'tar',
  version: '1',
  sniff: (head) => head.length >= 263 && head.toString('latin1', 257, 262) === 'ustar' && checksumOk(head),
  scan: scanTar,
};

function checksumOk(header: Buffer): boolean {
  const stored = parseOctal(header.subarray(148, 156));
  if (stored === undefined) return false;
  let sum = 0;
  for (let i = 0; i < block; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  return sum === stored;
}

function parseOctal(field: Buffer): number | undefined {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256 for sizes past 8 GiB.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] as number);
    return value;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : undefined;
}

function field(header: Buffer, start: number, length: number): string {
  return header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
}

async function scanTar(ctx: ScanContext, input: ScanInput): Promise<void> {
  const source = input.source;
  let offset = 0;
  let members = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (offset + block <= source.size) {
    ctx.checkTime();
    const header = await source.read(offset, block);
    if (header.every((byte) => byte === 0)) return;
    if (!checksumOk(header)) {
      ctx.report(input, {
        ruleId: 'archive.not-inspectable',
        evidence: `tar header at offset ${offset} is corrupt`,
        offset,
      });
      ctx.partial(input, 'PARSE_ERROR', `corrupt tar header at offset ${offset}`);
      return;
    }
    const size = parseOctal(header.subarray(124, 136)) ?? 0;
    const type = String.fromCharCode(header[156] as number);
    const dataOffset = offset + block;
    if (dataOffset + size > source.size) {
      ctx.report(input, {
        ruleId: 'archive.not-inspectable',
        evidence: `tar member at offset ${offset} is truncated`,
        offset,
      });
      ctx.partial(input, 'PARSE_ERROR', 'truncated tar member');
      return;
    }
    offset = dataOffset + Math.ceil(size / block) * block;
    if (type === 'L' || type === 'x') {
      const text = (await source.read(dataOffset, Math.min(size, 1 << 20))).toString('utf8');
      if (type === 'L') longName = text.replace(/\0.*$/s, '');
      else paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    paxPath = undefined;
    if (type === 'g' || type === '5') continue;
    if (++members > ctx.limits.maxMembers) {
      const message = `more than ${ctx.limits.maxMembers} members (maxMembers); the rest were not scanned`;
      ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message });
      ctx.partial(input, 'LIMIT_EXCEEDED', message);
      return;
    }
    checkMemberPath(ctx, input, name);
    if (SPECIAL_TYPES[type] !== undefined) {
      const target = type === '1' || type === '2' ? ` → ${JSON.stringify(field(header, 157, 100))}` : '';
      ctx.report(input, {
        ruleId: 'archive.special-member',
        evidence: `member ${JSON.stringify(name)} is a ${SPECIAL_TYPES[type]}${target}`,
        member: name,
      });
      if (type === '1' || type === '2') checkMemberPath(ctx, input, field(header, 157, 100));
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    await ctx.scanNested(input, name, source.slice(dataOffset, size));
  }
}
