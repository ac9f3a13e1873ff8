import { describe, expect, it } from 'vitest';
import { explainRules, llmRules, robustnessRules } from '../assess/index.js';
import { changeControlRuleIds } from './change-control.js';
import { controlTitle, type FrameworkId, frameworkIds, frameworks } from './controls.js';
import { complianceCoverage } from './coverage.js';
import { evaluatePolicy } from './evaluate.js';
import { allMappings, frameworksFor, mappingsFor, productRules } from './mappings.js';
import { packNames, packRuleIds } from './packs/index.js';
import { loadPack } from './policies.js';
import { evidenceWith } from './test-support.js';

// The assessment catalogs live in a service (src/assess); a test may read them.
const assessmentRuleIds = [robustnessRules, llmRules, explainRules].flatMap((catalog) => Object.keys(catalog));
const everyRuleId = [
  ...productRules().map((rule) => rule.id),
  ...packRuleIds(),
  ...changeControlRuleIds,
  ...assessmentRuleIds,
];

describe('compliance mapping', () => {
  it('knows the rules of every engine: scan, data scan and drift', () => {
    const engines = new Set(productRules().map((rule) => rule.engine));
    expect(engines).toEqual(new Set(['scan', 'data', 'drift']));
    expect(everyRuleId).toEqual(
      expect.arrayContaining(['pickle.dangerous-global', 'secret.private-key', 'drift.dataset', 'policy.scan-present']),
    );
  });

  it.each(everyRuleId)('maps %s to at least one control', (id) => {
    const refs = frameworksFor(id);
    expect(frameworkIds.flatMap((framework) => refs[framework]).length).toBeGreaterThan(0);
  });

  it('names only controls of the control catalog', () => {
    const unknown = allMappings.flatMap((mapping) =>
      (Object.entries(mapping.frameworks) as [FrameworkId, string[]][]).flatMap(([framework, ids]) =>
        ids.filter((id) => !controlTitle(framework, id)).map((id) => `${framework}:${id}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('gives a reason for every mapping, and every mapping covers some rule', () => {
    for (const mapping of allMappings) {
      expect(mapping.reason.length).toBeGreaterThan(20);
      expect(everyRuleId.some((id) => mappingsFor(id).includes(mapping))).toBe(true);
    }
  });

  it('maps by catalog category, so a code-execution rule of any format maps alike', () => {
    expect(frameworksFor('keras.dangerous-import')).toEqual(frameworksFor('pickle.dangerous-global'));
    expect(frameworksFor('pickle.dangerous-global')).toMatchObject({
      owaspMl: ['ML06'],
      atlasTechniques: ['AML.T0010', 'AML.T0010.003', 'AML.T0011', 'AML.T0011.000'],
      atlasMitigations: ['AML.M0016'],
    });
    expect(frameworksFor('poisoning.trigger-token').atlasTechniques).toEqual(
      expect.arrayContaining(['AML.T0020', 'AML.T0018']),
    );
    expect(frameworksFor('not.a-rule')).toEqual(Object.fromEntries(frameworkIds.map((framework) => [framework, []])));
  });

  it('uses well-formed ids in the control catalog', () => {
    const patterns: Record<FrameworkId, RegExp> = {
      owaspMl: /^ML(0[1-9]|10)$/,
      owaspLlm: /^LLM(0[1-9]|10)$/,
      atlasTechniques: /^AML\.T\d{4}(\.\d{3})?$/,
      atlasMitigations: /^AML\.M\d{4}$/,
      nistAiRmf: /^(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+$/,
      euAiAct: /^Art\. \d+(\(\d+\)(\([a-z]\))?)?$/,
    };
    for (const framework of frameworkIds) {
      for (const id of Object.keys(frameworks[framework].controls)) expect(id).toMatch(patterns[framework]);
    }
  });
});

describe('complianceCoverage', () => {
  it('says per control whether it is met, not met, or a gap, and which findings bear on it', () => {
    const evidence = evidenceWith({
      scan: { present: true, findings: 1, bySeverity: { critical: 1 }, rules: ['pickle.dangerous-global'] },
    });
    const decisions = packNames.map((name) => evaluatePolicy(loadPack(name), evidence));
    const coverage = complianceCoverage(evidence, decisions);
    expect(coverage.map((framework) => framework.id)).toEqual(frameworkIds);
    const owaspMl = coverage.find((framework) => framework.id === 'owaspMl')!;
    const ml06 = owaspMl.controls.find((control) => control.id === 'ML06')!;
    expect(ml06.status).toBe('not-met');
    expect(ml06.findings).toEqual(['pickle.dangerous-global']);
    expect(ml06.rules).toContainEqual(
      expect.objectContaining({ id: 'policy.no-critical-findings', passed: false, policy: 'baseline' }),
    );
    // A shared rule is listed once, from the first policy that has it.
    expect(ml06.rules.filter((rule) => rule.id === 'policy.no-critical-findings')).toHaveLength(1);
    const nist = coverage.find((framework) => framework.id === 'nistAiRmf')!;
    expect(nist.controls.find((control) => control.id === 'MANAGE 4.3')!.status).toBe('met');
    const counts = Object.values(owaspMl.counts).reduce((a, b) => a + b, 0);
    expect(counts).toBe(owaspMl.controls.length);
    // Skipped rules (no drift check, no LLM probes) leave their controls without evidence.
    expect(owaspMl.controls.find((control) => control.id === 'ML08')!.status).toBe('gap');
  });
});
