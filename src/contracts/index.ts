export { buildReport, unreadFile } from './build-report.js';
export { canonicalJson } from './canonical-json.js';
export type { ColumnDrift, DriftReport, DriftTest } from './drift.js';
export { columnDriftSchema, driftReportSchema, driftTestSchema, driftTests } from './drift.js';
export type {
  Evidence,
  EvidenceSubject,
  FrameworkRefs,
  GateDecision,
  GateRuleResult,
  SeverityCounts,
} from './evidence.js';
export {
  emptyEvidence,
  evidenceSchema,
  evidenceSubjectSchema,
  frameworkRefsSchema,
  gateDecisionSchema,
  gateRuleResultSchema,
  severityCountsSchema,
} from './evidence.js';
export { exitCodeFor, exitCodes } from './exit-code.js';
export type { Finding, Location, Reference } from './finding.js';
export { findingSchema, locationSchema, referenceSchema } from './finding.js';
export { atlas, cve, cwe, ghsa, owaspLlm, owaspMl } from './references.js';
export type { FileResult, FileStatus, Report, Summary } from './report.js';
export { fileResultSchema, fileStatusSchema, reportSchema, reportSchemaVersion, summarySchema } from './report.js';
export type { RuleInfo } from './rule.js';
export { ruleFinding } from './rule-finding.js';
export type { Severity } from './severity.js';
export { atLeast, maxSeverity, severities, severityRank, severitySchema } from './severity.js';
export { summarize } from './summary.js';
