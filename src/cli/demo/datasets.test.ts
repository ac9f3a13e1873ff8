import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../contracts/index.js';
import { scanData } from '../../data/index.js';
import { type DemoDatasets, TRIGGER, writeDemoDatasets } from './datasets.js';

/** The demo's generated data shows what the data engine finds, and only that. */
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-demo-data-'));
let datasets: DemoDatasets;
let clean: Report;
let poisoned: Report;

beforeAll(async () => {
  datasets = await writeDemoDatasets(scratch);
  [clean, poisoned] = await Promise.all([scanData([datasets.clean]), scanData([datasets.poisoned])]);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rowsOf = (report: Report, ruleId: string) =>
  report.findings
    .filter((finding) => finding.ruleId === ruleId)
    .flatMap((finding) => String(finding.properties?.rowList ?? finding.location.row).split(','))
    .map(Number);

describe('demo datasets', () => {
  it('are the same bytes on every run', async () => {
    const again = await writeDemoDatasets(mkdtempSync(join(scratch, 'again-')));
    for (const key of ['clean', 'poisoned', 'reference', 'normalBatch', 'shiftedBatch'] as const) {
      expect(readFileSync(again[key]).equals(readFileSync(datasets[key])), key).toBe(true);
    }
  });

  it('version 1 training data scans clean', () => {
    expect(clean.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
  });

  it('version 2 training data shows the planted backdoor on exactly its rows', () => {
    const trigger = poisoned.findings.filter((finding) => finding.ruleId === 'poisoning.trigger-token');
    expect(trigger).toHaveLength(1);
    expect(trigger[0]?.severity).toBe('high');
    expect(trigger[0]?.properties?.token).toBe(TRIGGER);
    expect(rowsOf(poisoned, 'poisoning.trigger-token').sort((a, b) => a - b)).toEqual(datasets.planted.trigger);
  });

  it('and the other planted problems: flipped labels, conflicting copies, outliers, personal data, a secret', () => {
    const disagreeing = new Set(rowsOf(poisoned, 'poisoning.label-neighbour-disagreement'));
    const duplicated = new Set(rowsOf(poisoned, 'poisoning.conflicting-duplicates'));
    expect(datasets.planted.duplicates.filter((row) => !duplicated.has(row))).toEqual([]);
    // A flipped row whose neighbours are mostly other relabelled rows is still a copy of a fraud memo.
    expect(disagreeing.size).toBeGreaterThan(datasets.planted.flipped.length);
    expect(datasets.planted.flipped.filter((row) => !disagreeing.has(row) && !duplicated.has(row))).toEqual([]);
    expect(rowsOf(poisoned, 'poisoning.outlier').sort((a, b) => a - b)).toEqual(datasets.planted.outliers);
    const piiRows = poisoned.findings
      .filter((finding) => finding.ruleId.startsWith('pii.'))
      .map((finding) => finding.location.row);
    expect(new Set(piiRows)).toEqual(new Set(datasets.planted.pii));
    const secret = poisoned.findings.filter((finding) => finding.ruleId.startsWith('secret.'));
    expect(secret.map((finding) => [finding.ruleId, finding.severity, finding.location.row])).toEqual([
      ['secret.stripe-key', 'critical', datasets.planted.secrets[0]],
    ]);
  });
});
