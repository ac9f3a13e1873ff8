import { tarScanner } from './archive/tar-scanner.js';
import { zipScanner } from './archive/zip-scanner.js';
import { compressedScanner } from './formats/compressed-scanner.js';
import { opaqueScanner } from './formats/opaque-scanner.js';
import { jsonScanner } from './formats/repo/json-scanner.js';
import { pythonScanner } from './formats/repo/python-scanner.js';
import { safetensorsScanner } from './formats/safetensors/scanner.js';
import { npyScanner } from './numpy/npy-scanner.js';
import { pickleScanner } from './pickle/scanner.js';
import type { FormatScanner } from './types.js';

/**
 * Every format scanner, in sniffing order: exact signatures first, content checks after, the pickle
 * trial parse last. Adding a format means adding it here; nothing registers itself on import.
 */
export const formatScanners = {
  zip: zipScanner,
  opaque: opaqueScanner,
  numpy: npyScanner,
  tar: tarScanner,
  safetensors: safetensorsScanner,
  compressed: compressedScanner,
  json: jsonScanner,
  python: pythonScanner,
  pickle: pickleScanner,
} satisfies Record<string, FormatScanner>;

export const defaultScanners: readonly FormatScanner[] = Object.values(formatScanners);
