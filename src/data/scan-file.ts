import type { FileResult, Finding } from '../contracts/index.js';
import { type DataRuleId, dataCoreRules } from './catalog.js';
import type { Detector, DetectorMatch } from './detectors/types.js';
import { mask } from './mask.js';
import { analysePoisoning, defaultMaxRows, type PoisoningOptions, RowCollector } from './poisoning/index.js';
import { poisoningFindings } from './poisoning-findings.js';
import { openDataset } from './readers/open.js';
import type { Cell, DatasetFormat, ReadIssue } from './readers/types.js';
import { referencesFor } from './rules.js';

export interface DataFileOptions {
  readonly detectors: readonly Detector[];
  readonly signal: AbortSignal;
  readonly maxFindingsPerFile: number;
  readonly minScore: number;
  /** Poisoning indicators over the file's rows; off when undefined. */
  readonly poisoning?: PoisoningOptions;
}

/** Formats whose records are rows with columns, where poisoning indicators apply. */
const tabular = new Set(['csv', 'tsv', 'json', 'jsonl', 'parquet']);

export interface DataFileResult {
  readonly file: FileResult;
  readonly findings: Finding[];
  /** Values the detectors looked at, for throughput figures. */
  readonly cells: number;
}

/**
 * Scans one dataset file in a single streaming pass: the reader yields values one at a time, every
 * detector sees each value, matches become findings with the row, column and character span. Memory
 * holds one record plus the findings.
 */
export async function scanDataFile(path: string, options: DataFileOptions): Promise<DataFileResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  const errors: FileResult['errors'] = [];
  const overflow = new Map<string, number>();
  let cells = 0;
  let size = 0;
  let format: DatasetFormat | undefined;
  let status: FileResult['status'] = 'scanned';
  const issue = (problem: ReadIssue) => {
    errors.push({ code: 'MALFORMED', message: problem.message });
    findings.push(coreFinding('data.malformed-record', path, problem.message, problem.row));
    status = 'partial';
  };
  try {
    const opened = await openDataset(path, { signal: options.signal, onIssue: issue });
    size = opened.size;
    format = opened.format;
    const cellsOf = opened.cells;
    if (!cellsOf) status = 'skipped';
    const collector =
      options.poisoning && tabular.has(format ?? '')
        ? new RowCollector(options.poisoning.maxRows ?? defaultMaxRows)
        : undefined;
    if (cellsOf) {
      for await (const cell of cellsOf) {
        cells++;
        scanCell(cell, path, options, findings, overflow);
        collector?.add(cell);
      }
    }
    if (collector && options.poisoning && cells > 0) {
      const analysis = analysePoisoning(collector.table(), { ...options.poisoning, signal: options.signal });
      for (const finding of poisoningFindings(path, analysis)) findings.push(finding);
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    status = 'error';
    const message = error instanceof Error ? error.message : String(error);
    errors.push({ code: (error as NodeJS.ErrnoException).code ?? 'INTERNAL', message });
  }
  for (const [detectorId, count] of overflow) {
    findings.push(
      coreFinding('data.findings-truncated', path, `${count} more matches of ${detectorId} beyond the per-file limit`),
    );
  }
  return {
    file: {
      path,
      formats: format ? [format] : [],
      size,
      status,
      errors,
      members: 0,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    findings,
    cells,
  };
}

function scanCell(
  cell: Cell,
  path: string,
  options: DataFileOptions,
  findings: Finding[],
  overflow: Map<string, number>,
): void {
  const context = cell.column === undefined ? {} : { column: cell.column };
  for (const detector of options.detectors) {
    if (detector.quick && !detector.quick(cell.value)) continue;
    for (const match of detector.detect(cell.value, context)) {
      if (match.score < options.minScore) continue;
      if (findings.length >= options.maxFindingsPerFile) {
        overflow.set(detector.id, (overflow.get(detector.id) ?? 0) + 1);
        continue;
      }
      findings.push(matchFinding(detector, match, cell, path));
    }
  }
}

function matchFinding(detector: Detector, match: DetectorMatch, cell: Cell, path: string): Finding {
  const where = cell.column === undefined ? '' : ` in ${JSON.stringify(cell.column)}`;
  const why = match.reason ? `; ${match.reason}` : '';
  return {
    ruleId: detector.id,
    title: detector.title,
    severity: match.severity ?? detector.severity,
    category: detector.kind,
    location: {
      path,
      row: cell.row,
      ...(cell.column === undefined ? {} : { column: cell.column }),
      span: [match.start, match.end],
    },
    // The value itself is masked: a report must not become a second copy of the secret.
    evidence: `${match.entity}${where}: ${mask(cell.value.slice(match.start, match.end))} (score ${match.score.toFixed(2)}${why})`,
    entity: match.entity,
    remediation: detector.remediation,
    references: referencesFor(detector),
    properties: { score: Math.round(match.score * 100) / 100 },
  };
}

function coreFinding(ruleId: DataRuleId, path: string, evidence: string, row?: number): Finding {
  const rule = dataCoreRules[ruleId];
  return {
    ruleId,
    title: rule.title,
    severity: rule.severity,
    category: rule.category,
    location: { path, ...(row === undefined ? {} : { row }) },
    evidence,
    remediation: rule.remediation,
    references: [...rule.references],
  };
}
