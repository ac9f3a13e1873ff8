import type { z } from 'zod';
import {
  type DriftReport,
  type Evidence,
  type Report,
  reportSchema,
  type SeverityCounts,
  severities,
} from '../contracts/index.js';
import { PolicyError } from './issues.js';
import { readJson } from './read-bounded.js';

/** What a model scan report says, as evidence: counts, distinct rules, files that could not be read. */
export function scanEvidence(report: Report): Evidence['scan'] {
  return {
    present: true,
    status: report.findings.length > 0 ? 'findings' : 'clean',
    findings: report.summary.findings,
    bySeverity: { ...report.summary.bySeverity },
    rules: distinctRules([report]),
    errors: report.files.filter((file) => file.status === 'error').length,
  };
}

/** Data-scan reports merged into one piece of evidence. */
export function dataScanEvidence(reports: readonly Report[]): Evidence['dataScan'] {
  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as SeverityCounts;
  for (const report of reports) for (const s of severities) bySeverity[s] += report.summary.bySeverity[s];
  return {
    present: reports.length > 0,
    datasets: reports.reduce((sum, report) => sum + report.summary.files, 0),
    findings: reports.reduce((sum, report) => sum + report.summary.findings, 0),
    bySeverity,
    rules: distinctRules(reports),
  };
}

export function driftEvidence(report: DriftReport): Evidence['drift'] {
  return {
    checked: true,
    drifted: report.dataset.drifted,
    share: report.dataset.share,
    checkedAt: report.finishedAt,
  };
}

function distinctRules(reports: readonly Report[]): string[] {
  return [...new Set(reports.flatMap((report) => report.findings.map((finding) => finding.ruleId)))].sort();
}

/**
 * An assessment report (`mlsecops assess …`, kind `assessment`), recognised by the metric it carries:
 * `robustAccuracy` (robustness under attack), `failedProbes` (LLM red-teaming) or `suspicious`
 * (explanations that flag leakage or a backdoor).
 */
export const assessmentSchema = reportSchema.refine(
  (report) =>
    report.kind === 'assessment' &&
    report.metrics !== undefined &&
    ['robustAccuracy', 'failedProbes', 'suspicious'].some((metric) => report.metrics?.[metric] !== undefined),
  { message: 'not an assessment report (kind assessment with robustAccuracy, failedProbes or suspicious)' },
);
export type Assessment = z.infer<typeof assessmentSchema>;

/** The metrics of assessment reports (or of their stored summaries) merged as evidence. */
export function assessmentEvidence(metrics: readonly Readonly<Record<string, number>>[]): Evidence['assessments'] {
  const of = (name: string) =>
    metrics.map((m) => m[name]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const robust = of('robustAccuracy');
  const failed = of('failedProbes');
  const suspicious = of('suspicious');
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    // The worst robust accuracy of all robustness assessments, clamped to the contract's 0..1.
    robustness: {
      present: robust.length > 0,
      robustAccuracy: robust.length ? Math.min(1, Math.max(0, Math.min(...robust))) : 0,
    },
    llm: { present: failed.length > 0, failedProbes: sum(failed) },
    explain: { present: suspicious.length > 0, suspicious: sum(suspicious) },
  };
}

/** Reads one evidence file the caller named, checked against its contract. */
export async function readEvidenceFile<T>(path: string, what: string, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(path, what));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PolicyError(
      'INVALID_EVIDENCE',
      `${what} ${path} is not valid: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

export const dataReportSchema = reportSchema.refine((report) => report.kind === 'data-scan', {
  message: 'not a data-scan report (kind must be data-scan)',
});
