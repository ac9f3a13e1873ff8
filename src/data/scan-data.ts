import { type Finding, type Report, reportSchemaVersion, summarize } from '../contracts/index.js';
import { type ScanProgress, walkPaths } from '../scan/index.js';
import { toolVersion } from '../version.js';
import { defaultDetectors } from './detectors/index.js';
import type { Detector } from './detectors/types.js';
import { scanDataFile } from './scan-file.js';

export interface DataScanOptions {
  /** Detectors to run; all by default. */
  readonly detectors?: readonly Detector[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Findings listed per file before the rest are only counted (default 10,000). */
  readonly maxFindingsPerFile?: number;
  /** Matches below this score are dropped (default 0.5). */
  readonly minScore?: number;
}

/**
 * Scans dataset files and folders for personal data and secrets in one streaming pass per file and
 * returns one report (kind `data-scan`). Never prints or exits; a path that does not exist throws.
 */
export async function scanData(paths: readonly string[], options: DataScanOptions = {}): Promise<Report> {
  const startedAt = new Date().toISOString();
  const detectors = options.detectors ?? defaultDetectors;
  const signal = options.signal ?? new AbortController().signal;
  const entries = await walkPaths(paths);
  const files: Report['files'] = [];
  const findings: Finding[] = [];
  const bytesTotal = entries.reduce((sum, entry) => sum + (entry.kind === 'file' ? entry.size : 0), 0);
  let bytesDone = 0;
  for (const [index, entry] of entries.entries()) {
    if (entry.kind === 'file') {
      const result = await scanDataFile(entry.path, {
        detectors,
        signal,
        maxFindingsPerFile: options.maxFindingsPerFile ?? 10_000,
        minScore: options.minScore ?? 0.5,
      });
      files.push(result.file);
      findings.push(...result.findings);
      bytesDone += entry.size;
    } else {
      const status = entry.kind === 'unreadable' ? 'error' : 'skipped';
      const message = entry.kind === 'link-outside' ? `link to ${entry.target} not followed` : entry.message;
      files.push({
        path: entry.path,
        formats: [],
        size: 0,
        status,
        errors: [{ code: entry.kind.toUpperCase(), message }],
        members: 0,
        durationMs: 0,
      });
    }
    options.onProgress?.({ done: index + 1, total: entries.length, bytesDone, bytesTotal, path: entry.path });
  }
  return {
    schemaVersion: reportSchemaVersion,
    kind: 'data-scan',
    tool: { name: 'mlsecops', version: toolVersion },
    startedAt,
    finishedAt: new Date().toISOString(),
    targets: [...paths],
    files,
    findings,
    summary: summarize(files, findings),
  };
}
