import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanData } from './scan-data.js';

/** The poisoning indicators through the streaming scan, on the fixtures made from sklearn's datasets. */
const testdata = join(import.meta.dirname, 'poisoning/testdata');

describe('poisoning indicators in data scan', () => {
  it('finds the inserted trigger token with its rows', async () => {
    const report = await scanData([join(testdata, 'reviews.csv')]);
    const trigger = report.findings.find((f) => f.ruleId === 'poisoning.trigger-token');
    expect(trigger?.severity).toBe('high');
    expect(trigger?.evidence).toContain('"cf"');
    expect(trigger?.properties?.rows).toBe(45);
    expect(String(trigger?.properties?.rowList).split(',')).toHaveLength(45);
    expect(trigger?.location.column).toBe('review');
  });

  it('can be turned off', async () => {
    const report = await scanData([join(testdata, 'reviews.csv')], { poisoning: false });
    expect(report.findings.filter((f) => f.ruleId.startsWith('poisoning.'))).toEqual([]);
  });

  it('compares against a trusted baseline', async () => {
    const report = await scanData([join(testdata, 'wine.csv')], { baselinePath: join(testdata, 'iris.csv') });
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['poisoning.label-shift']));
  });
});
