import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../io/source.js';
import { defaultLimits } from '../limits.js';
import { createGlobalClassifier } from '../pickle/verdicts.js';
import { defaultScanners } from '../registry.js';
import { scanSource } from './file-scan.js';

/**
 * Property-based fuzzing of every container and format reader through the real dispatcher: real files of
 * each format (zip/PyTorch, TorchScript, legacy torch, tar, gzip/bz2/xz/lzma/lz4 joblib, npy/npz, 7z),
 * mutated and truncated. Whatever the bytes, the scan must resolve with a status and never hit an
 * internal error (an unexpected exception in a reader). Every format scanner contributes seeds.
 */
const testdata = join(import.meta.dirname, '../testdata');
const seeds = [
  'benign/torch/state_dict.pt',
  'benign/torch/scripted.pt',
  'benign/torch/state_dict_legacy.pt',
  'benign/containers/tiny-model.tar',
  'benign/containers/two_models.zip',
  'benign/numpy/object_array.npy',
  'benign/numpy/arrays_compressed.npz',
  'benign/sklearn/pipeline.joblib.gz',
  'benign/sklearn/pipeline.joblib.bz2',
  'benign/sklearn/pipeline.joblib.xz',
  'benign/sklearn/pipeline.joblib.lzma',
  'benign/sklearn/pipeline.joblib.lz4',
  'benign/sklearn/random_forest.joblib',
  'malicious/evasion/nullifai_7z.7z',
  '../formats/safetensors/testdata/model.safetensors',
  '../formats/flax/testdata/flax_model.msgpack',
  '../formats/onnx/testdata/benign/mlp.onnx',
  '../formats/onnx/testdata/benign/if_subgraph.onnx',
  '../formats/onnx/testdata/benign/local_function.onnx',
  '../formats/onnx/testdata/malicious/pyop.onnx',
  '../formats/tensorflow/testdata/benign/saved_model.pb',
  '../formats/tensorflow/testdata/benign/frozen_graph.pb',
  '../formats/tensorflow/testdata/benign/keras_metadata.pb',
  '../formats/tensorflow/testdata/benign/model.tflite',
  '../formats/tensorflow/testdata/malicious/flex_readfile.tflite',
  '../formats/tensorflow/testdata/malicious/saved_model_pyfunc_in_function.pb',
  '../formats/keras/testdata/benign/sequential_conv.h5',
  '../formats/keras/testdata/benign/functional_nested.h5',
  '../formats/keras/testdata/benign/userblock.h5',
  '../formats/keras/testdata/benign/dense_attributes.h5',
  '../formats/keras/testdata/malicious/lambda_os_system.h5',
  '../formats/keras/testdata/malicious/torch_module_wrapper.keras',
  '../formats/gguf/testdata/benign/llama-v3.gguf',
  '../formats/gguf/testdata/benign/llama2-v1.gguf',
  '../formats/gguf/testdata/benign/mistral-v3-big-endian.gguf',
  '../formats/gguf/testdata/benign/tiny.llamafile',
  '../formats/gguf/testdata/malicious/ssti-cve-2024-34359-poc.gguf',
]
  .map((file) => join(testdata, file))
  .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
const data = seeds.map((path) => readFileSync(path));

const deps = {
  scanners: defaultScanners,
  limits: { ...defaultLimits, maxDecompressedBytes: 8 << 20, timeoutMs: 5_000 },
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};

describe('format readers under fuzzing', () => {
  it('has a seed for every container format', () => {
    expect(seeds.length).toBe(37);
    expect(readdirSync(testdata)).toContain('benign');
  });

  it('reaches the readers, not only the sniffers', async () => {
    // One-byte edits near the end keep files recognised, so the property below exercises the readers.
    let recognised = 0;
    for (const [index, original] of data.entries()) {
      const bytes = Buffer.from(original);
      bytes[bytes.length - 3] = 0xff;
      const result = await scanSource(seeds[index] as string, new BufferSource(bytes), deps);
      if (result.file.formats.length > 0) recognised++;
    }
    expect(recognised).toBeGreaterThanOrEqual(data.length - 1);
  });

  it('survives mutated and truncated real files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(data.length - 1),
        // Unbiased positions past the signature, so mutations reach the readers rather than the sniffers.
        fc.array(fc.tuple(fc.noBias(fc.nat(1 << 30)), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.oneof(fc.constant(1), fc.noBias(fc.double({ min: 0.05, max: 1, noNaN: true }))),
        async (which, edits, keep) => {
          const original = data[which] as Buffer;
          const bytes = Buffer.from(original);
          for (const [where, value] of edits) bytes[8 + (where % (bytes.length - 8))] = value;
          const cut = bytes.subarray(0, Math.max(16, Math.ceil(keep * bytes.length)));
          const result = await scanSource(seeds[which] as string, new BufferSource(cut), deps);
          expect(['scanned', 'partial', 'skipped']).toContain(result.file.status);
          expect(result.findings.filter((f) => f.ruleId === 'scan.internal-error')).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
