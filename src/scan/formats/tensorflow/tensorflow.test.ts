import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, type Severity, severityRank } from '../../../contracts/index.js';
import { scanFile } from '../../engine/file-scan.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import { onnxScanner } from '../onnx/scanner.js';
import { sniffOnnx } from '../onnx/sniff.js';
import { dangerousOps } from './dangerous-ops.js';
import { tensorflowScanners } from './index.js';
import { sniffGraphDef, sniffKerasMetadata, sniffSavedModel } from './sniff.js';
import { standardOps } from './standard-ops.js';

/** The TensorFlow-family fixtures as a specification, through the real dispatcher with these scanners first. */
const testdata = join(import.meta.dirname, 'testdata');
const deps = {
  scanners: [...tensorflowScanners, onnxScanner, ...defaultScanners],
  limits: { ...defaultLimits, timeoutMs: 30_000 },
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};

interface Manifest {
  benign: Array<{ file: string; format: string }>;
  malicious: Array<{ file: string; description: string; expect: Array<{ ruleId: string }>; minSeverity: Severity }>;
}
const manifest = JSON.parse(readFileSync(join(testdata, 'manifest.json'), 'utf8')) as Manifest;

describe('TensorFlow benign models', () => {
  it.each(manifest.benign.map((entry) => [entry.file, entry.format]))('%s is %s and quiet', async (file, format) => {
    const { file: result, findings } = await scanFile(join(testdata, file), deps);
    expect(result.formats).toEqual([format]);
    expect(result.status).toBe('scanned');
    expect(findings.filter((f) => atLeast(f.severity, 'medium')).map((f) => `${f.ruleId}: ${f.evidence}`)).toEqual([]);
  });
});

describe('TensorFlow malicious models', () => {
  it.each(manifest.malicious.map((entry) => [entry.file, entry] as const))('%s is caught', async (file, entry) => {
    const { findings } = await scanFile(join(testdata, file), deps);
    const seen = findings.map((f) => `${f.severity} ${f.ruleId}: ${f.evidence}`).join('\n');
    for (const rule of entry.expect) expect(seen).toContain(rule.ruleId);
    const highest = Math.max(-1, ...findings.map((f) => severityRank(f.severity)));
    expect(highest, seen).toBeGreaterThanOrEqual(severityRank(entry.minSeverity));
  });
});

describe('TensorFlow sniffing', () => {
  const read = (file: string) => readFileSync(join(testdata, file));
  const sniffers = { sniffSavedModel, sniffGraphDef, sniffKerasMetadata, sniffOnnx };
  const owners: Record<string, keyof typeof sniffers> = {
    'benign/saved_model.pb': 'sniffSavedModel',
    'benign/frozen_graph.pb': 'sniffGraphDef',
    'benign/keras_metadata.pb': 'sniffKerasMetadata',
    '../../onnx/testdata/benign/mlp.onnx': 'sniffOnnx',
  };
  it.each(Object.entries(owners))('%s is claimed by %s alone', (file, owner) => {
    const bytes = read(file);
    for (const [name, sniff] of Object.entries(sniffers)) expect(sniff(bytes, bytes.length), name).toBe(name === owner);
  });

  it('rejects text and pickles', () => {
    for (const bytes of [Buffer.from('\n\nplain text\n'), Buffer.from([0x80, 0x04, 0x95, 0, 0]), Buffer.alloc(64)]) {
      for (const sniff of Object.values(sniffers)) expect(sniff(bytes, bytes.length)).toBe(false);
    }
  });
});

describe('TensorFlow op lists', () => {
  it("cover the anchors' TensorFlow op lists", () => {
    // modelscan unsafe_tf_operators and ModelAudit SUSPICIOUS_OPS (see scanner-anchor-lists.json).
    const anchors = [
      'ReadFile',
      'WriteFile',
      'Abort',
      'Assert',
      'DecodeJpeg',
      'DecodePng',
      'DecodeRaw',
      'EagerPyFunc',
      'ExecuteOp',
      'InitializeTable',
      'InitializeTableV2',
      'LoadAndRemapMatrix',
      'LookupTableImport',
      'LookupTableImportV2',
      'MergeV2Checkpoints',
      'Print',
      'PrintV2',
      'PyCall',
      'PyFunc',
      'PyFuncStateless',
      'QueueDequeue',
      'QueueDequeueMany',
      'QueueDequeueV2',
      'QueueEnqueue',
      'QueueEnqueueMany',
      'QueueEnqueueV2',
      'RestoreV2',
      'Save',
      'SaveV2',
      'ShellExecute',
      'SystemConfig',
    ];
    const uncovered = anchors.filter((op) => !standardOps.has(op) && !dangerousOps[op]);
    expect(uncovered).toEqual([]);
  });

  it('keeps dangerous ops out of the standard list', () => {
    expect(Object.keys(dangerousOps).filter((op) => standardOps.has(op))).toEqual([]);
  });
});
