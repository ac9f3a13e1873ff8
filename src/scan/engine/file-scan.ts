import { extname } from 'node:path';
import { type FileResult, type Finding, maxSeverity } from '../../contracts/index.js';
import { FileSource, type Source } from '../io/source.js';
import { LimitError } from '../limits.js';
import type { Classification, GlobalRef } from '../pickle/verdicts.js';
import type { FormatScanner, ScanContext, ScanInput, ScanLimits } from '../types.js';
import { makeFinding } from './finding.js';

export interface FileScanDeps {
  readonly scanners: readonly FormatScanner[];
  readonly limits: ScanLimits;
  readonly classify: (ref: GlobalRef) => Classification;
  readonly signal: AbortSignal;
}

export interface FileScanResult {
  readonly file: FileResult;
  readonly findings: Finding[];
}

const headSize = 4096;
/** Names that promise a pickle: content that is not recognised is still parsed as one, so it cannot hide. */
const pickleExtensions = new Set(['.pkl', '.pickle', '.pk', '.joblib', '.dill', '.pt', '.pth', '.ckpt', '.sav']);
const numpyExtensions = new Set(['.npy', '.npz']);

export const memberSeparator = '!/';

export function joinMember(parent: string | undefined, child: string | undefined): string | undefined {
  if (child === undefined) return parent;
  return parent === undefined ? child : `${parent}${memberSeparator}${child}`;
}

/** Scans one file on disk: opens it, sniffs it and hands it to the registry, within the file's budget. */
export async function scanFile(path: string, deps: FileScanDeps): Promise<FileScanResult> {
  return scanObject(path, () => FileSource.open(path), deps);
}

/** Scans bytes already at hand (an upload, a test buffer) as if they were the file `path`. */
export async function scanSource(path: string, source: Source, deps: FileScanDeps): Promise<FileScanResult> {
  return scanObject(path, async () => ({ source, close: async () => {} }), deps);
}

async function scanObject(
  path: string,
  open: () => Promise<{ source: Source; close: () => Promise<void> }>,
  deps: FileScanDeps,
): Promise<FileScanResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  const formats: string[] = [];
  const errors: FileResult['errors'] = [];
  let members = 0;
  let size = 0;
  let status: FileResult['status'] = 'skipped';
  const deadline = Date.now() + deps.limits.timeoutMs;
  const scannerByName = new Map(deps.scanners.map((scanner) => [scanner.name, scanner]));

  const ctx: ScanContext = {
    limits: deps.limits,
    // The file's own signal: the caller's abort or the file's time budget, whichever comes first, so long
    // decoders stop too, not only the loops that call checkTime.
    signal: AbortSignal.any([deps.signal, AbortSignal.timeout(deps.limits.timeoutMs)]),
    classify: deps.classify,
    report(input, draft) {
      findings.push(makeFinding(input.path, joinMember(input.member, draft.member), draft));
    },
    partial(input, code, message) {
      errors.push(input.member === undefined ? { code, message } : { code, message, member: input.member });
    },
    format(name) {
      if (!formats.includes(name)) formats.push(name);
    },
    async scanNested(parent, member, source, options) {
      const child: ScanInput = {
        source,
        path: parent.path,
        member: joinMember(parent.member, member),
        name: member.split('/').pop() ?? member,
        depth: parent.depth + 1,
      };
      if (child.depth > deps.limits.maxDepth) {
        limitFinding(child, `nesting deeper than ${deps.limits.maxDepth} levels (maxDepth)`);
        return undefined;
      }
      const before = findings.length;
      const format = await dispatch(child, options?.strict ?? false, options?.as);
      return format ? { format, highest: maxSeverity(findings.slice(before).map((f) => f.severity)) } : undefined;
    },
    recognize(head, hint) {
      return deps.scanners.find((candidate) => candidate.sniff(head, hint))?.name;
    },
    checkTime() {
      const reason = ctx.timeLeft();
      if (reason) throw new LimitError(deps.signal.aborted ? 'aborted' : 'timeoutMs', reason);
    },
    async bounded(work) {
      try {
        return await work(ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) {
          const reason = deps.signal.aborted
            ? 'scan aborted'
            : `time budget of ${deps.limits.timeoutMs} ms spent (timeoutMs)`;
          throw new LimitError(deps.signal.aborted ? 'aborted' : 'timeoutMs', reason);
        }
        throw error;
      }
    },
    timeLeft() {
      if (deps.signal.aborted) return 'scan aborted';
      return Date.now() > deadline ? `time budget of ${deps.limits.timeoutMs} ms spent (timeoutMs)` : undefined;
    },
  };

  function limitFinding(input: ScanInput, message: string): void {
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  }

  async function dispatch(input: ScanInput, strict: boolean, as?: string): Promise<string | undefined> {
    members++;
    const head = await input.source.read(0, headSize);
    const hint = { name: input.name, size: input.source.size, strict };
    let scanner = as ? scannerByName.get(as) : deps.scanners.find((candidate) => candidate.sniff(head, hint));
    const extension = extname(input.name).toLowerCase();
    if (!scanner && !strict && pickleExtensions.has(extension)) scanner = scannerByName.get('pickle');
    if (!scanner) {
      if (!strict && numpyExtensions.has(extension)) {
        ctx.report(input, {
          ruleId: 'scan.unrecognized-format',
          evidence: `${input.name}: content is not ${extension}`,
        });
      }
      return undefined;
    }
    ctx.format(scanner.name);
    try {
      await scanner.scan(ctx, input, head);
    } catch (error) {
      if (error instanceof LimitError) limitFinding(input, error.message);
      else throw error;
    }
    return scanner.name;
  }

  let close: (() => Promise<void>) | undefined;
  try {
    const opened = await open();
    close = opened.close;
    const source: Source = opened.source;
    size = source.size;
    const input: ScanInput = { source, path, name: path.split(/[\\/]/).pop() ?? path, depth: 0 };
    members = -1;
    const format = await dispatch(input, false);
    status = errors.length > 0 ? 'partial' : format ? 'scanned' : 'skipped';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException).code;
    status = 'error';
    errors.push({ code: code ?? 'INTERNAL', message });
    const ruleId = code ? 'scan.read-error' : 'scan.internal-error';
    findings.push(makeFinding(path, undefined, { ruleId, evidence: message }));
  } finally {
    await close?.();
  }
  return {
    file: {
      path,
      formats,
      size,
      status,
      errors,
      members: Math.max(0, members),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    findings,
  };
}
