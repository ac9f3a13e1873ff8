import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../engine/file-scan.js';
import { BufferSource } from '../../io/source.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import { onnxScanner } from '../onnx/scanner.js';
import { tensorflowScanners } from './index.js';

/**
 * Property-based fuzzing of the ONNX, SavedModel, GraphDef, keras_metadata.pb and TFLite readers through
 * the real dispatcher: real fixtures mutated and truncated must always resolve, never with an internal error.
 */
const formats = join(import.meta.dirname, '..');
const seeds = [
  'onnx/testdata/benign/mlp.onnx',
  'onnx/testdata/benign/if_subgraph.onnx',
  'onnx/testdata/benign/local_function.onnx',
  'onnx/testdata/malicious/pyop.onnx',
  'tensorflow/testdata/benign/saved_model.pb',
  'tensorflow/testdata/benign/frozen_graph.pb',
  'tensorflow/testdata/benign/keras_metadata.pb',
  'tensorflow/testdata/benign/model.tflite',
  'tensorflow/testdata/malicious/flex_readfile.tflite',
  'tensorflow/testdata/malicious/saved_model_pyfunc_in_function.pb',
];
const data = seeds.map((file) => readFileSync(join(formats, file)));
const deps = {
  scanners: [...tensorflowScanners, onnxScanner, ...defaultScanners],
  limits: { ...defaultLimits, timeoutMs: 5_000 },
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};

describe('ONNX and TensorFlow readers under fuzzing', () => {
  it('survive mutated and truncated real files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(data.length - 1),
        // Mutations anywhere but the first bytes, so most inputs still reach the readers past the sniffers.
        fc.array(fc.tuple(fc.noBias(fc.nat(1 << 30)), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.oneof(fc.constant(1), fc.noBias(fc.double({ min: 0.05, max: 1, noNaN: true }))),
        async (which, edits, keep) => {
          const bytes = Buffer.from(data[which] as Buffer);
          for (const [where, value] of edits) bytes[4 + (where % (bytes.length - 4))] = value;
          const cut = bytes.subarray(0, Math.max(8, Math.ceil(keep * bytes.length)));
          const result = await scanSource(`/nonexistent/fuzz/${seeds[which]}`, new BufferSource(cut), deps);
          expect(['scanned', 'partial', 'skipped']).toContain(result.file.status);
          expect(result.findings.filter((f) => f.ruleId === 'scan.internal-error')).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reach the readers in most runs', async () => {
    // Guards the property above against testing only the sniffers: one-byte edits keep most files recognised.
    let recognised = 0;
    for (const [index, original] of data.entries()) {
      const bytes = Buffer.from(original);
      bytes[bytes.length - 3] = 0xff;
      const result = await scanSource(`/nonexistent/${seeds[index]}`, new BufferSource(bytes), deps);
      if (result.file.formats.length > 0) recognised++;
    }
    expect(recognised).toBeGreaterThanOrEqual(data.length - 1);
  });
});
