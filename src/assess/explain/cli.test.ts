import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli/test-support.js';
import { reportSchema } from '../../contracts/index.js';

const testdata = join(import.meta.dirname, 'testdata');
const at = (name: string) => join(testdata, name);
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-explain-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('mlsecops assess explain (in-process)', () => {
  it('prints the ranking and exits 0 on the honest model', async () => {
    const result = await cli(['assess', 'explain', at('honest.onnx'), '--data', at('honest.csv'), '--label', 'label']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/400 rows, 6 features, accuracy 0\.9/);
    expect(result.stdout).toMatch(/^ {2}1 {2}x\d/m);
    expect(result.stdout).toContain('no suspicious importance');
  });

  it('writes the JSON report and exits 1 on the leaky model (identifier importance is high)', async () => {
    const result = await cli([
      'assess',
      'explain',
      at('leaky.onnx'),
      '--data',
      at('leaky.csv'),
      '--label',
      'label',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(1);
    const report = reportSchema.parse(JSON.parse(result.stdout));
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual([
      'explain.dominant-feature',
      'explain.identifier-importance',
    ]);
    expect(report.metrics).toMatchObject({ suspicious: 1, accuracy: 1 });
  });

  it('honours --fail-on', async () => {
    const args = ['assess', 'explain', at('leaky.onnx'), '--data', at('leaky.csv'), '--label', 'label'];
    expect((await cli([...args, '--fail-on', 'critical'])).code).toBe(0);
  });

  it('draws a self-contained HTML page with inline SVG charts', async () => {
    const output = join(scratch, 'explain.html');
    const result = await cli([
      'assess',
      'explain',
      at('backdoor.onnx'),
      '--data',
      at('backdoor.csv'),
      '--features',
      'x1,x2,x3,x4,x5,x6',
      '--rows',
      '0,5',
      '--format',
      'html',
      '--output',
      output,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const html = readFileSync(output, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('explain.concentrated-attribution');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it.each([
    [['--data', at('honest.csv')], /the model takes 6 features, the data has 7 feature columns/],
    [['--data', at('honest.csv'), '--label', 'nope'], /no label column nope/],
    [['--data', at('honest.csv'), '--label', 'label', '--rows', 'a'], /--rows takes comma-separated/],
    [['--data', at('honest.csv'), '--label', 'label', '--repeats', '0'], /--repeats/],
    [['--data', join(testdata, 'missing.csv')], /cannot read/],
  ])('exits 2 with a clear message: %j', async (args, message) => {
    const result = await cli(['assess', 'explain', at('honest.onnx'), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('exits 2 on a file that is not ONNX', async () => {
    const model = join(scratch, 'fake.onnx');
    writeFileSync(model, 'not a model');
    const result = await cli(['assess', 'explain', model, '--data', at('honest.csv'), '--label', 'label']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot load .*fake\.onnx as an ONNX classifier/);
  });
});
