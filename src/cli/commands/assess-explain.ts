import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import type { Explanation, RowExplanation } from '../../assess/explain/index.js';
import { exitCodeFor, type Report } from '../../contracts/index.js';
import { toolVersion } from '../../version.js';
import { CliError } from '../errors.js';
import { escapeHtml } from '../render/html.js';
import { outputSettings, resolveSettings, type Setting } from '../settings.js';
import { addSettings, type Io } from './shared.js';

const setting = <T>(flag: string, env: string, description: string, schema: z.ZodType<T>, defaultValue: T) =>
  ({ flag, env, description, schema, defaultValue }) satisfies Setting<T>;
const count = z.coerce.number().int().positive();

/** The settings of `assess explain`, each with its flag, environment variable and default. */
export const explainSettings = {
  format: setting(
    '--format <format>',
    'MLSECOPS_FORMAT',
    'output format: table, json, html',
    z.enum(['table', 'json', 'html']),
    'table',
  ),
  output: outputSettings.output,
  failOn: outputSettings.failOn,
  repeats: setting('--repeats <n>', 'MLSECOPS_EXPLAIN_REPEATS', 'shuffles per feature', count.max(100), 5),
  seed: setting('--seed <n>', 'MLSECOPS_EXPLAIN_SEED', 'random seed', z.coerce.number().int().nonnegative(), 0),
  background: setting(
    '--background <n>',
    'MLSECOPS_EXPLAIN_BACKGROUND',
    'KernelSHAP background rows sampled from the data; 0: one row of column medians',
    z.coerce.number().int().nonnegative().max(1000),
    0,
  ),
  nsamples: setting('--nsamples <n>', 'MLSECOPS_EXPLAIN_NSAMPLES', 'KernelSHAP coalitions per row', count, 1024),
  sample: setting(
    '--sample <n>',
    'MLSECOPS_EXPLAIN_SAMPLE',
    'rows explained for the global mean |SHAP| and the concentration flag',
    count.max(10_000),
    100,
  ),
  dominance: setting(
    '--dominance <share>',
    'MLSECOPS_EXPLAIN_DOMINANCE',
    'flag a feature holding more than this share of the importance',
    z.coerce.number().gt(0).lt(1),
    0.5,
  ),
  maxRows: setting('--max-rows <n>', 'MLSECOPS_EXPLAIN_MAX_ROWS', 'data rows read', count, 10_000),
  maxColumns: setting('--max-columns <n>', 'MLSECOPS_EXPLAIN_MAX_COLUMNS', 'columns allowed in the CSV', count, 1000),
} as const;

const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : undefined;

function rowIndices(value: unknown): number[] {
  const items = list(value) ?? [];
  const rows = items.map(Number);
  if (rows.some((row) => !Number.isInteger(row) || row < 0))
    throw new CliError('BAD_ARGUMENTS', `--rows takes comma-separated 0-based row numbers, got ${String(value)}`);
  return rows;
}

const fixed = (value: number, digits = 4) => value.toFixed(digits);

/** The importance ranking, the flags and the attributions of the chosen rows, as plain text. */
export function explainTable(report: Report, explanation: Explanation): string {
  const flagged = new Map<string, string[]>();
  for (const finding of report.findings) {
    const column = finding.location.column ?? '';
    flagged.set(column, [...(flagged.get(column) ?? []), finding.ruleId.replace('explain.', '')]);
  }
  const width = Math.max(7, ...explanation.features.map((name) => name.length));
  const metric = explanation.metric === 'accuracy' ? 'accuracy drop' : 'score change';
  const lines = [
    `${explanation.rows} rows${explanation.truncated ? ' (truncated)' : ''}, ${explanation.features.length} features` +
      (explanation.accuracy === undefined ? '' : `, accuracy ${fixed(explanation.accuracy)}`) +
      `; SHAP on ${explanation.sampledRows} rows against ${explanation.background}`,
    '',
    `${'#'.padStart(3)}  ${'feature'.padEnd(width)}  ${'share'.padStart(6)}  ${`${metric} ± std`.padStart(22)}  ${'mean|SHAP|'.padStart(10)}  flags`,
  ];
  explanation.importance.forEach((item, i) => {
    lines.push(
      `${String(i + 1).padStart(3)}  ${item.feature.padEnd(width)}  ${`${(item.share * 100).toFixed(1)}%`.padStart(6)}  ` +
        `${`${fixed(item.mean)} ± ${fixed(item.std)}`.padStart(22)}  ${fixed(item.meanAbsShap).padStart(10)}  ` +
        (flagged.get(item.feature)?.join(', ') ?? ''),
    );
  });
  for (const row of explanation.explained) {
    lines.push('', `row ${row.row}: class ${row.predicted}, f(x) ${fixed(row.fx)} = base ${fixed(row.base)} + Σ SHAP`);
    const order = [...row.values.keys()].sort((a, b) => Math.abs(row.values[b]!) - Math.abs(row.values[a]!));
    for (const j of order)
      lines.push(
        `  ${explanation.features[j]!.padEnd(width)}  ${String(row.x[j]).padStart(12)}  ${row.values[j]! >= 0 ? '+' : ''}${fixed(row.values[j]!)}`,
      );
  }
  lines.push('');
  if (report.findings.length === 0) lines.push('no suspicious importance');
  for (const finding of report.findings)
    lines.push(`${finding.severity.toUpperCase()} ${finding.ruleId} [${finding.location.column}]: ${finding.evidence}`);
  return `${lines.join('\n')}\n`;
}

/** Vega and Vega-Lite, loaded when a page is drawn; no chart may load anything. */
async function svgRenderer(): Promise<(spec: TopLevelSpec) => Promise<string>> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const loader = vega.loader();
  loader.load = async () => {
    throw new Error('explain charts load nothing');
  };
  return async (spec) => {
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none', loader });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  };
}

