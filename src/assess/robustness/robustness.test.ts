import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../contracts/index.js';
import { assessRobustness, evasionAttacks, type RobustnessOptions, robustnessRules } from './index.js';

const testdata = join(import.meta.dirname, 'testdata');
const model = join(testdata, 'digits-mlp.onnx');
const csv = join(testdata, 'digits-test.csv');
const quick = { model, data: { path: csv }, samples: 60, maxQueries: 600 } satisfies RobustnessOptions;
let full: Awaited<ReturnType<typeof assessRobustness>>;

beforeAll(async () => {
  full = await assessRobustness({ model, data: { path: csv } });
}, 60_000);

describe('assessRobustness on the digits MLP', () => {
  it('reports a valid assessment with clean accuracy above 0.9', () => {
    expect(reportSchema.parse(full).kind).toBe('assessment');
    expect(full.metrics!.cleanAccuracy).toBeGreaterThan(0.9);
    expect(full.metrics!.samples).toBe(100);
  });

  it('barely changes accuracy under small random noise', () => {
    const m = full.metrics!;
    expect(m.cleanAccuracy! - m.noiseLinfAccuracy1!).toBeLessThanOrEqual(0.05);
    expect(m.cleanAccuracy! - m.noiseL2Accuracy1!).toBeLessThanOrEqual(0.05);
    expect(full.findings.some((f) => f.ruleId === 'robustness.noise-sensitive')).toBe(false);
  });

  it('cuts accuracy substantially with the evasion attacks at a moderate budget', () => {
    const m = full.metrics!;
    for (const attack of evasionAttacks) expect(m[`${attack}Accuracy2`]).toBeLessThan(m.cleanAccuracy! - 0.4);
    expect(m.robustAccuracy).toBe(Math.min(...evasionAttacks.map((a) => m[`${a}Accuracy2`]!)));
    // Accuracy never rises with the budget.
    for (const attack of evasionAttacks) expect(m[`${attack}Accuracy4`]).toBeLessThanOrEqual(m[`${attack}Accuracy1`]!);
    const finding = full.findings.find((f) => f.ruleId === 'robustness.low-robust-accuracy');
    expect(finding).toMatchObject({ severity: 'high' });
    expect(finding!.references.map((r) => r.id)).toEqual(['AML.T0015', 'AML.T0043', 'ML01']);
  });

  it('finds flips with the boundary attack far smaller than random noise needs', () => {
    const m = full.metrics!;
    // Gaussian noise of expected L2 norm ε·range·√d at the largest budget still leaves most predictions.
    const noiseL2 = m.epsilon4! * (m.rangeMax! - m.rangeMin!) * Math.sqrt(m.features!);
    expect(m.noiseL2Accuracy4).toBeGreaterThan(0.5);
    expect(m.boundaryL2MedianPerturbation).toBeLessThan(noiseL2 / 3);
  });

  it('keeps every attack within the query budget per sample', () => {
    const m = full.metrics!;
    for (const attack of evasionAttacks) expect(m[`${attack}QueriesMaxPerSample`]).toBeLessThanOrEqual(m.maxQueries!);
    expect(m.queriesTotal).toBeGreaterThan(0);
  });

  it('lists adversarial examples with row, labels and perturbation norms', () => {
    const examples = full.findings.filter((f) => f.ruleId === 'robustness.adversarial-example');
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.location.row).toBeGreaterThanOrEqual(0);
      expect(example.properties?.before).toBe(example.properties?.label);
      expect(example.properties?.after).not.toBe(example.properties?.label);
      expect(JSON.parse(String(example.properties?.input))).toHaveLength(64);
    }
  });

  it('is deterministic with the same seed and differs with another', async () => {
    const a = await assessRobustness({ ...quick, seed: 7 });
    const b = await assessRobustness({ ...quick, seed: 7 });
    const c = await assessRobustness({ ...quick, seed: 8 });
    expect(a.metrics).toEqual(b.metrics);
    expect(a.findings).toEqual(b.findings);
    expect(c.metrics).not.toEqual(a.metrics);
  }, 60_000);

  it('reads .npy features with .npy labels', async () => {
    const report = await assessRobustness({
      ...quick,
      data: { path: join(testdata, 'digits-test-x.npy'), labels: join(testdata, 'digits-test-y.npy') },
      samples: 20,
      maxQueries: 200,
      epsilons: [0.1],
    });
    expect(report.metrics!.cleanAccuracy).toBeGreaterThan(0.9);
    expect(report.metrics!.samples).toBe(20);
  }, 30_000);

  it('catalogs every rule it reports', () => {
    for (const finding of full.findings) expect(robustnessRules).toHaveProperty([finding.ruleId]);
  });
});
