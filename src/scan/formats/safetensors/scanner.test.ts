import { describe, expect, it } from 'vitest';
import { scanSource } from '../../engine/file-scan.js';
import { BufferSource } from '../../io/source.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import { safetensorsScanner } from './scanner.js';

/** Files written by hand from the published format: u64 header length, JSON header, tensor bytes. */
function safetensors(
  header: Record<string, unknown>,
  data: Buffer,
  options: { rawHeader?: string; pad?: number } = {},
): Buffer {
  const json = Buffer.from(options.rawHeader ?? JSON.stringify(header));
  const padded = Buffer.concat([json, Buffer.alloc(options.pad ?? (8 - (json.length % 8)) % 8, 0x20)]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(padded.length));
  return Buffer.concat([length, padded, data]);
}

const f32 = (n: number) => Buffer.alloc(4 * n, 1);
const benign = safetensors(
  {
    __metadata__: { format: 'pt' },
    'a.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
    'a.bias': { dtype: 'BF16', shape: [3], data_offsets: [24, 30] },
    'b.mask': { dtype: 'BOOL', shape: [2], data_offsets: [30, 32] },
    'c.empty': { dtype: 'I64', shape: [0], data_offsets: [32, 32] },
  },
  Buffer.concat([f32(6), Buffer.alloc(8, 2)]),
);
const pickle = Buffer.from('\x80\x02cos\nsystem\nX\x02\x00\x00\x00id\x85R.', 'latin1');

async function scan(bytes: Buffer, name = 'model.safetensors') {
  const result = await scanSource(name, new BufferSource(bytes), {
    scanners: [safetensorsScanner, ...defaultScanners],
    limits: defaultLimits,
    classify: createGlobalClassifier(),
    signal: new AbortController().signal,
  });
  return { ...result, rules: result.findings.map((f) => f.ruleId) };
}

describe('safetensors', () => {
  it('scans a well-formed file clean, reading only its header', async () => {
    const result = await scan(benign);
    expect(result.rules).toEqual([]);
    expect(result.file.formats).toEqual(['safetensors']);
    expect(result.file.status).toBe('scanned');
  });

  it.each([
    ['a gap between tensors', { t: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2), 'belong to no tensor'],
    [
      'overlapping tensors',
      { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, u: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
      f32(3),
      'overlaps',
    ],
    [
      'a range that disagrees with dtype and shape',
      { t: { dtype: 'F16', shape: [4], data_offsets: [0, 4] } },
      f32(1),
      'needs 8 bytes',
    ],
    [
      'tensors past the end of the file',
      { t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } },
      f32(2),
      'data section holds 8',
    ],
  ])('reports %s', async (_name, header, data, evidence) => {
    const result = await scan(safetensors(header, data));
    expect(result.rules).toContain('safetensors.layout-mismatch');
    expect(result.findings.find((f) => f.ruleId === 'safetensors.layout-mismatch')?.evidence).toContain(evidence);
  });

  it('finds a pickle hidden after the last tensor', async () => {
    const result = await scan(
      safetensors({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, Buffer.concat([f32(1), pickle])),
    );
    expect(result.rules).toEqual(expect.arrayContaining(['safetensors.layout-mismatch', 'pickle.dangerous-global']));
    expect(result.findings.find((f) => f.ruleId === 'pickle.dangerous-global')?.location.member).toMatch(/^@\d+$/);
  });

  it.each([
    ['invalid JSON', '{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}', 'not valid UTF-8 JSON'],
    ['non-string metadata', '{"__metadata__": {"epoch": 3}}', '__metadata__.epoch is not a string'],
    ['a tensor without offsets', '{"t": {"dtype": "F32", "shape": [1]}}', 'needs a dtype string'],
    ['negative dimensions', '{"t": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}', 'needs a dtype string'],
  ])('reports a header with %s', async (_name, rawHeader, evidence) => {
    const result = await scan(safetensors({}, f32(1), { rawHeader }));
    expect(result.rules).toEqual(['safetensors.invalid-header']);
    expect(result.findings[0]?.evidence).toContain(evidence);
    expect(result.file.status).toBe('partial');
  });

  it('reports unknown dtypes', async () => {
    const result = await scan(safetensors({ t: { dtype: 'Q4_K', shape: [1], data_offsets: [0, 4] } }, f32(1)));
    expect(result.rules).toEqual(['safetensors.unknown-dtype']);
  });

  it('does not take a header length larger than the file', async () => {
    const bytes = Buffer.from(benign);
    bytes.writeBigUInt64LE(BigInt(bytes.length));
    expect((await scan(bytes)).file.formats).not.toContain('safetensors');
  });

  it('recognises safetensors by content whatever the name', async () => {
    expect((await scan(benign, 'weights.bin')).file.formats).toEqual(['safetensors']);
  });
});

describe('safetensors fixtures (gen.py)', () => {
  const dir = new URL('./testdata/', import.meta.url);
  it.each([
    'model.safetensors',
    'model-00001-of-00002.safetensors',
    'model-00002-of-00002.safetensors',
  ])('%s is clean', async (name) => {
    const { readFileSync } = await import('node:fs');
    const result = await scan(readFileSync(new URL(name, dir)), name);
    expect(result.rules).toEqual([]);
    expect(result.file.formats).toEqual(['safetensors']);
  });

  it('appended-pickle.safetensors surfaces the pickle', async () => {
    const { readFileSync } = await import('node:fs');
    const result = await scan(readFileSync(new URL('appended-pickle.safetensors', dir)));
    expect(result.rules).toEqual(expect.arrayContaining(['safetensors.layout-mismatch', 'pickle.dangerous-global']));
  });
});
