import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atLeast, type Severity, severityRank } from '../../../contracts/index.js';
import { scanFile } from '../../engine/file-scan.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import { onnxScanner } from './scanner.js';
import { sniffOnnx } from './sniff.js';

/** The ONNX fixtures as a specification, scanned through the real dispatcher with this scanner first. */
const testdata = join(import.meta.dirname, 'testdata');
const deps = {
  scanners: [onnxScanner, ...defaultScanners],
  limits: { ...defaultLimits, timeoutMs: 30_000 },
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};

interface Manifest {
  benign: Array<{ file: string }>;
  malicious: Array<{ file: string; description: string; expect: Array<{ ruleId: string }>; minSeverity: Severity }>;
}
const manifest = JSON.parse(readFileSync(join(testdata, 'manifest.json'), 'utf8')) as Manifest;
const highest = (severities: Severity[]) => Math.max(-1, ...severities.map(severityRank));

describe('ONNX benign models', () => {
  it.each(manifest.benign.map((entry) => [entry.file]))('%s is recognised and raises nothing medium', async (file) => {
    const { file: result, findings } = await scanFile(join(testdata, file), deps);
    expect(result.formats).toContain('onnx');
    expect(result.status).toBe('scanned');
    expect(findings.filter((f) => atLeast(f.severity, 'medium')).map((f) => `${f.ruleId}: ${f.evidence}`)).toEqual([]);
  });
});

describe('ONNX malicious models', () => {
  it.each(manifest.malicious.map((entry) => [entry.file, entry] as const))('%s is caught', async (file, entry) => {
    const { findings } = await scanFile(join(testdata, file), deps);
    const seen = findings.map((f) => `${f.severity} ${f.ruleId}: ${f.evidence}`);
    for (const rule of entry.expect) expect(seen.join('\n')).toContain(rule.ruleId);
    expect(highest(findings.map((f) => f.severity)), seen.join('\n')).toBeGreaterThanOrEqual(
      severityRank(entry.minSeverity),
    );
  });
});

describe('ONNX external data through symbolic links', () => {
  const root = mkdtempSync(join(tmpdir(), 'onnx-link-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const model = join(testdata, 'malicious/symlink/external_symlink.onnx');

  it('reports a link in the model folder that points outside it as critical', async () => {
    const folder = join(root, 'model');
    const secret = join(root, 'secret.bin');
    writeFileSync(secret, Buffer.alloc(4096));
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    copyFileSync(model, join(folder, 'model.onnx'));
    symlinkSync(secret, join(folder, 'weights.bin'));
    const { findings } = await scanFile(join(folder, 'model.onnx'), deps);
    const outside = findings.filter((f) => f.ruleId === 'onnx.external-data-outside-model');
    expect(outside).toHaveLength(1);
    expect(outside[0]?.severity).toBe('critical');
    expect(outside[0]?.evidence).toContain('secret.bin');
  });

  it('accepts a link that stays inside the model folder', async () => {
    const folder = join(root, 'inside');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(folder, 'blobs'), { recursive: true }));
    writeFileSync(join(folder, 'blobs', 'real.bin'), Buffer.alloc(4096));
    copyFileSync(model, join(folder, 'model.onnx'));
    symlinkSync(join(folder, 'blobs', 'real.bin'), join(folder, 'weights.bin'));
    const { findings } = await scanFile(join(folder, 'model.onnx'), deps);
    expect(findings.filter((f) => atLeast(f.severity, 'medium'))).toEqual([]);
  });
});

describe('ONNX sniffing', () => {
  it('is strict about content', () => {
    const mlp = readFileSync(join(testdata, 'benign/mlp.onnx'));
    expect(sniffOnnx(mlp.subarray(0, 4096), mlp.length)).toBe(true);
    expect(sniffOnnx(Buffer.from([0x80, 0x04, 0x95]), 3)).toBe(false);
    // ir_version outside 3..12
    const bumped = Buffer.from(mlp);
    bumped[1] = 40;
    expect(sniffOnnx(bumped, bumped.length)).toBe(false);
    // a SavedModel starts with schema version 1 then meta_graphs
    expect(sniffOnnx(Buffer.from([0x08, 0x01, 0x12, 0x02, 0x0a, 0x00]), 6)).toBe(false);
    expect(sniffOnnx(Buffer.from('hello world, not a model at all'), 31)).toBe(false);
  });
});

describe('ONNX hostile structure', () => {
  const varint = (n: number): number[] => (n < 128 ? [n] : [(n % 128) | 128, ...varint(Math.floor(n / 128))]);
  const len = (num: number, payload: Buffer) =>
    Buffer.concat([Buffer.from([...varint(num * 8 + 2), ...varint(payload.length)]), payload]);

  it('bounds subgraph nesting', async () => {
    // If nodes nested 40 deep through their then_branch attribute.
    let graph = len(1, len(4, Buffer.from('Relu')));
    for (let i = 0; i < 40; i++) {
      graph = len(
        1,
        Buffer.concat([
          len(4, Buffer.from('If')),
          len(5, Buffer.concat([len(1, Buffer.from('then_branch')), len(6, graph)])),
        ]),
      );
    }
    const model = Buffer.concat([Buffer.from([0x08, 0x08]), len(7, graph)]);
    const { scanSource } = await import('../../engine/file-scan.js');
    const { BufferSource } = await import('../../io/source.js');
    const result = await scanSource('/nonexistent/deep.onnx', new BufferSource(model), deps);
    expect(result.file.formats).toEqual(['onnx']);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['scan.limit-exceeded']);
    expect(result.file.status).toBe('partial');
  });

  it('reports a length that overruns the file as malformed', async () => {
    const mlp = readFileSync(join(testdata, 'benign/mlp.onnx'));
    const { scanSource } = await import('../../engine/file-scan.js');
    const { BufferSource } = await import('../../io/source.js');
    const result = await scanSource('/nonexistent/cut.onnx', new BufferSource(mlp.subarray(0, mlp.length - 20)), deps);
    expect(result.findings.map((f) => f.ruleId)).toContain('scan.malformed');
    expect(result.file.status).toBe('partial');
  });

  it('treats every absolute and climbing spelling as outside', async () => {
    const { climbs, isAbsoluteLocation } = await import('./external-data.js');
    for (const path of ['/etc/passwd', '\\\\server\\share\\x', 'C:\\Windows\\win.ini', 'c:relative', '\\rooted']) {
      expect(isAbsoluteLocation(path), path).toBe(true);
    }
    for (const path of ['../x', 'a/../../x', 'a\\..\\x', '..']) expect(climbs(path), path).toBe(true);
    for (const path of ['weights.bin', 'sub/dir/w.bin', 'w..bin', '...']) {
      expect(isAbsoluteLocation(path) || climbs(path), path).toBe(false);
    }
  });
});
