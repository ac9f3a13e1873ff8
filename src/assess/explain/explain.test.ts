import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../contracts/index.js';
import { assessExplain, explainModel, explainRules } from './index.js';

const testdata = join(import.meta.dirname, 'testdata');
const fixture = (name: string) => ({ model: join(testdata, `${name}.onnx`), data: join(testdata, `${name}.csv`) });
const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-explain-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ruleIds = (report: { findings: { ruleId: string; location: { column?: string | undefined } }[] }) =>
  report.findings.map((f) => `${f.ruleId}@${f.location.column}`).sort();

describe('assessExplain on the fixtures', () => {
  it.each([
    ['honest', { label: 'label' }, []],
    ['honest', {}, []],
    ['leaky', { label: 'label' }, ['explain.dominant-feature@id', 'explain.identifier-importance@id']],
    ['leaky', {}, ['explain.dominant-feature@id', 'explain.identifier-importance@id']],
    ['backdoor', { label: 'label' }, ['explain.concentrated-attribution@x6']],
    ['backdoor', {}, ['explain.concentrated-attribution@x6']],
  ])('%s %o flags %o', async (name, extra, expected) => {
    // Without --label the label column must be left out of the features by name.
    const features =
      name === 'leaky' ? ['id', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'] : ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    const report = await assessExplain({ ...fixture(name), ...extra, ...('label' in extra ? {} : { features }) });
    expect(reportSchema.parse(report)).toEqual(report);
    expect(ruleIds(report)).toEqual(expected);
    expect(report.kind).toBe('assessment');
    expect(report.metrics?.suspicious).toBe(new Set(expected.map((id) => id.split('@')[1])).size);
    if ('label' in extra) expect(report.metrics?.accuracy).toBeGreaterThan(0.9);
    else expect(report.metrics).not.toHaveProperty('accuracy');
    for (const finding of report.findings) expect(Object.keys(explainRules)).toContain(finding.ruleId);
  });

  it('ranks the leaked id first with most of the importance', async () => {
    const { explanation, report } = await explainModel({ ...fixture('leaky'), label: 'label' });
    expect(explanation.importance[0]).toMatchObject({ feature: 'id' });
    expect(report.metrics?.topFeatureShare).toBeGreaterThan(0.5);
  });

  it('explains chosen rows, with attributions summing to f(x) − E[f(background)]', async () => {
    for (const background of [0, 25]) {
      const { explanation } = await explainModel({
        ...fixture('honest'),
        label: 'label',
        rows: [0, 5, 17],
        background,
      });
      expect(explanation.explained.map((e) => e.row)).toEqual([0, 5, 17]);
      for (const row of explanation.explained) {
        const total = Array.from(row.values).reduce((a, b) => a + b, 0);
        expect(Math.abs(total - (row.fx - row.base))).toBeLessThan(1e-6);
        expect(row.exact).toBe(true);
      }
    }
  });

  it('matches linear SHAP on the linear ONNX model end to end', async () => {
    const { explanation } = await explainModel({ ...fixture('linear'), rows: [0, 1, 2], background: 60 });
    const w = [
      [0.5, -1.0, 2.0, 0.25],
      [-0.5, 1.5, -1.0, 0.75],
    ];
    const { readTable } = await import('./table.js');
    const table = await readTable(fixture('linear').data, {}, { maxRows: 100, maxColumns: 10 });
    const means = table.columns.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
    for (const row of explanation.explained)
      row.values.forEach((value, j) => {
        expect(value).toBeCloseTo(w[row.predicted]![j]! * (row.x[j]! - means[j]!), 3);
      });
  });

  it('is deterministic for a seed and changes with it', async () => {
    const run = async (seed: number) => {
      const { explanation, report } = await explainModel({
        ...fixture('backdoor'),
        label: 'label',
        seed,
        rows: [1],
        background: 10,
        nsamples: 40,
      });
      return { explanation, findings: report.findings, metrics: report.metrics };
    };
    const first = await run(4);
    expect(await run(4)).toEqual(first);
    expect((await run(5)).explanation.importance).not.toEqual(first.explanation.importance);
  });

  it('marks the data partial when --max-rows stops the read', async () => {
    const report = await assessExplain({ ...fixture('honest'), label: 'label', maxRows: 50 });
    expect(report.files[1]).toMatchObject({ status: 'partial', errors: [{ code: 'ROW_LIMIT' }] });
    expect(report.metrics?.rows).toBe(50);
  });
});

describe('hostile input', () => {
  it('rejects a feature count that does not match the model', async () => {
    await expect(assessExplain({ ...fixture('honest') })).rejects.toMatchObject({
      code: 'COLUMNS_MISMATCH',
      message: expect.stringMatching(/the model takes 6 features, the data has 7 feature columns/),
    });
  });

  it('rejects a file that is not ONNX', async () => {
    const model = join(scratch, 'model.onnx');
    writeFileSync(model, 'import os; os.system("echo pwned")\n');
    await expect(assessExplain({ model, data: fixture('honest').data, label: 'label' })).rejects.toMatchObject({
      code: 'MODEL_UNREADABLE',
      message: expect.stringMatching(/cannot load .* as an ONNX classifier/),
    });
  });

  it('rejects a malformed CSV', async () => {
    const data = join(scratch, 'bad.csv');
    writeFileSync(data, 'x1,x2,x3,x4,x5,x6\n1,2,3,4,5,6\n1,2,3,"4,5,6\n');
    await expect(assessExplain({ model: fixture('honest').model, data })).rejects.toMatchObject({
      code: 'CSV_INVALID',
    });
  });

  it('rejects labels the model cannot predict and rows past the data', async () => {
    const data = join(scratch, 'labels.csv');
    writeFileSync(data, 'x1,x2,x3,x4,x5,x6,y\n1,2,3,4,5,6,7\n');
    await expect(assessExplain({ model: fixture('honest').model, data, label: 'y' })).rejects.toThrow(
      /label 7 but the model has 2 classes/,
    );
    await expect(assessExplain({ ...fixture('honest'), label: 'label', rows: [400] })).rejects.toThrow(
      /rows 400 are past the 400 rows read/,
    );
  });

  it('rejects bad options', async () => {
    await expect(assessExplain({ ...fixture('honest'), label: 'label', dominance: 2 })).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
    });
  });
});
