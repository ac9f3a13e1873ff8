import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli/test-support.js';
import { reportSchema } from '../../contracts/index.js';

const testdata = join(import.meta.dirname, 'testdata');
const model = join(testdata, 'digits-mlp.onnx');
const csv = join(testdata, 'digits-test.csv');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlsecops-robustness-cli-'));
});

describe('mlsecops assess robustness (in-process)', () => {
  const args = ['assess', 'robustness', model, '--data', csv, '--samples', '30', '--max-queries', '300'];
  it('prints a table and exits 1 on the high finding', async () => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/clean accuracy \d+\.\d%/);
    expect(result.stdout).toMatch(/^boundaryL2\s/m);
    expect(result.stdout).toMatch(/HIGH\s+robustness\.low-robust-accuracy/);
  }, 30_000);

  it('writes the JSON report and honours --fail-on and --min-robust-accuracy', async () => {
    const result = await cli([...args, '--format', 'json', '--min-robust-accuracy', '0', '--fail-on', 'high']);
    expect(result.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(result.stdout));
    expect(report.metrics?.cleanAccuracy).toBeGreaterThan(0.9);
  }, 30_000);

  it('writes a self-contained HTML page with the curve as inline SVG', async () => {
    const out = join(dir, 'robustness.html');
    const result = await cli([...args, '--format', 'html', '--output', out, '--epsilons', '0.05,0.1']);
    expect(result.code).toBe(1);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script/);
  }, 30_000);

  it('exits 2 with a message on bad arguments and unreadable inputs', async () => {
    expect((await cli([...args, '--epsilons', '2'])).code).toBe(2);
    expect((await cli(['assess', 'robustness', '--data', csv])).stderr).toMatch(/model file or --endpoint/);
    const missing = await cli(['assess', 'robustness', join(dir, 'none.onnx'), '--data', csv]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(/unexpected error/);
  });
});
