import { buildReport, type FileResult, type Finding, type Report } from '../../contracts/index.js';
import { toolVersion } from '../../version.js';
import { ChatError, createThrottle, parseCompletion, postChat } from './client.js';
import { grade } from './graders.js';
import { type JudgeOptions, judgeComplied } from './judge.js';
import { plantedSystemPrompt, plantSecrets } from './planted.js';
import { llmProbes } from './probes/index.js';
import { llmRules, ruleIdFor } from './rules.js';
import { appendState, loadState } from './state.js';
import { defaultTools, type ToolDefinition } from './tools.js';
import { type LlmFamily, llmFamilies, type PlantedSecrets, type Probe, type ProbeResult } from './types.js';

export interface LlmAssessOptions {
  /** The chat-completions URL (see `chatCompletionsUrl`). This assessment sends requests to it. */
  readonly url: string;
  readonly model?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The operator system prompt to test; the planted canaries are appended to it. */
  readonly systemPrompt?: string;
  /** Extra tools offered to agency probes (the defaults are always offered). */
  readonly tools?: readonly ToolDefinition[];
  readonly families?: readonly LlmFamily[];
  /** Requests per second across all workers; unlimited when absent. */
  readonly rate?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly maxResponseBytes?: number;
  /** JSON-lines file of results: appended as probes complete, read to skip finished probes. */
  readonly statePath?: string;
  /** Off by default: a model asked for a yes/no verdict on answers the deterministic graders passed. */
  readonly judge?: JudgeOptions;
  /** Fixed planted values (tests); fresh random ones otherwise. */
  readonly planted?: PlantedSecrets;
  readonly probes?: readonly Probe[];
  readonly onResult?: (result: ProbeResult, done: number, total: number) => void;
}

export const defaultMaxResponseBytes = 256 * 1024;

const camel = (family: LlmFamily): string => family.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Sends every selected probe to the target, grades the answers and reports failures as findings. */
export async function assessLlm(options: LlmAssessOptions): Promise<Report> {
  const startedAt = new Date().toISOString();
  const planted = options.planted ?? plantSecrets();
  const families = new Set(options.families ?? llmFamilies);
  const probes = (options.probes ?? llmProbes).filter((p) => families.has(p.family));
  const previous = options.statePath ? await loadState(options.statePath) : new Map<string, ProbeResult>();
  const client = {
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 2,
    maxResponseBytes: options.maxResponseBytes ?? defaultMaxResponseBytes,
    throttle: createThrottle(options.rate),
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
  };
  const systemPrompt = plantedSystemPrompt(planted, options.systemPrompt);
  const tools = [...defaultTools, ...(options.tools ?? [])];

  const runProbe = async (probe: Probe): Promise<ProbeResult> => {
    const started = Date.now();
    try {
      const json = await postChat(
        {
          ...(options.model ? { model: options.model } : {}),
          temperature: 0,
          messages: [
            { role: 'system', content: systemPrompt },
            { role: 'user', content: probe.prompt(planted) },
          ],
          ...(probe.tools ? { tools, tool_choice: 'auto' } : {}),
        },
        { ...client, url: options.url, headers: options.headers ?? {} },
      );
      const answer = parseCompletion(json);
      let verdict = grade(probe, answer, planted);
      if (options.judge && verdict.status === 'passed' && verdict.grader !== 'refusal') {
        if (await judgeComplied(probe, answer.content, client, options.judge))
          verdict = { ...verdict, status: 'failed', grader: 'judge', evidence: `judge said yes: ${verdict.evidence}` };
      }
      return { probeId: probe.id, family: probe.family, ...verdict, durationMs: Date.now() - started };
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'ERROR';
      const message = error instanceof Error ? error.message : String(error);
      return {
        probeId: probe.id,
        family: probe.family,
        status: 'error',
        grader: code,
        evidence: message.slice(0, 240),
        durationMs: Date.now() - started,
      };
    }
  };

  const results = new Map<string, ProbeResult>();
  const pending = probes.filter((p) => {
    const done = previous.get(p.id);
    if (done) results.set(p.id, done);
    return !done;
  });
  let cursor = 0;
  const worker = async (): Promise<void> => {
    while (cursor < pending.length) {
      const probe = pending[cursor++]!;
      const result = await runProbe(probe);
      results.set(probe.id, result);
      if (options.statePath) await appendState(options.statePath, result);
      options.onResult?.(result, results.size, probes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, pending.length)) }, worker));

  const ordered = probes.map((p) => results.get(p.id)!);
  const report = buildReport({
    kind: 'assessment',
    version: toolVersion,
    startedAt,
    targets: [redactUrl(options.url)],
    files: ordered.map((r) => probeFile(r)),
    findings: ordered.filter((r) => r.status === 'failed').map((r) => probeFinding(r, probes, options)),
  });
  return { ...report, metrics: metricsOf(ordered, previous.size > 0 ? pending.length : undefined, options) };
}

/** A URL without credentials or query, safe to print. */
function redactUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.search = '';
  return u.toString();
}

/** Each probe is one entry of `files`, so the per-target status table shows errors next to passes. */
function probeFile(r: ProbeResult): FileResult {
  return {
    path: `probe:${r.probeId}`,
    formats: [r.family],
    size: 0,
    status: r.status === 'error' ? 'error' : 'scanned',
    errors: r.status === 'error' ? [{ code: r.grader, message: r.evidence }] : [],
    members: 0,
    durationMs: r.durationMs,
  };
}

function probeFinding(r: ProbeResult, probes: readonly Probe[], options: LlmAssessOptions): Finding {
  const ruleId = ruleIdFor(r.family);
  const rule = llmRules[ruleId];
  const probe = probes.find((p) => p.id === r.probeId)!;
  return {
    ruleId,
    title: `${rule.title}${r.grader === 'judge' ? ' (judge verdict)' : ''}`,
    severity: rule.severity,
    category: rule.category,
    location: { path: redactUrl(options.url), member: r.probeId },
    evidence: r.evidence,
    remediation: rule.remediation,
    references: [...rule.references],
    properties: { probe: r.probeId, family: r.family, owasp: probe.owasp, grader: r.grader, reason: probe.reason },
  };
}

function metricsOf(results: readonly ProbeResult[], ran: number | undefined, options: LlmAssessOptions) {
  const metrics: Record<string, number> = {
    probes: results.length,
    failedProbes: results.filter((r) => r.status === 'failed').length,
    passedProbes: results.filter((r) => r.status === 'passed').length,
    errors: results.filter((r) => r.status === 'error').length,
    judge: options.judge ? 1 : 0,
  };
  if (ran !== undefined) metrics.resumedProbes = results.length - ran;
  for (const family of new Set(results.map((r) => r.family)))
    metrics[`${camel(family)}Failed`] = results.filter((r) => r.family === family && r.status === 'failed').length;
  return metrics;
}
