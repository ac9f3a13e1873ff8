import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { exitCodeFor, type Report, severitySchema } from '../../contracts/index.js';
import { CliError } from '../errors.js';
import { escapeHtml } from '../render/html.js';
import { collect, type Io } from './shared.js';

const numbers = (text: string) => text.split(',').map((part) => Number(part.trim()));
const fraction = z.coerce.number().min(0).max(1);
const flagsSchema = z.object({
  data: z.string().min(1),
  label: z.string().min(1),
  labels: z.string().min(1).optional(),
  endpoint: z.string().url().optional(),
  header: z.array(z.string()),
  epsilons: z
    .string()
    .transform(numbers)
    .pipe(z.array(z.number().gt(0).max(1)).min(1))
    .optional(),
  headlineEpsilon: z.coerce.number().gt(0).max(1).optional(),
  samples: z.coerce.number().int().positive().max(100_000),
  maxQueries: z.coerce.number().int().min(10).max(1_000_000),
  seed: z.coerce.number().int().nonnegative(),
  clip: z
    .string()
    .transform(numbers)
    .pipe(z.tuple([z.number(), z.number()]))
    .optional(),
  minRobustAccuracy: fraction,
  minCleanAccuracy: fraction,
  maxNoiseDrop: fraction,
  timeoutMs: z.coerce.number().int().positive(),
  concurrency: z.coerce.number().int().positive().max(64),
  format: z.enum(['table', 'json', 'html']),
  output: z.string().min(1).optional(),
  failOn: severitySchema,
});

function headers(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => {
      const at = value.indexOf(':');
      if (at <= 0) throw new CliError('BAD_ARGUMENTS', `--header takes 'name: value', got ${value}`);
      return [value.slice(0, at).trim().toLowerCase(), value.slice(at + 1).trim()];
    }),
  );
}

/** `mlsecops assess robustness <model.onnx> --data <labelled csv|npy>`, or `--endpoint <url>`. */
export function registerAssessRobustness(assess: Command, io: Io): void {
  assess
    .command('robustness')
    .description('accuracy under random noise and black-box evasion attacks (score- and decision-based)')
    .argument('[model]', 'ONNX classifier (omit with --endpoint)')
    .requiredOption('--data <file>', 'labelled data: CSV with a label column, or .npy features with --labels')
    .option('--label <name>', 'label column of the CSV', 'label')
    .option('--labels <file.npy>', 'labels (integers) for .npy features')
    .option('--endpoint <url>', 'attack a JSON REST model server ({"instances"} → {"predictions"}) instead (network)')
    .option('--header <name: value>', 'request header for --endpoint (repeatable)', collect, [])
    .option('--epsilons <list>', 'budgets as fractions of the feature range (default: 0.05,0.1,0.2,0.3)')
    .option('--headline-epsilon <e>', 'budget robust accuracy is judged at (default: 0.1)')
    .option('--samples <n>', 'rows attacked (sampled with --seed)', '100')
    .option('--max-queries <n>', 'queries per sample per attack', '1000')
    .option('--seed <n>', 'random seed', '1')
    .option('--clip <min,max>', 'valid feature range (default: observed in the data)')
    .option('--min-robust-accuracy <x>', 'robust accuracy below this is a high finding', '0.5')
    .option('--min-clean-accuracy <x>', 'clean accuracy below this is a medium finding', '0.8')
    .option('--max-noise-drop <x>', 'accuracy drop under the smallest noise above this is a medium finding', '0.1')
    .option('--timeout-ms <n>', 'per request to --endpoint', '10000')
    .option('--concurrency <n>', 'requests in flight to --endpoint', '4')
    .option('--format <format>', 'table, json or html', 'table')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity', 'high')
    .action(async (model: string | undefined, raw: Record<string, unknown>) => {
      const parsed = flagsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new CliError(
          'BAD_ARGUMENTS',
          parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'),
        );
      }
      const flags = parsed.data;
      if (Boolean(model) === Boolean(flags.endpoint))
        throw new CliError('BAD_ARGUMENTS', 'give a model file or --endpoint, not both');
      // onnxruntime and the attacks load only when the command runs: the CLI starts faster without them.
      const { assessRobustness, RobustnessError } = await import('../../assess/robustness/index.js');
      let report: Report;
      try {
        report = await assessRobustness({
          ...(model ? { model } : {}),
          ...(flags.endpoint
            ? {
                endpoint: {
                  url: flags.endpoint,
                  headers: headers(flags.header),
                  timeoutMs: flags.timeoutMs,
                  concurrency: flags.concurrency,
                },
              }
            : {}),
          data: { path: flags.data, label: flags.label, ...(flags.labels ? { labels: flags.labels } : {}) },
          ...(flags.epsilons ? { epsilons: flags.epsilons } : {}),
          ...(flags.headlineEpsilon ? { headlineEpsilon: flags.headlineEpsilon } : {}),
          ...(flags.clip ? { clip: flags.clip } : {}),
          samples: flags.samples,
          maxQueries: flags.maxQueries,
          seed: flags.seed,
          minRobustAccuracy: flags.minRobustAccuracy,
          minCleanAccuracy: flags.minCleanAccuracy,
          maxNoiseDrop: flags.maxNoiseDrop,
        });
      } catch (error) {
        if (error instanceof RobustnessError) throw new CliError('BAD_ARGUMENTS', error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new CliError('PATH_NOT_FOUND', (error as Error).message);
        if (code === 'EACCES' || code === 'EISDIR') throw new CliError('PATH_UNREADABLE', (error as Error).message);
        throw error;
      }
      const { robustnessTable } = await import('../../assess/robustness/index.js');
      const text =
        flags.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : flags.format === 'html'
            ? await renderRobustnessHtml(report)
            : robustnessTable(report);
      if (flags.output) await writeFile(flags.output, text);
      else io.stdout.write(text);
      io.setExitCode(exitCodeFor(report, flags.failOn));
    });
}

