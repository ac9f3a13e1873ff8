/**
 * Quality benchmark of `mlsecops data scan`: scans the generated CSV and JSONL with `scanData`, matches
 * findings to the planted ground truth and reports per-entity precision and recall, plus CSV throughput.
 *
 *   npx tsx bench/data-quality/generate.ts --rows 50000     # once (or let this script do it)
 *   npx tsx bench/data-quality/score.ts [--reps 3] [--no-jsonl] [--data bench/.data/data-quality]
 *
 * Matching: a finding is a true positive when it sits in the same row and column as a planted value of
 * the same entity and their spans overlap. The first such finding counts; more findings on the same
 * planted value are duplicates (neither TP nor FP). Findings below the default threshold (score < 0.5)
 * are dropped, exactly as `scanData` does by default; the scans run with minScore 0 only so that a miss
 * can be told apart from a match scored too low. Documented example values (AWS EXAMPLE keys, the jwt.io
 * token, test cards, example.com, Stripe test keys) are planted as `example`, not as positives, and are
 * counted separately: found at `low`, found above `low`, or not reported.
 *
 * Results: a markdown table on stdout and in bench/results/data-quality.md, every count (and masked
 * samples of the largest false-positive and false-negative causes) in bench/results/data-quality.json.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding, Severity } from '../../src/contracts/index.js';
import { mayMatch } from '../../src/data/detectors/types.js';
import { type Detector, defaultDetectors, scanData } from '../../src/data/index.js';
import { mask } from '../../src/data/mask.js';
import { readDelimited } from '../../src/data/readers/csv.js';
import { scanDataFile } from '../../src/data/scan-file.js';
import { machineInfo } from '../lib/machine.js';
import { median } from '../lib/stats.js';
import { generate } from './generate.js';
import { DATA_DIR, readTruth, SECRET_ENTITIES, STRUCTURED_ENTITIES, type TruthEntry } from './truth.js';

const MIN_SCORE = 0.5;
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const DEFAULT_SEVERITY = new Map(defaultDetectors.map((d) => [d.id, d.severity]));

interface Sample {
  readonly row: number;
  readonly column: string;
  /** The value with the span masked and every other long token masked too, ± 40 characters. */
  readonly context: string;
  readonly note?: string;
}

interface Cause {
  count: number;
  readonly samples: Sample[];
}

interface EntityStats {
  support: number;
  tp: number;
  fn: number;
  fp: number;
  duplicates: number;
  /** True positives reported below the detector's default severity (`low`/`info` on a medium+ rule). */
  demoted: number;
  exampleLow: number;
  exampleAboveLow: number;
  exampleNotReported: number;
  readonly fpCauses: Map<string, Cause>;
  readonly fnCauses: Map<string, Cause>;
}

function newStats(): EntityStats {
  return {
    support: 0,
    tp: 0,
    fn: 0,
    fp: 0,
    duplicates: 0,
    demoted: 0,
    exampleLow: 0,
    exampleAboveLow: 0,
    exampleNotReported: 0,
    fpCauses: new Map(),
    fnCauses: new Map(),
  };
}

