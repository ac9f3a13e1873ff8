import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, type Severity, severityRank } from '../contracts/index.js';
import type { ScanLimits } from './index.js';
import { scanPaths } from './index.js';

/**
 * The fixture corpus as a specification: real files made by torch, sklearn, joblib, numpy, pandas, dill
 * and cloudpickle must raise nothing high; every malicious fixture (one per gadget family and evasion)
 * must surface the rule and global its manifest names, at the severity it names.
 */
const testdata = join(import.meta.dirname, 'testdata');

interface BenignEntry {
  readonly file: string;
}
interface MaliciousEntry {
  readonly file: string;
  readonly family: string;
  readonly description: string;
  readonly expect: ReadonlyArray<{ readonly ruleId: string; readonly global?: string }>;
  readonly minSeverity: Severity;
  readonly options?: Partial<ScanLimits>;
}

const benign = JSON.parse(readFileSync(join(testdata, 'benign/manifest.json'), 'utf8')) as BenignEntry[];
const malicious = JSON.parse(readFileSync(join(testdata, 'malicious/manifest.json'), 'utf8')) as MaliciousEntry[];

describe('benign models', () => {
  it.each(benign.map((entry) => [entry.file]))('%s raises nothing above medium', async (file) => {
    const report = await scanPaths([join(testdata, 'benign', file)], { limits: { timeoutMs: 30_000 } });
    const loud = report.findings.filter((finding) => atLeast(finding.severity, 'medium'));
    expect(loud.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.evidence}`)).toEqual([]);
    expect(report.files.every((f) => f.status === 'scanned')).toBe(true);
  });
});

describe('malicious models', () => {
  it.each(malicious.map((entry) => [entry.file, entry] as const))('%s is caught', async (_file, entry) => {
    const report = await scanPaths([join(testdata, 'malicious', entry.file)], {
      limits: { timeoutMs: 30_000, ...entry.options },
    });
    const seen = report.findings.map((finding) => `${finding.ruleId} ${finding.properties?.global ?? ''}`.trim());
    for (const expected of entry.expect) {
      const match = report.findings.some(
        (finding) =>
          finding.ruleId === expected.ruleId && (!expected.global || finding.properties?.global === expected.global),
      );
      expect(
        match,
        `${entry.description}: expected ${expected.ruleId} ${expected.global ?? ''}; saw ${seen.join(', ')}`,
      ).toBe(true);
    }
    const highest = report.summary.highest ?? 'info';
    expect(severityRank(highest), `highest ${highest}, want ≥ ${entry.minSeverity}`).toBeGreaterThanOrEqual(
      severityRank(entry.minSeverity),
    );
  });
});
