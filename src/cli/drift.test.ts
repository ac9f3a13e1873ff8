import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { driftReportSchema } from '../contracts/index.js';
import { mulberry32 } from '../data/index.js';
import { cli } from './test-support.js';

let dir: string;
const rows = (seed: number, n: number, shift: number) => {
  const random = mulberry32(seed);
  const lines = ['age,colour'];
  for (let i = 0; i < n; i++)
    lines.push(`${(30 + shift * 8 + random() * 20).toFixed(2)},${random() < 0.3 + shift * 0.4 ? 'red' : 'blue'}`);
  return `${lines.join('\n')}\n`;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlsecops-drift-cli-'));
  await writeFile(join(dir, 'reference.csv'), rows(1, 600, 0));
  await writeFile(join(dir, 'same.csv'), rows(2, 500, 0));
  await writeFile(join(dir, 'shifted.csv'), rows(3, 500, 1));
});

describe('mlsecops drift (in-process)', () => {
  it('exits 0 with no drift and 1 on dataset drift, with a table per column', async () => {
    const same = await cli(['drift', join(dir, 'reference.csv'), join(dir, 'same.csv')]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^age\s+number\s+ks\s/m);
    expect(same.stdout).toMatch(/dataset: no drift/);
    const shifted = await cli(['drift', join(dir, 'reference.csv'), join(dir, 'shifted.csv')]);
    expect(shifted.code).toBe(1);
    expect(shifted.stdout).toMatch(/dataset: DRIFT: 2 of 2 columns/);
  });

  it('reads a reference profile, takes tests per column and writes JSON of the report schema', async () => {
    const profile = join(dir, 'reference.profile.json');
    expect((await cli(['profile', join(dir, 'reference.csv'), '--out', profile])).code).toBe(0);
    const result = await cli([
      ...['drift', '--profile', profile, join(dir, 'shifted.csv')],
      ...['--test', 'age=psi:0.2', '--columns', 'age', '--format', 'json', '--fail-on', 'medium'],
    ]);
    expect(result.code).toBe(1);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    expect(report.columns).toHaveLength(1);
    expect(report.columns[0]).toMatchObject({ column: 'age', test: 'psi', threshold: 0.2, drifted: true });
  });

  it('writes the HTML report to a file', async () => {
    const out = join(dir, 'drift.html');
    const result = await cli([
      'drift',
      join(dir, 'reference.csv'),
      join(dir, 'shifted.csv'),
      '--format',
      'html',
      '--output',
      out,
    ]);
    expect(result.code).toBe(1);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<h3>age</h3>');
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it.each([
    [['--test', 'age=magic'], /--test takes/],
    [['--columns', 'nope'], /not in the reference: nope/],
    [['--share', '3'], /--share/],
  ])('exits 2 on bad arguments: %s', async (extra, message) => {
    const result = await cli(['drift', join(dir, 'reference.csv'), join(dir, 'same.csv'), ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