/** Tokens of 12+ characters with a digit in them (keys, passwords, hashes): masked in sample contexts too. */
const LONG_TOKEN = /[^\s"',;=]{12,}/g;
const maskToken = (t: string) => (/\d/.test(t) ? mask(t) : t);

/** Context around [start, end) with the span masked; other long tokens in the window masked as well. */
function maskedContext(value: string, start: number, end: number): string {
  const from = Math.max(0, start - 40);
  const to = Math.min(value.length, end + 40);
  const clean = (s: string) => s.replace(LONG_TOKEN, maskToken).replace(/\r?\n/g, '⏎');
  return `${from > 0 ? '…' : ''}${clean(value.slice(from, start))}⟦${mask(value.slice(start, end)).replace(/\r?\n/g, '⏎')}⟧${clean(value.slice(end, to))}${to < value.length ? '…' : ''}`;
}

function addCause(causes: Map<string, Cause>, key: string, sample: () => Sample): void {
  let cause = causes.get(key);
  if (!cause) {
    cause = { count: 0, samples: [] };
    causes.set(key, cause);
  }
  cause.count++;
  if (cause.samples.length < 3) cause.samples.push(sample());
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

interface Scored {
  readonly entities: Map<string, EntityStats>;
  readonly findings: number;
  readonly belowThreshold: number;
  readonly otherFindings: Record<string, number>;
}

/**
 * Scores one report against the truth. `values` gives the text of a planted cell, for masked samples:
 * only cells that hold a planted value are known, so a finding elsewhere shows without context.
 */
function score(findings: readonly Finding[], truth: readonly TruthEntry[], values: Map<string, string>): Scored {
  const entities = new Map<string, EntityStats>();
  const stats = (entity: string) => {
    let s = entities.get(entity);
    if (!s) {
      s = newStats();
      entities.set(entity, s);
    }
    return s;
  };
  const byCell = new Map<string, TruthEntry[]>();
  for (const t of truth) {
    const key = `${t.row}\u0000${t.column}`;
    const list = byCell.get(key);
    if (list) list.push(t);
    else byCell.set(key, [t]);
    if (t.kind === 'positive') stats(t.entity).support++;
  }
  const matched = new Set<TruthEntry>();
  const low = new Map<TruthEntry, Finding[]>();
  const otherFindings: Record<string, number> = {};
  let belowThreshold = 0;
  let count = 0;
  for (const f of findings) {
    const { row, column, span } = f.location;
    if (!f.entity || row === undefined || column === undefined || !span) {
      otherFindings[f.ruleId] = (otherFindings[f.ruleId] ?? 0) + 1;
      continue;
    }
    const key = `${row}\u0000${column}`;
    const cell = byCell.get(key) ?? [];
    const range = { start: span[0], end: span[1] };
    const same = cell.filter((t) => t.kind !== 'negative' && t.entity === f.entity && overlaps(t, range));
    const score = typeof f.properties?.score === 'number' ? f.properties.score : 1;
    if (score < MIN_SCORE) {
      belowThreshold++;
      for (const t of same) low.set(t, [...(low.get(t) ?? []), f]);
      continue;
    }
    count++;
    const s = stats(f.entity);
    const positive =
      same.find((t) => t.kind === 'positive' && !matched.has(t)) ?? same.find((t) => t.kind === 'positive');
    if (positive) {
      if (matched.has(positive)) s.duplicates++;
      else {
        matched.add(positive);
        s.tp++;
        const defaultSeverity = DEFAULT_SEVERITY.get(f.ruleId) ?? 'medium';
        if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[defaultSeverity] && SEVERITY_RANK[f.severity] <= 1) s.demoted++;
      }
      continue;
    }
    const example = same.find((t) => t.kind === 'example');
    if (example) {
      if (matched.has(example)) s.duplicates++;
      else {
        matched.add(example);
        if (SEVERITY_RANK[f.severity] <= SEVERITY_RANK.low) s.exampleLow++;
        else s.exampleAboveLow++;
      }
      continue;
    }
    s.fp++;
    const hit = cell.find((t) => overlaps(t, range));
    const cause = !hit
      ? `unplanted span in column ${column}`
      : hit.kind === 'negative'
        ? `hard negative ${hit.label.slice(4)} in ${column}`
        : `inside planted ${hit.label} (${column})`;
    addCause(s.fpCauses, cause, () => {
      const value = values.get(key);
      return {
        row,
        column,
        context: value ? maskedContext(value, range.start, range.end) : '(cell text not kept)',
        note: f.evidence.replace(/^[A-Z_]+ in "[^"]*": \S+ /, ''),
      };
    });
  }
  for (const t of truth) {
    if (matched.has(t) || t.kind === 'negative') continue;
    const s = stats(t.entity);
    if (t.kind === 'example') {
      s.exampleNotReported++;
      continue;
    }
    if (t.kind !== 'positive') continue;
    s.fn++;
    const key = `${t.row}\u0000${t.column}`;
    const scoredLow = low.get(t);
    let cause: string;
    let note: string | undefined;
    if (scoredLow?.length) {
      cause = `${t.label}: found below score ${MIN_SCORE}`;
      note = scoredLow[0]!.evidence.replace(/^[A-Z_]+ in "[^"]*": \S+ /, '');
    } else {
      cause = `${t.label}: not found`;
    }
    addCause(s.fnCauses, cause, () => ({
      row: t.row,
      column: t.column,
      context: maskedContext(values.get(key) ?? '', t.start, t.end),
      ...(note ? { note } : {}),
    }));
  }
  return { entities, findings: count, belowThreshold, otherFindings };
}

// --- Report ------------------------------------------------------------------------------------------

const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);
const fmt = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));

