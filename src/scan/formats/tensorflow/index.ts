import type { FormatScanner } from '../../types.js';
import { graphDefScanner, kerasMetadataScanner, savedModelScanner } from './scanners.js';
import { tfliteScanner } from './tflite.js';

export { graphDefScanner, kerasMetadataScanner, savedModelScanner } from './scanners.js';
export { tfliteScanner } from './tflite.js';

/** The TensorFlow-family scanners, in the order they should be sniffed (exact signature first). */
export const tensorflowScanners: readonly FormatScanner[] = [
  tfliteScanner,
  savedModelScanner,
  kerasMetadataScanner,
  graphDefScanner,
];
