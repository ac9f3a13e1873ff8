import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Report } from '../../contracts/index.js';
import { redactFile } from './redact-file.js';

export interface RedactionResult {
  readonly written: Array<{ readonly from: string; readonly to: string }>;
  /** Files that were scanned but cannot be rewritten in their format (Parquet), or were not read. */
  readonly skipped: string[];
}

export class RedactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedactionError';
  }
}

/**
 * Writes redacted copies of every scanned dataset of a data-scan report. One file scanned: `out` is the
 * copy's path. Otherwise `out` is a folder mirroring each target's layout (under the target's name when
 * there are several targets). An input is never opened for writing: an `out` that names one is refused.
 */
export async function redactDataset(report: Report, out: string): Promise<RedactionResult> {
  const inputs = new Set(report.files.map((file) => resolve(file.path)));
  const single = report.targets.length === 1 && (await stat(report.targets[0] as string)).isFile();
  const written: RedactionResult['written'] = [];
  const skipped: string[] = [];
  for (const file of report.files) {
    if (file.status !== 'scanned' && file.status !== 'partial') continue;
    const to = single ? out : join(out, mirrorPath(report.targets, file.path));
    if (inputs.has(resolve(to))) throw new RedactionError(`refusing to overwrite the input ${to}`);
    await mkdir(dirname(to), { recursive: true });
    if (await redactFile(file.path, report.findings, to)) written.push({ from: file.path, to });
    else skipped.push(file.path);
  }
  return { written, skipped };
}

function mirrorPath(targets: readonly string[], path: string): string {
  const target = targets.find((candidate) => {
    const rel = relative(candidate, path);
    return rel === '' || (!rel.startsWith('..') && !resolve(rel).startsWith('..'));
  });
  if (!target) return basename(path);
  const rel = relative(target, path) || basename(path);
  return targets.length > 1 ? join(basename(resolve(target)), rel) : rel;
}
