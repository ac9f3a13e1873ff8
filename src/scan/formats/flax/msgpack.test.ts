import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../engine/file-scan.js';
import { scanPaths } from '../../index.js';
import { BufferSource } from '../../io/source.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';

const testdata = join(import.meta.dirname, 'testdata');
const deps = {
  scanners: defaultScanners,
  limits: defaultLimits,
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};
const rulesOf = async (bytes: Buffer) =>
  (await scanSource('x.msgpack', new BufferSource(bytes), deps)).findings.map((f) => f.ruleId);

describe('msgpack (Flax) checkpoints', () => {
  it('scans a Flax-layout checkpoint clean', async () => {
    const report = await scanPaths([join(testdata, 'flax_model.msgpack')]);
    expect(report.findings).toEqual([]);
    expect(report.files[0]?.formats).toEqual(['msgpack']);
  });

  it.each([
    ['pickle-in-binary.msgpack', ['pickle.dangerous-global']],
    ['unknown-extension.msgpack', ['msgpack.unknown-extension']],
    ['trailing-pickle.msgpack', ['msgpack.trailing-data', 'pickle.dangerous-global']],
  ])('%s', async (file, expected) => {
    const report = await scanPaths([join(testdata, file)]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(expected));
  });

  it.each([
    ['a truncated file', () => readFileSync(join(testdata, 'flax_model.msgpack')).subarray(0, 100), 'scan.malformed'],
    [
      'a container count larger than the file',
      () => Buffer.from([0x81, 0xa1, 0x61, 0xdd, 0x7f, 0xff, 0xff, 0xff]),
      'scan.malformed',
    ],
    [
      'containers nested past the depth limit',
      () => Buffer.concat([Buffer.from([0x81, 0xa1, 0x61]), Buffer.alloc(100, 0x91)]),
      'scan.malformed',
    ],
    ['a reserved type byte', () => Buffer.from([0x81, 0xa1, 0x61, 0xc1]), 'scan.malformed'],
  ])('reports %s', async (_name, bytes, rule) => {
    expect(await rulesOf(bytes())).toEqual([rule]);
  });

  it('does not claim pickles (0x80 is also an empty msgpack map)', async () => {
    const pickle = Buffer.from('\x80\x04N.', 'latin1');
    expect((await scanSource('x.msgpack', new BufferSource(pickle), deps)).file.formats).toEqual(['pickle']);
  });
});
