import { tarScanner } from './archive/tar-scanner.js';
import { zipScanner } from './archive/zip-scanner.js';
import { compressedScanner } from './formats/compressed-scanner.js';
import { msgpackScanner } from './formats/flax/msgpack-scanner.js';
import { ggufScanner, llamafileScanner } from './formats/gguf/index.js';
import { hdf5Scanner } from './formats/keras/hdf5-scanner.js';
import { onnxScanner } from './formats/onnx/scanner.js';
import { opaqueScanner } from './formats/opaque-scanner.js';
import { jsonScanner } from './formats/repo/json-scanner.js';
import { pythonScanner } from './formats/repo/python-scanner.js';
import { safetensorsScanner } from './formats/safetensors/scanner.js';
import { graphDefScanner, kerasMetadataScanner, savedModelScanner, tfliteScanner } from './formats/tensorflow/index.js';
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
  gguf: ggufScanner,
  llamafile: llamafileScanner,
  tflite: tfliteScanner,
  compressed: compressedScanner,
  // Protobuf formats have no magic number: strict structural sniffs, after every signature check.
  onnx: onnxScanner,
  savedModel: savedModelScanner,
  kerasMetadata: kerasMetadataScanner,
  graphDef: graphDefScanner,
  json: jsonScanner,
  python: pythonScanner,
  pickle: pickleScanner,
  // After pickle: it also claims .h5 names whose HDF5 signature sits behind a user block.
  hdf5: hdf5Scanner,
  // After pickle, whose PROTO byte (0x80) is also msgpack's empty map.
  msgpack: msgpackScanner,
} satisfies Record<string, FormatScanner>;

export const defaultScanners: readonly FormatScanner[] = Object.values(formatScanners);
