import type { Report } from '../../src/contracts/index.js';
import { scanPaths } from '../../src/scan/index.js';
import { bytesReadSoFar } from './io-counter.js';

export interface ScanSample {
  readonly ms: number;
  /** Bytes the process read during the scan, or undefined without /proc. */
  readonly bytesRead: number | undefined;
  readonly report: Report;
}

/** One in-process scanPaths call, timed, with the bytes it read. */
export async function scanOnce(paths: readonly string[]): Promise<ScanSample> {
  const before = bytesReadSoFar();
  const start = performance.now();
  const report = await scanPaths(paths);
  const ms = performance.now() - start;
  const after = bytesReadSoFar();
  return { ms, bytesRead: before === undefined || after === undefined ? undefined : after - before, report };
}

/** Files per status, skipped and error files per reason code: `{ scanned: 3, 'skipped:SYMLINK_OUTSIDE_ROOT': 1 }`. */
export function statusCounts(report: Report): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of report.files) {
    const key =
      file.status === 'scanned' ? file.status : `${file.status}:${file.errors[0]?.code ?? 'not a model format'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Logical size of every file in the report (links not followed count as 0). */
export function totalBytes(report: Report): number {
  return report.files.reduce((sum, file) => sum + file.size, 0);
}

/** `60 info, 1 medium (scan.symlink-outside-root)`: findings per severity, rule ids of those above info. */
export function findingCounts(report: Report): string {
  const counts = Object.entries(report.summary.bySeverity).filter(([, count]) => count > 0);
  const above = new Set(report.findings.filter((finding) => finding.severity !== 'info').map((f) => f.ruleId));
  const text = counts.map(([severity, count]) => `${count} ${severity}`).join(', ') || 'none';
  return above.size > 0 ? `${text} (above info: ${[...above].join(', ')})` : text;
}
