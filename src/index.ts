export type { FileResult, Finding, Report, Severity } from './contracts/index.js';
export { exitCodeFor, findingSchema, reportSchema, severities } from './contracts/index.js';
export type { DataScanOptions, Detector, DetectorMatch } from './data/index.js';
export { dataCatalog, defaultDetectors, scanData } from './data/index.js';
export type { GlobalEntry, ScanLimits, ScanOptions, ScanProgress } from './scan/index.js';
export { defaultLimits, formatScanners, parseAllowlist, rules, scanPaths } from './scan/index.js';
