import { mkdtempSync, rmSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFile } from '../../engine/file-scan.js';
import { defaultLimits } from '../../limits.js';
import { createGlobalClassifier } from '../../pickle/verdicts.js';
import { defaultScanners } from '../../registry.js';
import { onnxScanner } from './scanner.js';

/**
 * Large models cost headers, not bytes: a 3 GiB inline initializer is stepped over by its length and a
 * 2 GiB external data file is only stat'ed. Both files are sparse, so the test writes almost nothing;
 * reading them would take seconds and fail the time bound.
 */
const deps = {
  scanners: [onnxScanner, ...defaultScanners],
  limits: { ...defaultLimits, timeoutMs: 30_000 },
  classify: createGlobalClassifier(),
  signal: new AbortController().signal,
};
const root = mkdtempSync(join(tmpdir(), 'onnx-large-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const varint = (n: number): Buffer => {
  const out: number[] = [];
  let rest = n;
  while (rest >= 128) {
    out.push((rest % 128) | 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Buffer.from(out);
};
const len = (num: number, payload: Buffer | string): Buffer => {
  const bytes = Buffer.from(payload);
  return Buffer.concat([varint(num * 8 + 2), varint(bytes.length), bytes]);
};
const num = (field: number, value: number): Buffer => Buffer.concat([varint(field * 8), varint(value)]);

/** Writes `before`, then a hole of `gap` bytes, then `after`. */
async function sparse(path: string, before: Buffer, gap: number, after: Buffer): Promise<void> {
  const handle = await open(path, 'w');
  await handle.write(before, 0, before.length, 0);
  await handle.write(after, 0, after.length, before.length + gap);
  await handle.close();
}

describe('large ONNX models', () => {
  it('steps over a 3 GiB inline initializer and still sees the node after it', async () => {
    const gap = 3 * 1024 ** 3;
    const pyop = len(1, Buffer.concat([len(4, 'PyOp'), len(7, 'custom'), len(3, 'after_weights')]));
    const rawHeader = Buffer.concat([num(1, 4), num(2, 1), len(8, 'w'), varint(9 * 8 + 2), varint(gap)]);
    const tensorLength = rawHeader.length + gap;
    const tensorHeader = Buffer.concat([varint(5 * 8 + 2), varint(tensorLength), rawHeader]);
    const graphLength = tensorHeader.length + gap + pyop.length;
    const head = Buffer.concat([num(1, 8), len(2, 'fixture'), varint(7 * 8 + 2), varint(graphLength), tensorHeader]);
    const path = join(root, 'inline.onnx');
    await sparse(path, head, gap, pyop);
    const started = performance.now();
    const { file, findings } = await scanFile(path, deps);
    expect(performance.now() - started).toBeLessThan(10_000); // a hang guard, not a speed test
    expect(file.formats).toEqual(['onnx']);
    expect(findings.map((f) => f.ruleId)).toEqual(['onnx.python-op']);
  });

  it('only stats a 2 GiB external data file', async () => {
    const gap = 2 * 1024 ** 3;
    const entry = (key: string, value: string) => len(13, Buffer.concat([len(1, key), len(2, value)]));
    const tensor = Buffer.concat([
      num(1, gap / 4),
      num(2, 1),
      len(8, 'w'),
      entry('location', 'big.data'),
      entry('offset', '0'),
      entry('length', String(gap)),
      num(14, 1),
    ]);
    const graph = Buffer.concat([
      len(1, Buffer.concat([len(1, 'x'), len(1, 'w'), len(2, 'y'), len(4, 'MatMul')])),
      len(5, tensor),
    ]);
    const path = join(root, 'external.onnx');
    await writeFile(path, Buffer.concat([num(1, 8), len(7, graph)]));
    await sparse(join(root, 'big.data'), Buffer.alloc(0), gap - 1, Buffer.alloc(1));
    const started = performance.now();
    const { findings } = await scanFile(path, deps);
    expect(performance.now() - started).toBeLessThan(10_000); // a hang guard, not a speed test
    expect(findings).toEqual([]);
    // One byte too many is out of range: the size check is real.
    await writeFile(
      path,
      Buffer.concat([
        num(1, 8),
        len(
          7,
          Buffer.concat([
            graph.subarray(0, graph.length),
            len(
              5,
              Buffer.concat([
                len(8, 'v'),
                entry('location', 'big.data'),
                entry('offset', '1'),
                entry('length', String(gap)),
                num(14, 1),
              ]),
            ),
          ]),
        ),
      ]),
    );
    const again = await scanFile(path, deps);
    expect(again.findings.map((f) => f.ruleId)).toEqual(['onnx.external-data-out-of-range']);
  });
});