function group(entity: string): 'structured' | 'secret' | 'free-text PII' {
  if (STRUCTURED_ENTITIES.has(entity)) return 'structured';
  if (SECRET_ENTITIES.has(entity)) return 'secret';
  return 'free-text PII';
}

interface Summary {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
}

function summarize(list: readonly EntityStats[]): Summary {
  const tp = list.reduce((n, s) => n + s.tp, 0);
  const fp = list.reduce((n, s) => n + s.fp, 0);
  const fn = list.reduce((n, s) => n + s.fn, 0);
  return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

function entityTable(scored: Scored): string[] {
  const order = [...scored.entities.keys()].sort((a, b) => {
    const rank = { structured: 0, 'free-text PII': 1, secret: 2 };
    return rank[group(a)] - rank[group(b)] || a.localeCompare(b);
  });
  const lines = [
    '| Entity | Group | Support | TP | FN | FP | Precision | Recall | Target | Dup. | Demoted to low | Examples: low / above low / not reported |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  for (const entity of order) {
    const s = scored.entities.get(entity)!;
    const p = ratio(s.tp, s.tp + s.fp);
    const r = ratio(s.tp, s.support);
    const g = group(entity);
    let target = '—';
    if (g === 'structured') target = p >= 0.95 && r >= 0.95 ? 'met' : `**missed** (P ≥ 0.95, R ≥ 0.95)`;
    else if (g === 'secret') target = 'see secrets row';
    const examples = s.exampleLow + s.exampleAboveLow + s.exampleNotReported;
    lines.push(
      `| ${entity} | ${g} | ${s.support} | ${s.tp} | ${s.fn} | ${s.fp} | ${fmt(p)} | ${fmt(r)} | ${target} | ${s.duplicates} | ${s.demoted} | ${examples ? `${s.exampleLow} / ${s.exampleAboveLow} / ${s.exampleNotReported}` : '—'} |`,
    );
  }
  return lines;
}

function summaryLines(scored: Scored): string[] {
  const all = [...scored.entities.entries()];
  const structured = summarize(all.filter(([e]) => group(e) === 'structured').map(([, s]) => s));
  const secrets = summarize(all.filter(([e]) => group(e) === 'secret').map(([, s]) => s));
  const freeText = summarize(all.filter(([e]) => group(e) === 'free-text PII').map(([, s]) => s));
  const line = (name: string, s: Summary, target: string) =>
    `| ${name} | ${s.tp} | ${s.fn} | ${s.fp} | ${fmt(s.precision)} | ${fmt(s.recall)} | ${target} |`;
  const structuredEach = all.filter(([e]) => group(e) === 'structured');
  const missed = structuredEach.filter(([, s]) => ratio(s.tp, s.tp + s.fp) < 0.95 || ratio(s.tp, s.support) < 0.95);
  return [
    '| Group (micro-averaged) | TP | FN | FP | Precision | Recall | Target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    line(
      'structured PII',
      structured,
      `P, R ≥ 0.95 per entity: ${missed.length === 0 ? 'met for all' : `missed by ${missed.map(([e]) => e).join(', ')}`}`,
    ),
    line('free-text PII (names, addresses)', freeText, 'no target in the issue'),
    line('secrets', secrets, `precision ≥ 0.9: ${secrets.precision >= 0.9 ? 'met' : '**missed**'}`),
  ];
}

