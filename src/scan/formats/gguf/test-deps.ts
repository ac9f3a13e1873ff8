import { type FileScanResult, scanSource } from '../../engine/file-scan.js';
import type { Source } from '../../io/source.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import type { ScanLimits } from '../../types.js';
import { ggufScanner } from './gguf-scanner.js';
import { llamafileScanner } from './llamafile-scanner.js';

/** Scans through the real dispatcher with the GGUF scanners in front of the registered ones (tests only). */
export function scanWithGguf(path: string, source: Source, limits: Partial<ScanLimits> = {}): Promise<FileScanResult> {
  return scanSource(path, source, {
    scanners: [ggufScanner, llamafileScanner, ...defaultScanners],
    limits: { ...defaultLimits, timeoutMs: 30_000, ...limits },
    classify: createGlobalClassifier(),
    signal: new AbortController().signal,
  });
}
