import { buildReport, type Finding, type Report, unreadFile } from '../contracts/index.js';
import { type ScanProgress, walkPaths } from '../scan/index.js';
import { toolVersion } from '../version.js';
import { defaultDetectors } from './detectors/index.js';
import type { Detector } from './detectors/types.js';
import { defaultMaxRows, type PoisoningOptions, RowCollector, type RowTable } from './poisoning/index.js';
import { openDataset } from './readers/open.js';
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
  /** Poisoning indicators over tabular files (CSV, TSV, JSON, JSONL); on by default, `false` turns them off. */
  readonly poisoning?: Omit<PoisoningOptions, 'baseline' | 'signal'> | false;
  /** A trusted version of the data: its rows become the baseline of the shift indicators. */
  readonly baselinePath?: string;
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
  const baseline = options.baselinePath ? await collectBaseline(options.baselinePath, options, signal) : undefined;
  const poisoning =
    options.poisoning === false ? undefined : { ...options.poisoning, ...(baseline ? { baseline } : {}) };
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
        ...(poisoning ? { poisoning } : {}),
      });
      files.push(result.file);
      // A loop, not push(...spread): a file can yield more findings than a call can take arguments.
      for (const finding of result.findings) findings.push(finding);
      bytesDone += entry.size;
    } else {
      const status = entry.kind === 'unreadable' ? 'error' : 'skipped';
      const message = entry.kind === 'link-outside' ? `link to ${entry.target} not followed` : entry.message;
      files.push(unreadFile(entry.path, status, entry.kind.toUpperCase(), message));
    }
    options.onProgress?.({ done: index + 1, total: entries.length, bytesDone, bytesTotal, path: entry.path });
  }
  return buildReport({ kind: 'data-scan', version: toolVersion, startedAt, targets: paths, files, findings });
}

/** Reads the trusted baseline with the same readers, into a (sampled) row table. */
async function collectBaseline(path: string, options: DataScanOptions, signal: AbortSignal): Promise<RowTable> {
  const maxRows = (options.poisoning ? options.poisoning.maxRows : undefined) ?? defaultMaxRows;
  const collector = new RowCollector(maxRows);
  const opened = await openDataset(path, { signal, onIssue: () => {} });
  if (!opened.cells) throw new Error(`baseline ${path} is not a dataset this version reads`);
  for await (const batch of opened.cells) for (const cell of batch) collector.add(cell);
  return collector.table();
}
