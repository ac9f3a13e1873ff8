import type { FormatScanner, ScanContext, ScanInput } from '../types.js';

/**
 * NumPy `.npy` (format versions 1–3): a magic string, a header dict in Python literal syntax, then the
 * array. Only object arrays carry code: their data is a pickle, which is analysed. Numeric data is
 * never read.
 */
const magic = Buffer.from('\x93NUMPY', 'latin1');
const maxHeader = 1 << 20;

export const npyScanner: FormatScanner = {
  name: 'numpy',
  version: '1',
  sniff: (head) => head.length >= 10 && head.subarray(0, 6).equals(magic),
  scan: scanNpy,
};

async function scanNpy(ctx: ScanContext, input: ScanInput): Promise<void> {
  const head = await input.source.read(0, 12);
  const major = head[6] as number;
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = lengthBytes === 2 ? head.readUInt16LE(8) : head.length >= 12 ? head.readUInt32LE(8) : -1;
  const dataOffset = 8 + lengthBytes + headerLength;
  if (major < 1 || major > 3 || headerLength < 0 || headerLength > maxHeader || dataOffset > input.source.size) {
    malformed(ctx, input, `unsupported or truncated .npy header (version ${major}, length ${headerLength})`);
    return;
  }
  const header = (await input.source.read(8 + lengthBytes, headerLength)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /['"]descr['"]\s*:\s*(.+?)\s*,\s*['"](?:fortran_order|shape)['"]/s.exec(header)?.[1];
  if (!descr || !/['"]shape['"]\s*:\s*\(/.test(header)) {
    malformed(ctx, input, 'the .npy header has no descr/shape');
    return;
  }
  // An object field anywhere in the dtype (plain 'O', or inside a structured dtype) means pickled data.
  if (!/['"][|<>=]?O\d*['"]/.test(descr)) return;
  ctx.report(input, {
    ruleId: 'numpy.object-array',
    evidence: `dtype ${descr.slice(0, 120)}: data is a pickle`,
    offset: dataOffset,
  });
  await ctx.scanNested(input, `@${dataOffset}`, input.source.slice(dataOffset, input.source.size - dataOffset), {
    as: 'pickle',
  });
}

function malformed(ctx: ScanContext, input: ScanInput, message: string): void {
  ctx.report(input, { ruleId: 'scan.malformed', evidence: message });
  ctx.partial(input, 'PARSE_ERROR', message);
}