function causeLines(scored: Scored, kind: 'fp' | 'fn', limit: number): string[] {
  const rows: { entity: string; cause: string; c: Cause }[] = [];
  for (const [entity, s] of scored.entities)
    for (const [cause, c] of kind === 'fp' ? s.fpCauses : s.fnCauses) rows.push({ entity, cause, c });
  rows.sort((a, b) => b.c.count - a.c.count);
  const out: string[] = [];
  for (const { entity, cause, c } of rows.slice(0, limit)) {
    out.push(`- **${entity}** — ${cause}: ${c.count}`);
    for (const sample of c.samples.slice(0, 2))
      out.push(
        `  - row ${sample.row}, \`${sample.column}\`: \`${sample.context.replaceAll('`', "'")}\`${sample.note ? ` — ${sample.note}` : ''}`,
      );
  }
  if (rows.length > limit) out.push(`- … ${rows.length - limit} smaller causes in the JSON results`);
  return out;
}

function causesJson(causes: Map<string, Cause>) {
  return Object.fromEntries([...causes].sort((a, b) => b[1].count - a[1].count));
}

function statsJson(scored: Scored) {
  return {
    findings: scored.findings,
    belowThreshold: scored.belowThreshold,
    otherFindings: scored.otherFindings,
    entities: Object.fromEntries(
      [...scored.entities].map(([entity, s]) => [
        entity,
        {
          group: group(entity),
          support: s.support,
          tp: s.tp,
          fn: s.fn,
          fp: s.fp,
          precision: ratio(s.tp, s.tp + s.fp),
          recall: ratio(s.tp, s.support),
          duplicates: s.duplicates,
          demoted: s.demoted,
          examples: { low: s.exampleLow, aboveLow: s.exampleAboveLow, notReported: s.exampleNotReported },
          fpCauses: causesJson(s.fpCauses),
          fnCauses: causesJson(s.fnCauses),
        },
      ]),
    ),
  };
}

// --- Time breakdown ------------------------------------------------------------------------------

/** Non-empty cells of a CSV with their column, parsed by the reader itself. */
async function csvCells(path: string): Promise<{ value: string; column: string }[]> {
  const out: { value: string; column: string }[] = [];
  const options = { signal: new AbortController().signal, onIssue: () => {} };
  for await (const batch of readDelimited(path, ',', options))
    for (const cell of batch) out.push({ value: cell.value, column: cell.column ?? '' });
  return out;
}

/** One pass of `detectors` over the cells as the engine runs them (quick, then detect); milliseconds. */
function detectorPass(cells: readonly { value: string; column: string }[], detectors: readonly Detector[]): number {
  const started = performance.now();
  let sink = 0;
  for (const { value, column } of cells) {
    const context = { column };
    for (const detector of detectors) {
      if (!mayMatch(detector, value)) continue;
      sink += detector.detect(value, context).length;
    }
  }
  if (sink < 0) console.log(sink);
  return performance.now() - started;
}

