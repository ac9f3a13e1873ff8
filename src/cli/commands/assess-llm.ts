import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  assessLlm,
  chatCompletionsUrl,
  configTools,
  type LlmFamily,
  llmFamilies,
  llmProbes,
  llmRules,
  loadTarget,
  parseHeaders,
  TargetError,
} from '../../assess/llm/index.js';
import { exitCodeFor, type Report } from '../../contracts/index.js';
import { CliError } from '../errors.js';
import { outputSettings, resolveSettings } from '../settings.js';
import { emitReport } from './report-output.js';
import { addSettings, collect, type Io } from './shared.js';

const flagsSchema = z.object({
  target: z.string().min(1),
  model: z.string().min(1).optional(),
  header: z.array(z.string()),
  families: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((f) => f.trim()) : undefined))
    .pipe(z.array(z.enum(llmFamilies)).min(1).optional()),
  rate: z.coerce.number().positive().optional(),
  concurrency: z.coerce.number().int().positive().max(64),
  timeoutMs: z.coerce.number().int().positive(),
  retries: z.coerce.number().int().min(0).max(10),
  state: z.string().min(1).optional(),
  judge: z.string().url().optional(),
  judgeModel: z.string().min(1).optional(),
  judgeHeader: z.array(z.string()),
});

/** `mlsecops assess llm`: red-teams an OpenAI-compatible endpoint; the only network use is to --target and --judge. */
export function registerAssessLlm(assess: Command, io: Io): void {
  const command = assess
    .command('llm')
    .description(
      'red-team an OpenAI-compatible chat endpoint with probe families graded offline (sends requests to --target)',
    )
    .requiredOption(
      '--target <url|file>',
      'chat-completions URL, or a YAML/JSON config (url, model, headers, systemPrompt, tools)',
    )
    .option('--model <name>', 'model name sent to the target')
    .option(
      '--header <k: v>',
      'request header for the target, repeatable (e.g. "authorization: Bearer …")',
      collect,
      [],
    )
    .option('--families <list>', `comma-separated families (default: all): ${llmFamilies.join(', ')}`)
    .option('--rate <req/s>', 'requests per second (default: unlimited)')
    .option('--concurrency <n>', 'requests in flight', '4')
    .option('--timeout-ms <n>', 'time limit per request', '30000')
    .option('--retries <n>', 'retries on 429 and 5xx, with backoff', '2')
    .option('--state <file>', 'JSON-lines results file; a re-run skips probes already done')
    .option('--judge <url>', 'OFF by default: an OpenAI-compatible endpoint asked yes/no on answers the graders passed')
    .option('--judge-model <name>', 'model name sent to the judge')
    .option('--judge-header <k: v>', 'request header for the judge, repeatable', collect, []);
  addSettings(command, outputSettings);
  command.action(async (flags: Record<string, unknown>) => {
    const resolved = resolveSettings(outputSettings, flags, io.env);
    if (!resolved.ok) throw new CliError('BAD_ARGUMENTS', resolved.issues.join('\n'));
    const parsed = flagsSchema.safeParse(flags);
    if (!parsed.success)
      throw new CliError(
        'BAD_ARGUMENTS',
        parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'),
      );
    const f = parsed.data;
    const options = await (async () => {
      const config = await loadTarget(f.target);
      const model = f.model ?? config.model;
      return {
        url: chatCompletionsUrl(config.url),
        headers: { ...config.headers, ...parseHeaders(f.header) },
        tools: configTools(config),
        concurrency: f.concurrency,
        timeoutMs: f.timeoutMs,
        retries: f.retries,
        ...(model ? { model } : {}),
        ...(config.systemPrompt ? { systemPrompt: config.systemPrompt } : {}),
        ...(f.families ? { families: f.families } : {}),
        ...(f.rate ? { rate: f.rate } : {}),
        ...(f.state ? { statePath: f.state } : {}),
        ...(f.judge
          ? {
              judge: {
                url: chatCompletionsUrl(f.judge),
                headers: parseHeaders(f.judgeHeader),
                ...(f.judgeModel ? { model: f.judgeModel } : {}),
              },
            }
          : {}),
      };
    })().catch((error: unknown) => {
      throw error instanceof TargetError ? new CliError('BAD_ARGUMENTS', error.message) : error;
    });
    if (options.judge) io.stderr.write(`judge enabled: verdicts from ${options.judge.url} are marked in the report\n`);
    const report = await assessLlm(options);
    const settings = resolved.values;
    if (settings.format !== 'table') return emitReport(report, settings, io, llmRules);
    const text = renderLlmTable(report);
    if (settings.output) await writeFile(settings.output, text);
    else io.stdout.write(text);
    io.setExitCode(exitCodeFor(report, settings.failOn));
  });
}

const owaspOf = (family: LlmFamily): string =>
  llmRules[`llm.${family}`].references.find((r) => r.kind === 'owasp-llm')?.id ?? '';

/** Per-probe lines, then per-family counts with the OWASP LLM Top 10 (2025) id of each family. */
export function renderLlmTable(report: Report): string {
  const failed = new Map(report.findings.map((f) => [f.location.member, f]));
  const family = new Map(llmProbes.map((p) => [p.id, p.family]));
  const lines = [`target: ${report.targets.join(', ')}`];
  if (report.metrics?.judge) lines.push('judge: ON — some verdicts may come from a model (marked "judge")');
  lines.push('', `${'probe'.padEnd(22)}${'family'.padEnd(22)}${'result'.padEnd(8)}evidence`);
  const counts = new Map<string, { passed: number; failed: number; error: number }>();
  for (const file of report.files) {
    const id = file.path.replace(/^probe:/, '');
    const fam = file.formats[0] ?? family.get(id) ?? '';
    const finding = failed.get(id);
    const result = file.status === 'error' ? 'error' : finding ? 'FAILED' : 'passed';
    const evidence = file.status === 'error' ? (file.errors[0]?.code ?? '') : (finding?.evidence ?? '');
    lines.push(`${id.padEnd(22)}${fam.padEnd(22)}${result.padEnd(8)}${evidence.slice(0, 80)}`);
    const c = counts.get(fam) ?? { passed: 0, failed: 0, error: 0 };
    if (result === 'FAILED') c.failed++;
    else if (result === 'error') c.error++;
    else c.passed++;
    counts.set(fam, c);
  }
  lines.push('', `${'family'.padEnd(22)}${'owasp'.padEnd(7)}${'passed'.padEnd(8)}${'failed'.padEnd(8)}errors`);
  for (const [fam, c] of counts)
    lines.push(
      `${fam.padEnd(22)}${owaspOf(fam as LlmFamily).padEnd(7)}${String(c.passed).padEnd(8)}${String(c.failed).padEnd(8)}${c.error}`,
    );
  const m = report.metrics ?? {};
  lines.push('', `${m.probes ?? 0} probes, ${m.failedProbes ?? 0} failed, ${m.errors ?? 0} errors`);
  return `${lines.join('\n')}\n`;
}
