import { z } from 'zod';
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
 * An assessment result as the gate reads it (the assessment tools write this summary): robustness
 * (accuracy under attack), LLM probes (probes failed), or explanations (suspicious attributions).
 */
export const assessmentSchema = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('robustness'), robustAccuracy: z.number().min(0).max(1) }),
  z.looseObject({ kind: z.literal('llm-probes'), failedProbes: z.number().int().nonnegative() }),
  z.looseObject({ kind: z.literal('explain'), suspicious: z.number().int().nonnegative() }),
]);
export type Assessment = z.infer<typeof assessmentSchema>;

/** Assessments merged: the worst robust accuracy, the sum of failed probes and of suspicious attributions. */
export function assessmentEvidence(assessments: readonly Assessment[]): Evidence['assessments'] {
  const robustness = assessments.filter((a) => a.kind === 'robustness');
  const llm = assessments.filter((a) => a.kind === 'llm-probes');
  const explain = assessments.filter((a) => a.kind === 'explain');
  return {
    robustness: {
      present: robustness.length > 0,
      robustAccuracy: robustness.length ? Math.min(...robustness.map((a) => a.robustAccuracy)) : 0,
    },
    llm: { present: llm.length > 0, failedProbes: llm.reduce((sum, a) => sum + a.failedProbes, 0) },
    explain: { present: explain.length > 0, suspicious: explain.reduce((sum, a) => sum + a.suspicious, 0) },
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
