import { type FileResult, type Finding, ruleFinding } from '../contracts/index.js';
import { type DataRuleId, dataCoreRules } from './catalog.js';
import { shapeOf } from './detectors/shape.js';
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
      const memo = new ValueMemo(options);
      for await (const batch of cellsOf) {
        cells += batch.length;
        for (const cell of batch) {
          scanCell(cell, path, memo, options.maxFindingsPerFile, findings, overflow);
          collector?.add(cell);
        }
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

/** What the detectors found in one value: pairs of detector and match, at or above the minimum score. */
type Found = readonly (readonly [Detector, DetectorMatch])[];
const NOTHING: Found = [];

/** One column's remembered values, and whether remembering pays there. */
interface ColumnMemo {
  readonly values: Map<string, Found>;
  lookups: number;
  hits: number;
  /** Set once a column proves to hold mostly distinct values (ids, hashes, timestamps). */
  off: boolean;
}

/**
 * Detector results of short values, remembered per column: datasets repeat categorical values
 * (countries, labels, versions, common names) millions of times, and detectors are pure functions of
 * the value and its column, so a repeated value is looked up instead of scanned again. A column whose
 * values are mostly distinct stops being remembered after a trial, so unique ids cost no hashing.
 * Bounded: values up to `MAX_LENGTH` characters, `MAX_ENTRIES` in all, forgotten at once when full.
 */
class ValueMemo {
  static readonly MAX_LENGTH = 64;
  static readonly MAX_ENTRIES = 1 << 16;
  /** Look-ups after which a column's hit rate is judged, and the rate it must reach to stay on. */
  static readonly TRIAL = 4096;
  static readonly MIN_HIT_RATE = 0.25;
  private readonly byColumn = new Map<string, ColumnMemo>();
  private entries = 0;

  private readonly detectors: DetectorTable;

  constructor(options: DataFileOptions) {
    this.detectors = new DetectorTable(options.detectors, options.minScore);
  }

  found(cell: Cell): Found {
    const { value } = cell;
    if (value.length > ValueMemo.MAX_LENGTH) return this.detectors.run(value, cell);
    // Letterless values (numbers, most features) are cheaper to scan than to hash and look up.
    const shape = shapeOf(value);
    if (shape.upper + shape.lower + shape.nonAscii === 0) return this.detectors.run(value, cell);
    const column = cell.column ?? '';
    let memo = this.byColumn.get(column);
    if (!memo) {
      memo = { values: new Map(), lookups: 0, hits: 0, off: false };
      this.byColumn.set(column, memo);
    }
    if (memo.off) return this.detectors.run(value, cell);
    memo.lookups++;
    const known = memo.values.get(value);
    if (known) {
      memo.hits++;
      return known;
    }
    const found = this.detectors.run(value, cell);
    if (memo.lookups === ValueMemo.TRIAL && memo.hits < ValueMemo.TRIAL * ValueMemo.MIN_HIT_RATE) {
      memo.off = true;
      this.entries -= memo.values.size;
      memo.values.clear();
      return found;
    }
    if (this.entries >= ValueMemo.MAX_ENTRIES) {
      for (const other of this.byColumn.values()) other.values.clear();
      this.entries = 0;
    }
    memo.values.set(value, found);
    this.entries++;
    return found;
  }
}

/**
 * The detectors as parallel arrays: detectors are objects of many shapes, so reading `minLength` or
 * `quick` off each one is a megamorphic load per value and detector; arrays make the per-value loop
 * monomorphic.
 */
class DetectorTable {
  private readonly detectors: readonly Detector[];
  private readonly minLengths: Int32Array;
  private readonly quicks: readonly (((text: string) => boolean) | undefined)[];

  constructor(
    detectors: readonly Detector[],
    private readonly minScore: number,
  ) {
    this.detectors = detectors;
    this.minLengths = Int32Array.from(detectors, (detector) => detector.minLength ?? 0);
    this.quicks = detectors.map((detector) => detector.quick);
  }

  /** What every detector finds in one value, with the gates of `mayMatch`. */
  run(value: string, cell: Cell): Found {
    let found: [Detector, DetectorMatch][] | undefined;
    const length = value.length;
    const detectors = this.detectors;
    const minLengths = this.minLengths;
    const quicks = this.quicks;
    for (let i = 0; i < detectors.length; i++) {
      if (length < minLengths[i]!) continue;
      const quick = quicks[i];
      if (quick && !quick(value)) continue;
      const detector = detectors[i]!;
      // A cell is a detector context: it carries the column.
      for (const match of detector.detect(value, cell)) {
        if (match.score < this.minScore) continue;
        found ??= [];
        found.push([detector, match]);
      }
    }
    return found ?? NOTHING;
  }
}

function scanCell(
  cell: Cell,
  path: string,
  memo: ValueMemo,
  maxFindings: number,
  findings: Finding[],
  overflow: Map<string, number>,
): void {
  const found = memo.found(cell);
  for (let i = 0; i < found.length; i++) {
    const [detector, match] = found[i]!;
    if (findings.length >= maxFindings) {
      overflow.set(detector.id, (overflow.get(detector.id) ?? 0) + 1);
      continue;
    }
    findings.push(matchFinding(detector, match, cell, path));
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
  return ruleFinding(ruleId, dataCoreRules[ruleId], { path, ...(row === undefined ? {} : { row }) }, evidence);
}
