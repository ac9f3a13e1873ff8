import { z } from 'zod';
import { severitySchema } from './severity.js';

const count = z.number().int().nonnegative();

/** Counts per severity, every severity present. */
export const severityCountsSchema = z.object({
  critical: count,
  high: count,
  medium: count,
  low: count,
  info: count,
});
export type SeverityCounts = z.infer<typeof severityCountsSchema>;

export const evidenceSubjectSchema = z.object({
  kind: z.enum(['directory', 'registry']).describe('where the model was read from'),
  name: z.string().describe('model name (the folder name for a directory)'),
  version: z.number().int().nullable().describe('registry version number; null (0 in policies) for a directory'),
  digest: z.string().nullable().describe('`sha256:<hex>` OMS root digest of the model files; null ("") when unknown'),
  alias: z.string().nullable().describe('alias being gated, e.g. `production`; null ("") when none'),
});
export type EvidenceSubject = z.infer<typeof evidenceSubjectSchema>;

/**
 * The evidence document every gate reads: what is known about one model, gathered once from a
 * folder or the registry. Policies are CEL expressions over these fields; they never re-derive them.
 */
export const evidenceSchema = z.object({
  schemaVersion: z.literal(1),
  subject: evidenceSubjectSchema,
  scan: z.object({
    present: z.boolean().describe('a model scan report exists'),
    status: z
      .string()
      .describe("'available', 'quarantined', 'rejected' (registry), 'clean', 'findings' (folder), or ''"),
    findings: count.describe('findings of the model scan'),
    bySeverity: severityCountsSchema.describe('model-scan findings per severity'),
    rules: z.array(z.string()).describe('distinct rule ids of the model-scan findings'),
    errors: count.describe('files that could not be scanned'),
  }),
  dataScan: z.object({
    present: z.boolean().describe('at least one data-scan report was given'),
    datasets: count.describe('dataset files the data scans covered'),
    findings: count.describe('findings of all data scans'),
    bySeverity: severityCountsSchema.describe('data-scan findings per severity'),
    rules: z.array(z.string()).describe('distinct rule ids of the data-scan findings'),
  }),
  signature: z.object({
    present: z.boolean().describe('a signature bundle was found'),
    verified: z.boolean().describe('the signature verified against the given trust anchor and the files on disk'),
    signer: z.string().describe('who signed, when verified: identity, certificate subject or key fingerprint'),
    subject: z.string().describe('`sha256:<hex>` digest the signature covers, when verified'),
  }),
  attestations: z.object({
    provenance: z.boolean().describe('an in-toto / SLSA provenance attestation is present'),
    bom: z.boolean().describe('a CycloneDX AI-BOM is present'),
  }),
  modelCard: z.object({
    present: z.boolean().describe('a model card (README.md, MODEL_CARD.md, model_card.md) was found'),
    fields: z
      .record(z.string(), z.string())
      .describe('front-matter keys and `## ` headings, lower-cased, to their text (e.g. `fields["intended use"]`)'),
    length: count.describe('characters of the model card'),
  }),
  lineage: z.object({
    datasets: z.array(z.object({ name: z.string(), sha256: z.string() })).describe('datasets the model was trained on'),
    code: z.array(z.object({ uri: z.string(), commit: z.string() })).describe('training code, by commit'),
    parents: z.array(z.object({ model: z.string(), version: z.number().int() })).describe('models it derives from'),
  }),
  incidents: z.object({
    open: count.describe('open incidents on the model'),
    openBySeverity: severityCountsSchema.describe('open incidents per severity'),
  }),
  drift: z.object({
    checked: z.boolean().describe('a drift check ran'),
    drifted: z.boolean().describe('the last check found dataset drift'),
    share: z.number().min(0).max(1).describe('share of drifted columns in the last check'),
    checkedAt: z.string().describe('when the last check ran (ISO 8601), or ""'),
  }),
  audit: z.object({
    entries: count.describe("entries about this version in the registry's tamper-evident audit log (0 for a folder)"),
  }),
  monitoring: z.object({
    monitored: z.boolean().describe('the monitor has a reference profile for this version (production drift checks)'),
  }),
  approvals: z.object({
    approved: count.describe('approvals recorded'),
    rejected: count.describe('rejections recorded'),
    approvers: z.array(z.string()).describe('who approved'),
  }),
  assessments: z.object({
    robustness: z.object({
      present: z.boolean().describe('an adversarial robustness assessment was given'),
      robustAccuracy: z.number().min(0).max(1).describe('accuracy under attack, 0..1'),
    }),
    llm: z.object({
      present: z.boolean().describe('an LLM probe assessment was given'),
      failedProbes: count.describe('probes the model failed'),
    }),
    explain: z.object({
      present: z.boolean().describe('an explainability assessment was given'),
      suspicious: count.describe('features or attributions flagged as suspicious'),
    }),
  }),
});
export type Evidence = z.infer<typeof evidenceSchema>;

const zeroCounts = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** Evidence that says nothing yet: every check absent, every count zero. Collectors fill it in. */
export function emptyEvidence(subject: EvidenceSubject): Evidence {
  return {
    schemaVersion: 1,
    subject,
    scan: { present: false, status: '', findings: 0, bySeverity: zeroCounts(), rules: [], errors: 0 },
    dataScan: { present: false, datasets: 0, findings: 0, bySeverity: zeroCounts(), rules: [] },
    signature: { present: false, verified: false, signer: '', subject: '' },
    attestations: { provenance: false, bom: false },
    modelCard: { present: false, fields: {}, length: 0 },
    lineage: { datasets: [], code: [], parents: [] },
    incidents: { open: 0, openBySeverity: zeroCounts() },
    drift: { checked: false, drifted: false, share: 0, checkedAt: '' },
    audit: { entries: 0 },
    monitoring: { monitored: false },
    approvals: { approved: 0, rejected: 0, approvers: [] },
    assessments: {
      robustness: { present: false, robustAccuracy: 0 },
      llm: { present: false, failedProbes: 0 },
      explain: { present: false, suspicious: 0 },
    },
  };
}

/** Control ids of each framework a rule maps to (see the policy engine's control catalog). */
export const frameworkRefsSchema = z.object({
  owaspMl: z.array(z.string()),
  owaspLlm: z.array(z.string()),
  atlasTechniques: z.array(z.string()),
  atlasMitigations: z.array(z.string()),
  nistAiRmf: z.array(z.string()),
  euAiAct: z.array(z.string()),
});
export type FrameworkRefs = z.infer<typeof frameworkRefsSchema>;

export const gateRuleResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: severitySchema,
  /** True when the rule held, or did not apply. */
  passed: z.boolean(),
  /** The rule's `when` was false: it did not apply to this subject. */
  skipped: z.boolean(),
  reason: z.string(),
  /** Set when evaluating the rule failed at run time (the rule then fails). */
  error: z.string().optional(),
  frameworks: frameworkRefsSchema,
});
export type GateRuleResult = z.infer<typeof gateRuleResultSchema>;

/** A policy's verdict over one evidence document, with what it was decided from. */
export const gateDecisionSchema = z.object({
  schemaVersion: z.literal(1),
  policy: z.object({ name: z.string(), digest: z.string() }),
  subject: evidenceSubjectSchema,
  passed: z.boolean(),
  evaluatedAt: z.string().datetime(),
  /** `sha256:<hex>` of the canonical JSON of the evidence (keys sorted, no spaces). */
  evidenceDigest: z.string(),
  rules: z.array(gateRuleResultSchema),
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;