/** The report as one self-contained page: the verdict, the robustness curves as inline SVG, the findings. */
async function renderRobustnessHtml(report: Report): Promise<string> {
  const [{ robustnessCurves, robustnessTable }, vega, vegaLite] = await Promise.all([
    import('../../assess/robustness/index.js'),
    import('vega'),
    import('vega-lite'),
  ]);
  const loader = vega.loader();
  // The chart reads nothing from outside the report: every value is inline.
  loader.load = async () => {
    throw new Error('robustness charts load nothing');
  };
  const spec: TopLevelSpec = {
    width: 560,
    height: 280,
    data: { values: robustnessCurves(report).map((p) => ({ ...p })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epsilon', type: 'quantitative', title: 'budget ε (fraction of the feature range)' },
      y: {
        field: 'accuracy',
        type: 'quantitative',
        title: 'accuracy',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
      },
      color: { field: 'attack', type: 'nominal', title: 'attack' },
    },
    config: { font: 'system-ui, sans-serif', view: { stroke: null } },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none', loader });
  const svg = await view.toSVG();
  view.finalize();
  const m = report.metrics ?? {};
  const failing = report.findings.some((f) => f.severity === 'high' || f.severity === 'critical');
  const findings = report.findings
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.severity)}</td><td>${escapeHtml(f.ruleId)}</td><td>${f.location.row ?? ''}</td><td>${escapeHtml(f.evidence)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Robustness: ${escapeHtml(report.targets[0] ?? '')}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#1d2733}
.verdict{font-size:1.1rem;padding:.6rem .9rem;border-radius:6px;background:#e8f3ea}.verdict.bad{background:#fbe9e8}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #e3e7ec;padding:.35rem .5rem;text-align:left;vertical-align:top}
pre{background:#f5f7f9;padding:.8rem;overflow:auto}svg{max-width:100%;height:auto}.meta{color:#5b6775}
</style></head><body>
<h1>Robustness assessment</h1>
<p class="meta">Model <code>${escapeHtml(report.targets[0] ?? '')}</code> · data <code>${escapeHtml(report.targets[1] ?? '')}</code> · ${escapeHtml(report.finishedAt)} · mlsecops ${escapeHtml(report.tool.version)}</p>
<p class="verdict ${failing ? 'bad' : ''}">Clean accuracy ${((m.cleanAccuracy ?? 0) * 100).toFixed(1)}%, robust accuracy ${((m.robustAccuracy ?? 0) * 100).toFixed(1)}% at ε = ${m.headlineEpsilon} of the feature range.</p>
<h2>Accuracy against budget</h2>
${svg}
<h2>Summary</h2>
<pre>${escapeHtml(robustnessTable(report))}</pre>
<h2>Findings</h2>
<table><thead><tr><th>severity</th><th>rule</th><th>row</th><th>evidence</th></tr></thead><tbody>
${findings}
</tbody></table>
</body></html>
`;
}
