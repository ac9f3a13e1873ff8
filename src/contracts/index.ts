export { exitCodeFor, exitCodes } from './exit-code.js';
export type { Finding, Location, Reference } from './finding.js';
export { findingSchema, locationSchema, referenceSchema } from './finding.js';
export type { FileResult, FileStatus, Report, Summary } from './report.js';
export { fileResultSchema, fileStatusSchema, reportSchema, reportSchemaVersion, summarySchema } from './report.js';
export type { Severity } from './severity.js';
export { atLeast, maxSeverity, severities, severityRank, severitySchema } from './severity.js';
export { summarize } from './summary.js';
