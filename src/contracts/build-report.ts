import type { Finding } from './finding.js';
import { type FileResult, type Report, reportSchemaVersion } from './report.js';
import { summarize } from './summary.js';

/** A report of any engine: the envelope and the summary are derived here, once. */
export function buildReport(input: {
  readonly kind: Report['kind'];
  readonly version: string;
  readonly startedAt: string;
  readonly targets: readonly string[];
  readonly files: FileResult[];
  readonly findings: Finding[];
}): Report {
  return {
    schemaVersion: reportSchemaVersion,
    kind: input.kind,
    tool: { name: 'mlsecops', version: input.version },
    startedAt: input.startedAt,
    finishedAt: new Date().toISOString(),
    targets: [...input.targets],
    files: input.files,
    findings: input.findings,
    summary: summarize(input.files, input.findings),
  };
}

/** The result of a path that was walked but not read (a link out of the root, a FIFO, an unreadable entry). */
export function unreadFile(path: string, status: 'skipped' | 'error', code: string, message: string): FileResult {
  return { path, formats: [], size: 0, status, errors: [{ code, message }], members: 0, durationMs: 0 };
}
