import { buildReport, type Finding, type Report, severityRank, unreadFile } from '../contracts/index.js';
import { toolVersion } from '../version.js';
import { scanFile } from './engine/file-scan.js';
import { makeFinding } from './engine/finding.js';
import { walkPaths } from './engine/walk.js';
import { defaultLimits } from './limits.js';
import type { GlobalEntry } from './pickle/globals-types.js';
import { createGlobalClassifier } from './pickle/verdicts.js';
import { defaultScanners } from './registry.js';
import type { ScanLimits } from './types.js';

export interface ScanProgress {
  readonly done: number;
  readonly total: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly path: string;
}

export interface ScanOptions {
  readonly limits?: Partial<ScanLimits>;
  /** User allowlist entries (from --allow); they can quiet unknown globals, never dangerous ones. */
  readonly allow?: readonly GlobalEntry[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/**
 * Scans files and folders for malicious model artifacts and returns one report. Never prints, never
 * exits: per-file problems are findings and file statuses; only unusable arguments (a path that does
 * not exist) throw.
 */
export async function scanPaths(paths: readonly string[], options: ScanOptions = {}): Promise<Report> {
  const startedAt = new Date().toISOString();
  const limits: ScanLimits = { ...defaultLimits, ...options.limits };
  const classify = createGlobalClassifier(options.allow);
  const signal = options.signal ?? new AbortController().signal;
  const entries = await walkPaths(paths);
  const files: Report['files'] = [];
  const findings: Finding[] = [];
  const bytesTotal = entries.reduce((sum, entry) => sum + (entry.kind === 'file' ? entry.size : 0), 0);
  let bytesDone = 0;
  for (const [index, entry] of entries.entries()) {
    if (entry.kind === 'file') {
      const result = await scanFile(entry.path, { scanners: defaultScanners, limits, classify, signal });
      files.push(result.file);
      // A loop, not push(...spread): a file can yield more findings than a call can take arguments.
      for (const finding of result.findings.sort(byLocation)) findings.push(finding);
      bytesDone += entry.size;
    } else if (entry.kind === 'link-outside') {
      files.push(unreadFile(entry.path, 'skipped', 'SYMLINK_OUTSIDE_ROOT', `link to ${entry.target} not followed`));
      findings.push(linkFinding(entry.path, entry.target));
    } else if (entry.kind === 'special') {
      files.push(unreadFile(entry.path, 'skipped', 'NOT_A_REGULAR_FILE', entry.message));
    } else {
      files.push(unreadFile(entry.path, 'error', 'UNREADABLE', entry.message));
      findings.push(makeFinding(entry.path, undefined, { ruleId: 'scan.read-error', evidence: entry.message }));
    }
    options.onProgress?.({ done: index + 1, total: entries.length, bytesDone, bytesTotal, path: entry.path });
  }
  return buildReport({ kind: 'model-scan', version: toolVersion, startedAt, targets: paths, files, findings });
}

function byLocation(a: Finding, b: Finding): number {
  return (
    (a.location.member ?? '').localeCompare(b.location.member ?? '') ||
    (a.location.offset ?? 0) - (b.location.offset ?? 0) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function linkFinding(path: string, target: string): Finding {
  return makeFinding(path, undefined, {
    ruleId: 'scan.symlink-outside-root',
    evidence: `${path} links to ${target}, outside the scanned folder; not followed`,
  });
}
