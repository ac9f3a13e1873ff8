import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/cli/render/index.js';
import type { Report } from '../src/contracts/index.js';
import { reportSchema } from '../src/contracts/index.js';
import { scanPaths } from '../src/scan/index.js';

/**
 * Golden reports for the shipped examples in JSON and SARIF (regenerate with UPDATE_GOLDEN=1), and the
 * SARIF output validated against the SARIF 2.1.0 JSON schema published by Microsoft's SARIF tooling.
 */
const root = resolve(import.meta.dirname, '..');
// ajv-draft-04 is CommonJS whose module.exports is the class itself.
const Ajv = AjvDraft04 as unknown as typeof AjvDraft04.default;
const golden = join(root, 'test/golden');

async function stableReport(): Promise<Report> {
  const report = await scanPaths([join(root, 'examples/models')]);
  const text = JSON.stringify(report).replaceAll(root, '<root>');
  const stable = JSON.parse(text) as Report;
  return {
    ...stable,
    tool: { ...stable.tool, version: '0.0.0' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    files: stable.files.map((file) => ({ ...file, durationMs: 0 })),
  };
}

function compareGolden(name: string, actual: string): void {
  const path = join(golden, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.CI) throw new Error(`golden file ${name} is missing; run UPDATE_GOLDEN=1 npm test locally`);
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('reports', () => {
  it('JSON matches the golden report and the contract', async () => {
    const report = await stableReport();
    reportSchema.parse(report);
    compareGolden('examples.report.json', renderReport(report, 'json', { colour: false }));
  });

  it('SARIF matches the golden file and validates against the SARIF 2.1.0 schema', async () => {
    const sarif = renderReport(await stableReport(), 'sarif', { colour: false });
    compareGolden('examples.sarif', sarif);
    const schemaPath = createRequire(import.meta.url).resolve(
      '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const valid = validate(JSON.parse(sarif));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('SARIF validation would catch a broken document', () => {
    const schemaPath = createRequire(import.meta.url).resolve(
      '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const validate = new Ajv({ strict: false, unicodeRegExp: false }).compile(
      JSON.parse(readFileSync(schemaPath, 'utf8')),
    );
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal' }] }] })).toBe(false);
  });

  it('markdown and table render every finding', async () => {
    const report = await stableReport();
    const markdown = renderReport(report, 'markdown', { colour: false });
    const table = renderReport(report, 'table', { colour: false });
    for (const finding of report.findings) {
      expect(markdown).toContain(finding.ruleId);
      expect(table).toContain(finding.ruleId);
    }
  });
});
