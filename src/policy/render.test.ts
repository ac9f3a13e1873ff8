import { describe, expect, it } from 'vitest';
import { exitCodeFor, reportSchema } from '../contracts/index.js';
import { evaluatePolicy } from './evaluate.js';
import { loadPack } from './policies.js';
import { renderDecisionMarkdown, renderDecisionText } from './render.js';
import { evidenceWith, policyFrom } from './test-support.js';
import { decisionToReport, policyCatalog } from './to-report.js';

const malicious = evidenceWith({
  subject: { alias: 'production' },
  scan: { present: true, findings: 1, bySeverity: { critical: 1 }, rules: ['pickle.dangerous-global'] },
});

describe('a decision as a project report', () => {
  it('has one finding per failed rule, with its id, severity and framework references', () => {
    const policy = loadPack('strict');
    const decision = evaluatePolicy(policy, malicious);
    const report = reportSchema.parse(decisionToReport(decision, policy, './model'));
    const failed = decision.rules.filter((rule) => !rule.passed);
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(failed.map((rule) => rule.id));
    const critical = report.findings.find((finding) => finding.ruleId === 'policy.no-critical-findings')!;
    expect(critical).toMatchObject({
      severity: 'critical',
      category: 'policy',
      location: { path: './model' },
      evidence: '1 critical finding(s); rules in the scan: pickle.dangerous-global',
      properties: { policy: 'strict', evidenceDigest: decision.evidenceDigest, euAiAct: 'Art. 15(5)' },
    });
    expect(critical.references.map((ref) => ref.id)).toEqual(
      expect.arrayContaining(['AML.T0010.003', 'AML.M0016', 'ML06', 'LLM03']),
    );
    expect(exitCodeFor(report, 'critical')).toBe(1);
    expect(exitCodeFor(decisionToReport(evaluatePolicy(policy, evidenceWith()), policy, 'm'), 'critical')).toBe(0);
    expect(policyCatalog(policy)['policy.production-approved']).toMatchObject({
      severity: 'high',
      description: 'When subject.alias == "production": approvals.approved >= 1 && approvals.rejected == 0',
    });
  });
});

describe('rendering a decision', () => {
  it('writes markdown with a verdict header and one table row per rule, cells escaped', () => {
    const policy = policyFrom(
      `  - id: test.pipes\n    title: A | B\n    severity: low\n    expr: scan.present\n    reason: '"no | scan <here>"'\n`,
    );
    const markdown = renderDecisionMarkdown(evaluatePolicy(policy, malicious));
    expect(markdown).toMatch(/^## ✅ mlsecops gate: passed\n\nPolicy \*\*test\*\* on `model` for alias `production`\./);
    expect(markdown).toContain('| `test.pipes` A \\| B (low) | ✅ pass | no \\| scan &lt;here> |');
  });

  it('writes text with every rule, its outcome and why', () => {
    const text = renderDecisionText(evaluatePolicy(loadPack('baseline'), malicious));
    expect(text).toMatch(/^FAILED {2}policy baseline \(sha256:[0-9a-f]{12}…\)\nsubject model\n/);
    expect(text).toMatch(/ {2}FAIL {2}critical {2}policy\.no-critical-findings +No critical model-scan findings\n/);
    expect(text).toMatch(/ {2}SKIP {2}critical {2}policy\.no-critical-data-findings/);
    expect(text).toContain('6 rule(s): 1 failed, 4 passed, 1 skipped');
  });
});