const barSpec = (values: { label: string; value: number }[], title: string): TopLevelSpec => ({
  width: 480,
  height: Math.max(60, values.length * 18),
  data: { values },
  mark: 'bar',
  encoding: {
    y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 160 } },
    x: { field: 'value', type: 'quantitative', title },
    color: { condition: { test: 'datum.value < 0', value: '#d9534f' }, value: '#4a7ab5' },
  },
  config: { font: 'system-ui, sans-serif', view: { stroke: null } },
});

/** The explanation as one self-contained page: the importance chart, the flags and one chart per chosen row. */
export async function explainHtml(report: Report, explanation: Explanation): Promise<string> {
  const draw = await svgRenderer();
  const importance = await draw(
    barSpec(
      explanation.importance.map((item) => ({ label: item.feature, value: item.share })),
      'share of global importance',
    ),
  );
  const rowChart = (row: RowExplanation) =>
    draw(
      barSpec(
        explanation.features.map((name, j) => ({ label: `${name} = ${row.x[j]}`, value: row.values[j]! })),
        `SHAP (class ${row.predicted}; f(x) ${fixed(row.fx)}, base ${fixed(row.base)})`,
      ),
    );
  const rows: string[] = [];
  for (const row of explanation.explained) rows.push(`<h3>Row ${row.row}</h3>\n${await rowChart(row)}`);
  const findings = report.findings
    .map(
      (f) =>
        `<li class="${f.severity}"><b>${escapeHtml(f.severity)}</b> <code>${escapeHtml(f.ruleId)}</code> ` +
        `${escapeHtml(f.evidence)}<br><small>${escapeHtml(f.remediation)}</small></li>`,
    )
    .join('\n');
  const table = explanation.importance
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.feature)}</td><td class="n">${(item.share * 100).toFixed(1)}%</td>` +
        `<td class="n">${fixed(item.mean)} ± ${fixed(item.std)}</td><td class="n">${fixed(item.meanAbsShap)}</td></tr>`,
    )
    .join('\n');
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mlsecops assess explain</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}td,th{padding:2px 10px}.n{text-align:right}
li.high,li.critical{color:#a12}li.medium{color:#a60}</style></head><body>
<h1>Explanation of ${escapeHtml(report.targets[0] ?? '')}</h1>
<p>Data ${escapeHtml(report.targets[1] ?? '')}: ${explanation.rows} rows${explanation.truncated ? ' (truncated)' : ''}` +
    `${explanation.accuracy === undefined ? '' : `, accuracy ${fixed(explanation.accuracy)}`}. ` +
    `Importance: permutation (${explanation.metric}); SHAP on ${explanation.sampledRows} rows against ${escapeHtml(explanation.background)}.</p>
<h2>Flags</h2>
${findings === '' ? '<p>No suspicious importance.</p>' : `<ul>${findings}</ul>`}
<h2>Global importance</h2>
${importance}
<table><tr><th>feature</th><th>share</th><th>permutation ± std</th><th>mean |SHAP|</th></tr>
${table}</table>
${rows.length > 0 ? `<h2>Rows</h2>\n${rows.join('\n')}` : ''}
</body></html>
`
  );
}

/** `mlsecops assess explain <model.onnx> --data <csv>`: importance, SHAP and suspicious-importance flags. */
export function registerAssessExplain(assess: Command, io: Io): void {
  const command = assess
    .command('explain')
    .description('explain a tabular ONNX classifier (permutation importance, KernelSHAP) and flag leakage or triggers')
    .argument('<model>', 'ONNX classifier taking [batch, features]')
    .requiredOption('--data <csv>', 'CSV with a header, numeric feature columns')
    .option('--label <column>', 'column of class indices: importance is the accuracy drop')
    .option('--features <names>', 'comma-separated model input columns in order (default: all but the label)')
    .option('--rows <list>', 'comma-separated 0-based rows to explain one by one');
  addSettings(command, explainSettings);
  command.action(async (modelPath: string, flags: Record<string, unknown>) => {
    const resolved = resolveSettings(explainSettings, flags, io.env);
    if (!resolved.ok) throw new CliError('BAD_ARGUMENTS', resolved.issues.join('\n'));
    const settings = resolved.values;
    // onnxruntime loads with the engine, only when the command runs.
    const { explainModel, ExplainError } = await import('../../assess/explain/index.js');
    let result: Awaited<ReturnType<typeof explainModel>>;
    try {
      result = await explainModel({
        model: modelPath,
        data: flags.data as string,
        ...(typeof flags.label === 'string' ? { label: flags.label } : {}),
        ...(flags.features === undefined ? {} : { features: list(flags.features) }),
        rows: rowIndices(flags.rows),
        repeats: settings.repeats,
        seed: settings.seed,
        background: settings.background,
        nsamples: settings.nsamples,
        shapSample: settings.sample,
        dominance: settings.dominance,
        maxRows: settings.maxRows,
        maxColumns: settings.maxColumns,
        version: toolVersion,
      });
    } catch (error) {
      if (!(error instanceof ExplainError)) throw error;
      const code =
        error.code === 'CSV_UNREADABLE' || error.code === 'MODEL_UNREADABLE' ? 'PATH_UNREADABLE' : 'BAD_ARGUMENTS';
      throw new CliError(code, error.message);
    }
    const { report, explanation } = result;
    const text =
      settings.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : settings.format === 'html'
          ? await explainHtml(report, explanation)
          : explainTable(report, explanation);
    if (settings.output) await writeFile(settings.output, text);
    else io.stdout.write(text);
    io.setExitCode(exitCodeFor(report, settings.failOn));
  });
}
