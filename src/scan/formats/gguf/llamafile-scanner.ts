import { checkMemberPath } from '../../archive/member-path.js';
import { readLocalHeader, readZipDirectory, type ZipEntry } from '../../archive/zip-reader.js';
import { decompressBounded } from '../../compress/index.js';
import { BufferSource, type Source } from '../../io/source.js';
import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';

/**
 * llamafile (Mozilla-Ocho/llamafile): an Actually Portable Executable, a file that is at once a shell
 * script, a Windows PE and a zip, holding llama.cpp and the model's `.gguf` weights plus default
 * arguments in `.args`. It is reported as the program it is; its zip members are scanned through the
 * registry, so the GGUF weights get the GGUF scanner. Zip members are stored uncompressed so the
 * weights can be mapped; only their headers are read.
 */
const apeMagics: ReadonlyArray<readonly [string, string]> = [
  ["MZqFpD='", 'APE with a Windows PE header'],
  ["jartsr='", 'APE without a Windows PE header'],
  ['MZqFpD=', 'APE with a Windows PE header'],
];
const maxArgsBytes = 64 << 10;

export const llamafileScanner: FormatScanner = {
  name: 'llamafile',
  version: '1',
  sniff: (head) => apeKind(head) !== undefined,
  scan: scanLlamafile,
};

function apeKind(head: Buffer): string | undefined {
  return apeMagics.find(([magic]) => head.subarray(0, magic.length).toString('latin1') === magic)?.[1];
}

async function scanLlamafile(ctx: ScanContext, input: ScanInput, head: Buffer): Promise<void> {
  const kind = apeKind(head) ?? 'APE';
  const directory = await readZipDirectory(input.source, ctx.limits.maxMembers);
  if (!directory.ok) {
    ctx.report(input, {
      ruleId: 'gguf.llamafile-executable',
      evidence: `${kind} of ${input.source.size} bytes with no readable embedded zip (${directory.reason})`,
      properties: { container: 'ape' },
    });
    return;
  }
  if (directory.truncated) {
    const message = `more than ${ctx.limits.maxMembers} members (maxMembers); the rest were not scanned`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  }
  const weights: string[] = [];
  let args: string | undefined;
  for (const entry of directory.entries) {
    ctx.checkTime();
    if (entry.name.endsWith('/')) continue;
    checkMemberPath(ctx, input, entry.name);
    const member = await memberSource(ctx, input, entry);
    if (!member) continue;
    if (entry.name.endsWith('.args') && member.size <= maxArgsBytes) {
      args = (await member.read(0, member.size)).toString('utf8');
    }
    const nested = await ctx.scanNested(input, entry.name, member);
    if (nested?.format === 'gguf') weights.push(entry.name);
  }
  const argsNote = args === undefined ? '' : `; default arguments ${JSON.stringify(args.trim().slice(0, 200))}`;
  ctx.report(input, {
    ruleId: 'gguf.llamafile-executable',
    evidence: `${kind} with an embedded zip of ${directory.entries.length} member(s); GGUF weights: ${weights.join(', ') || 'none'}${argsNote}`,
    properties: { container: 'ape', members: directory.entries.length, weights: weights.length },
  });
}

async function memberSource(ctx: ScanContext, input: ScanInput, entry: ZipEntry): Promise<Source | undefined> {
  const local = await readLocalHeader(input.source, entry);
  if (!local || local.dataOffset + entry.compressedSize > input.source.size) {
    ctx.report(input, {
      ruleId: 'archive.zip-inconsistent',
      evidence: `member ${entry.name}: no local header or data past the end of the file`,
      member: entry.name,
    });
    return undefined;
  }
  const raw = input.source.slice(local.dataOffset, entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method !== 8) {
    ctx.report(input, {
      ruleId: 'archive.not-inspectable',
      evidence: `member ${entry.name} uses compression method ${entry.method}`,
      member: entry.name,
    });
    return undefined;
  }
  const limit = ctx.limits.maxDecompressedBytes;
  const result = await ctx.bounded((signal) => decompressBounded('deflate-raw', raw, limit, { signal }));
  if (result.exceeded) {
    const message = `member ${entry.name} expands past ${limit} bytes (maxDecompressedBytes)`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message, member: entry.name });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  } else if (result.error) {
    ctx.report(input, {
      ruleId: 'archive.zip-inconsistent',
      evidence: `member ${entry.name}: ${result.error}`,
      member: entry.name,
    });
  }
  return new BufferSource(result.data);
}
