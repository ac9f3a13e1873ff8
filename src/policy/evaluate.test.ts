import { describe, expect, it } from 'vitest';
import { gateDecisionSchema } from '../contracts/index.js';
import { evaluatePolicy, evidenceDigest } from './evaluate.js';
import { PolicyError } from './issues.js';
import { combinePolicies, loadPack } from './policies.js';
import { evidenceWith, policyFrom } from './test-support.js';

const rule = (fields: string, id = 'test.rule') => `  - id: ${id}\n    title: A rule\n    severity: high\n${fields}`;
const now = new Date('2026-01-02T03:04:05Z');

describe('evaluatePolicy', () => {
  it.each([
    {
      name: 'a rule that holds',
      evidence: evidenceWith({ scan: { present: true } }),
      rule: '    expr: scan.present && scan.bySeverity.critical == 0\n',
      result: { passed: true, skipped: false, reason: 'holds' },
    },
    {
      name: 'a rule that does not hold, with the default reason',
      evidence: evidenceWith({ scan: { bySeverity: { critical: 2 } } }),
      rule: '    expr: scan.bySeverity.critical == 0\n',
      result: { passed: false, skipped: false, reason: 'does not hold: scan.bySeverity.critical == 0' },
    },
    {
      name: 'a reason expression',
      evidence: evidenceWith({ scan: { bySeverity: { critical: 2 }, rules: ['pickle.dangerous-global'] } }),
      rule: `    expr: scan.bySeverity.critical == 0\n    reason: 'string(scan.bySeverity.critical) + " critical: " + scan.rules.join(", ")'\n`,
      result: { passed: false, skipped: false, reason: '2 critical: pickle.dangerous-global' },
    },
    {
      name: 'a when that is false skips the rule',
      evidence: evidenceWith({ subject: { alias: 'staging' } }),
      rule: '    when: subject.alias == "production"\n    expr: approvals.approved >= 1\n',
      result: { passed: true, skipped: true, reason: 'not applicable (subject.alias == "production")' },
    },
    {
      name: 'a when that is true applies the rule',
      evidence: evidenceWith({ subject: { alias: 'production' }, approvals: { approved: 0 } }),
      rule: '    when: subject.alias == "production"\n    expr: approvals.approved >= 1\n',
      result: { passed: false, skipped: false },
    },
    {
      name: 'null subject fields read as zero values',
      evidence: evidenceWith(),
      rule: '    expr: subject.version == 0 && subject.alias == "" && subject.digest == ""\n',
      result: { passed: true },
    },
    {
      name: 'doubles and lists of objects',
      evidence: evidenceWith({
        drift: { checked: true, share: 0.25 },
        lineage: { datasets: [{ name: 'train.csv', sha256: 'ab' }], parents: [{ model: 'base', version: 3 }] },
      }),
      rule: '    expr: drift.share < 0.3 && lineage.datasets.all(d, d.sha256 != "") && lineage.parents[0].version == 3\n',
      result: { passed: true },
    },
    {
      name: 'model-card fields by lower-cased key',
      evidence: evidenceWith({ modelCard: { present: true, fields: { 'intended use': 'Classify tickets.' } } }),
      rule: `    expr: '"intended use" in modelCard.fields && modelCard.fields["intended use"].size() > 5'\n`,
      result: { passed: true },
    },
    {
      name: 'a run-time error fails the rule with the error as reason',
      evidence: evidenceWith(),
      rule: '    expr: modelCard.fields["intended use"] != ""\n',
      result: {
        passed: false,
        skipped: false,
        reason: 'error: No such key: intended use',
        error: 'No such key: intended use',
      },
    },
    {
      name: 'a run-time error in the reason keeps the verdict',
      evidence: evidenceWith(),
      rule: '    expr: scan.findings == 0\n    reason: modelCard.fields["x"]\n',
      result: { passed: true, reason: 'holds (reason failed: No such key: x)' },
    },
    {
      name: 'division by zero is an error, not a crash',
      evidence: evidenceWith(),
      rule: '    expr: scan.findings / scan.errors == 0\n',
      result: { passed: false, skipped: false },
    },
  ])('$name', ({ evidence, rule: text, result }) => {
    const decision = evaluatePolicy(policyFrom(rule(text)), evidence, { now });
    expect(decision.rules[0]).toMatchObject(result);
    expect(decision.passed).toBe(decision.rules[0]!.passed);
  });

  it('decides on the evidence it digests, and says so', () => {
    const evidence = evidenceWith({ scan: { present: true } });
    const decision = evaluatePolicy(loadPack('baseline'), evidence, { now });
    expect(gateDecisionSchema.parse(decision)).toEqual(decision);
    expect(decision).toMatchObject({
      schemaVersion: 1,
      policy: { name: 'baseline' },
      subject: evidence.subject,
      evaluatedAt: '2026-01-02T03:04:05.000Z',
      evidenceDigest: evidenceDigest(evidence),
      passed: true,
    });
    expect(decision.rules.map((r) => r.id)).toContain('policy.no-critical-findings');
    // Every rule names the controls it produces evidence for.
    expect(decision.rules.find((r) => r.id === 'policy.no-critical-findings')!.frameworks.owaspMl).toContain('ML06');
  });

  it('digests evidence canonically: key order does not matter, content does', () => {
    const evidence = evidenceWith();
    const reordered = Object.fromEntries(Object.entries(evidence).reverse()) as typeof evidence;
    expect(evidenceDigest(reordered)).toBe(evidenceDigest(evidence));
    expect(evidenceDigest(evidenceWith({ scan: { findings: 1 } }))).not.toBe(evidenceDigest(evidence));
  });

  it('refuses evidence that does not follow the contract', () => {
    const broken = { ...evidenceWith(), scan: { present: 'yes' } } as never;
    expect(() => evaluatePolicy(loadPack('baseline'), broken)).toThrow(PolicyError);
  });

  it('takes the frameworks of a rule from the mapping, or from its override per framework', () => {
    const policy = policyFrom(
      `${rule('    expr: scan.present\n', 'policy.scan-present')}${rule('    expr: true == true\n    frameworks:\n      owaspMl: [ML01]\n', 'policy.signature-verified')}`,
    );
    const [mapped, overridden] = evaluatePolicy(policy, evidenceWith()).rules;
    expect(mapped!.frameworks.atlasMitigations).toEqual(['AML.M0016']);
    expect(overridden!.frameworks.owaspMl).toEqual(['ML01']);
    expect(overridden!.frameworks.atlasMitigations).toEqual(['AML.M0013', 'AML.M0014']);
  });
});

describe('combinePolicies', () => {
  it('keeps a rule two packs share once, and digests the parts', () => {
    const combined = combinePolicies([loadPack('baseline'), loadPack('strict')]);
    const ids = combined.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(loadPack('strict').rules.map((r) => r.id));
    expect(combined.name).toBe('baseline + strict');
    expect(combined.digest).toMatch(/^sha256:/);
  });

  it('refuses one rule id with two meanings', () => {
    const a = policyFrom(rule('    expr: scan.present\n'), 'a');
    const b = policyFrom(rule('    expr: scan.errors == 0\n'), 'b');
    expect(() => combinePolicies([a, b])).toThrow(/rule test\.rule is defined differently in a\.yaml and b\.yaml/);
  });
});