// --- Main --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: DATA_DIR },
      reps: { type: 'string', default: '3' },
      rows: { type: 'string', default: '50000' },
      'no-jsonl': { type: 'boolean', default: false },
      out: { type: 'string', default: join('bench', 'results') },
    },
  });
  const reps = Number(args.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${args.reps}`);
  const csvPath = join(args.data, 'dataset.csv');
  const jsonlPath = join(args.data, 'dataset.jsonl');
  const truthPath = join(args.data, 'truth.json');
  if (!existsSync(truthPath) || !existsSync(csvPath) || !existsSync(jsonlPath)) {
    console.error(`No data in ${args.data}: generating ${args.rows} rows first`);
    generate({ rows: Number(args.rows), seed: 20260521, out: args.data });
  }
  const before = machineInfo();
  const started = performance.now();
  const csvBytes = statSync(csvPath).size;
  const jsonlBytes = statSync(jsonlPath).size;

  // Throughput: the CLI's defaults (all detectors, minScore 0.5, 10,000 findings listed per file) for
  // personal data and secrets only. Poisoning indicators, where this version has them, are switched off:
  // the target is for PII + secrets. (Variables, not literals: no excess-property check on versions
  // without the option.)
  const piiAndSecrets = { detectors: defaultDetectors, poisoning: false as const };
  const readerOnly = { detectors: [], poisoning: false as const };
  console.error(`Throughput: ${reps} scans of ${csvPath} with default options…`);
  const samples: number[] = [];
  let findingsDefault = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const report = await scanData([csvPath], piiAndSecrets);
    samples.push(performance.now() - t);
    findingsDefault = report.findings.length;
  }
  const mbps = csvBytes / 1e6 / (median(samples) / 1000);

  // Where the time goes: the CSV reader alone (scanData without detectors), then each detector alone
  // over the parsed cells in memory (after one warm-up pass of all of them).
  console.error('Time breakdown: reader alone, then each detector alone…');
  const readerSamples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await scanData([csvPath], readerOnly);
    readerSamples.push(performance.now() - t);
  }
  const cells = await csvCells(csvPath);
  detectorPass(cells, defaultDetectors);
  const allMs = detectorPass(cells, defaultDetectors);
  const perDetector = defaultDetectors
    .map((d) => ({ id: d.id, ms: detectorPass(cells, [d]) }))
    .sort((a, b) => b.ms - a.ms);
  const afterSpeed = machineInfo();

  // Truth and quality scans after the timed ones, so their ~1M objects do not weigh on the timings.
  const { file: truthFile, entries: truth } = readTruth(truthPath);
  // Cell texts for masked samples: re-read from the JSONL (same records, flat keys).
  const values = new Map<string, string>();
  const lines = readFileSync(jsonlPath, 'utf8').split('\n');
  for (let row = 0; row < lines.length; row++) {
    if (!lines[row]) continue;
    for (const [column, value] of Object.entries(JSON.parse(lines[row]!) as Record<string, string>))
      values.set(`${row}\u0000${column}`, value);
  }

  console.error(`Quality scan of ${csvPath} (${(csvBytes / 1e6).toFixed(1)} MB, ${truthFile.rows} rows)…`);
  // scanDataFile is what scanData runs for each file. It is called directly because scanData appends a
  // file's findings with push(...findings), which throws RangeError (call stack) beyond ~120k findings.
  const qualityOptions = {
    detectors: defaultDetectors,
    signal: new AbortController().signal,
    maxFindingsPerFile: Number.MAX_SAFE_INTEGER,
    minScore: 0,
  };
  let t = performance.now();
  const csvReport = await scanDataFile(csvPath, qualityOptions);
  const csvQualityMs = performance.now() - t;
  if (csvReport.file.status !== 'scanned') throw new Error(`${csvPath}: ${JSON.stringify(csvReport.file)}`);
  const csvScored = score(csvReport.findings, truth, values);
  let jsonlScored: Scored | undefined;
  let jsonlQualityMs = 0;
  if (!args['no-jsonl']) {
    console.error(`Quality scan of ${jsonlPath} (${(jsonlBytes / 1e6).toFixed(1)} MB)…`);
    t = performance.now();
    const jsonlReport = await scanDataFile(jsonlPath, qualityOptions);
    jsonlQualityMs = performance.now() - t;
    if (jsonlReport.file.status !== 'scanned') throw new Error(`${jsonlPath}: ${JSON.stringify(jsonlReport.file)}`);
    jsonlScored = score(jsonlReport.findings, truth, values);
  }

  const after = machineInfo();

  const all = [...csvScored.entities.entries()];
  const secrets = summarize(all.filter(([e]) => group(e) === 'secret').map(([, s]) => s));
  const md: string[] = [
    `#### mlsecops data scan — quality benchmark — ${before.date}`,
    '',
    `Machine: ${before.cpu}, ${before.cores} cores, ${before.memoryGiB} GiB RAM, ${before.platform}, Node ${before.node}. Load average (1/5/15 min) ${before.loadAverage.join(' / ')} before, ${afterSpeed.loadAverage.join(' / ')} after the timed scans, ${after.loadAverage.join(' / ')} at the end; run took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    '',
    `Data: ${truthFile.rows} rows, seed ${truthFile.seed}; dataset.csv ${(csvBytes / 1e6).toFixed(1)} MB, dataset.jsonl ${(jsonlBytes / 1e6).toFixed(1)} MB; ${truth.filter((e) => e.kind === 'positive').length} planted positives, ${truth.filter((e) => e.kind === 'example').length} documented examples, ${truth.filter((e) => e.kind === 'negative').length} planted hard negatives.`,
    '',
    '| Target (from the issue) | Measured | Met |',
    '| --- | --- | --- |',
    `| PII + secrets scanning ≥ 20 MB/s of CSV on one core | ${mbps.toFixed(1)} MB/s (median of ${reps}: ${samples.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s) | ${mbps >= 20 ? 'yes' : `**no** (${((mbps / 20) * 100).toFixed(0)}% of target)`} |`,
    `| secrets precision ≥ 0.9 (CSV) | ${fmt(secrets.precision)} (${secrets.tp} TP, ${secrets.fp} FP) | ${secrets.precision >= 0.9 ? 'yes' : '**no**'} |`,
    ...all
      .filter(([e]) => group(e) === 'structured')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([e, s]) => {
        const p = ratio(s.tp, s.tp + s.fp);
        const r = ratio(s.tp, s.support);
        const met = p >= 0.95 && r >= 0.95;
        return `| ${e}: precision ≥ 0.95 and recall ≥ 0.95 (CSV) | P ${fmt(p)}, R ${fmt(r)} | ${met ? 'yes' : `**no** (${p < 0.95 ? `P −${(0.95 - p).toFixed(3)}` : ''}${p < 0.95 && r < 0.95 ? ', ' : ''}${r < 0.95 ? `R −${(0.95 - r).toFixed(3)}` : ''})`} |`;
      }),
    '',
    `##### Per entity — dataset.csv (quality scan ${(csvQualityMs / 1000).toFixed(1)} s, all findings kept; ${csvScored.findings} findings ≥ ${MIN_SCORE}, ${csvScored.belowThreshold} below)`,
    '',
    ...entityTable(csvScored),
    '',
    ...summaryLines(csvScored),
    '',
  ];
  if (Object.keys(csvScored.otherFindings).length)
    md.push(`Findings without an entity (file-level): ${JSON.stringify(csvScored.otherFindings)}`, '');
  const counts = (x: Scored) =>
    JSON.stringify([...x.entities].map(([e, v]) => [e, v.support, v.tp, v.fn, v.fp, v.exampleLow, v.exampleAboveLow]));
  if (jsonlScored && counts(jsonlScored) === counts(csvScored)) {
    md.push(
      `##### dataset.jsonl (quality scan ${(jsonlQualityMs / 1000).toFixed(1)} s)`,
      '',
      'Same records as JSON Lines: every per-entity count (support, TP, FN, FP, examples) is identical to the CSV table above.',
      '',
    );
  } else if (jsonlScored) {
    md.push(
      `##### Per entity — dataset.jsonl (quality scan ${(jsonlQualityMs / 1000).toFixed(1)} s; ${jsonlScored.findings} findings ≥ ${MIN_SCORE})`,
      '',
      ...entityTable(jsonlScored),
      '',
      ...summaryLines(jsonlScored),
      '',
    );
  }
  md.push(
    `##### Throughput — dataset.csv, scanData with default options (poisoning indicators off)`,
    '',
    '| Measure | Value |',
    '| --- | --- |',
    `| scanData median of ${reps} | ${(median(samples) / 1000).toFixed(2)} s → ${mbps.toFixed(1)} MB/s (min ${(Math.min(...samples) / 1000).toFixed(2)} s, max ${(Math.max(...samples) / 1000).toFixed(2)} s; ${findingsDefault} findings in the report, capped at 10,000 listed) |`,
    `| quality scan, uncapped, minScore 0 (first scan of the process) | ${(csvQualityMs / 1000).toFixed(2)} s → ${(csvBytes / 1e6 / (csvQualityMs / 1000)).toFixed(1)} MB/s |`,
    ...(jsonlScored
      ? [
          `| dataset.jsonl quality scan, uncapped | ${(jsonlQualityMs / 1000).toFixed(2)} s → ${(jsonlBytes / 1e6 / (jsonlQualityMs / 1000)).toFixed(1)} MB/s |`,
        ]
      : []),
    '',
    `Where the time goes (CSV, ${(csvBytes / 1e6).toFixed(1)} MB, ${cells.length} non-empty cells): the reader alone (\`scanData\` with no detectors) takes ${(median(readerSamples) / 1000).toFixed(2)} s (median of ${reps}, ${(csvBytes / 1e6 / (median(readerSamples) / 1000)).toFixed(0)} MB/s); all ${defaultDetectors.length} detectors over the parsed cells in memory take ${(allMs / 1000).toFixed(2)} s (${(csvBytes / 1e6 / (allMs / 1000)).toFixed(1)} MB/s). Each detector alone (quick + detect), slowest first:`,
    '',
    '| Detector | Alone | MB/s | Share of the sum |',
    '| --- | ---: | ---: | ---: |',
    ...perDetector.map(({ id, ms }) => {
      const sum = perDetector.reduce((n, d) => n + d.ms, 0);
      return `| ${id} | ${(ms / 1000).toFixed(3)} s | ${(csvBytes / 1e6 / (ms / 1000)).toFixed(0)} | ${((ms / sum) * 100).toFixed(0)}% |`;
    }),
    '',
    '##### Largest false-positive causes (CSV)',
    '',
    ...causeLines(csvScored, 'fp', 15),
    '',
    '##### Largest false-negative causes (CSV)',
    '',
    ...causeLines(csvScored, 'fn', 15),
    '',
  );
  const text = md.join('\n');
  console.log(text);
  mkdirSync(args.out, { recursive: true });
  const json = {
    machine: { before, afterSpeed, after },
    data: { rows: truthFile.rows, seed: truthFile.seed, csvBytes, jsonlBytes, notes: truthFile.notes },
    throughput: {
      csvMBps: mbps,
      samplesMs: samples,
      csvQualityMs,
      jsonlQualityMs,
      findingsDefault,
      readerOnlyMs: readerSamples,
      allDetectorsInMemoryMs: allMs,
      perDetectorMs: Object.fromEntries(perDetector.map(({ id, ms }) => [id, ms])),
    },
    csv: statsJson(csvScored),
    ...(jsonlScored ? { jsonl: statsJson(jsonlScored) } : {}),
  };
  for (const [name, content] of [
    ['data-quality.md', `${text}\n`],
    ['data-quality.json', `${JSON.stringify(json, null, 2)}\n`],
  ] as const) {
    const path = join(args.out, name);
    writeFileSync(`${path}.tmp`, content);
    renameSync(`${path}.tmp`, path);
  }
  console.error(`Wrote ${join(args.out, 'data-quality.md')} and data-quality.json`);
}

await main();
