export { dataCatalog } from './catalog.js';
export { defaultDetectors } from './detectors/index.js';
export type { Detector, DetectorContext, DetectorMatch } from './detectors/types.js';
export type { RedactionResult } from './redact/redact-dataset.js';
export { RedactionError, redactDataset } from './redact/redact-dataset.js';
export type { TextRedaction } from './redact/text.js';
export { redactText } from './redact/text.js';
export type { DataScanOptions } from './scan-data.js';
export { scanData } from './scan-data.js';
