import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../evaluate.js';
import { PolicyError } from '../issues.js';
import { parsePolicy } from '../load-policy.js';
import { loadPack, loadPolicy } from '../policies.js';
import { evidenceWith } from '../test-support.js';
import { packNames, packRuleIds, packs, packYaml } from './index.js';

describe('shipped policy packs', () => {
  it('ships the seven packs', () => {
    expect(packNames).toEqual([
      'baseline',
      'strict',
      'owasp-ml-top10',
      'owasp-llm-top10',
      'mitre-atlas',
      'nist-ai-rmf',
      'eu-ai-act',
    ]);
  });

  it.each(packNames)('%s loads and type-checks as a policy file', (name) => {
    const parsed = parsePolicy(packYaml(name), `pack:${name}`);
    if (!parsed.ok) throw new Error(parsed.issues.map((issue) => issue.message).join('\n'));
    expect(parsed.policy.name).toBe(name);
    expect(parsed.policy.rules.map((rule) => rule.id)).toEqual([...packs[name].rules]);
    // Every rule runs without error over empty evidence and over busy evidence.
    for (const evidence of [evidenceWith(), busyEvidence]) {
      const decision = evaluatePolicy(parsed.policy, evidence);
      expect(decision.rules.filter((rule) => rule.error)).toEqual([]);
    }
  });

  it('uses every rule of the library in some pack', () => {
    const used = new Set(Object.values(packs).flatMap((pack) => pack.rules));
    expect(packRuleIds().filter((id) => !used.has(id as never))).toEqual([]);
  });

  it('strict holds everything baseline does', () => {
    expect(packs.strict.rules).toEqual(expect.arrayContaining([...packs.baseline.rules]));
  });

  it('loads by reference, and names the packs when one does not exist', async () => {
    expect((await loadPolicy('pack:baseline')).source).toBe('pack:baseline');
    expect(() => loadPack('nope')).toThrow(PolicyError);
    expect(() => loadPack('nope')).toThrow(/packs: baseline, strict/);
  });

  it('baseline passes a clean, scanned model and fails a malicious one', () => {
    const clean = evaluatePolicy(loadPack('baseline'), evidenceWith({ scan: { present: true, status: 'clean' } }));
    expect(clean.passed).toBe(true);
    const malicious = evaluatePolicy(loadPack('baseline'), busyEvidence);
    expect(malicious.rules.filter((rule) => !rule.passed).map((rule) => rule.id)).toEqual([
      'policy.no-critical-findings',
      'policy.all-files-scanned',
      'policy.no-critical-data-findings',
    ]);
  });

  it('strict asks for approvals only for production', () => {
    const strict = loadPack('strict');
    const production = evaluatePolicy(strict, evidenceWith({ subject: { alias: 'production' } }));
    const staging = evaluatePolicy(strict, evidenceWith({ subject: { alias: 'staging' } }));
    const approval = (decision: typeof production) => decision.rules.find((r) => r.id === 'policy.production-approved');
    expect(approval(production)).toMatchObject({ passed: false, skipped: false });
    expect(approval(staging)).toMatchObject({ passed: true, skipped: true });
  });
});

const busyEvidence = evidenceWith({
  subject: { alias: 'production', version: 4, digest: 'sha256:ab' },
  scan: {
    present: true,
    status: 'findings',
    findings: 3,
    bySeverity: { critical: 1, medium: 2 },
    rules: ['pickle.dangerous-global', 'pickle.unknown-global'],
    errors: 1,
  },
  dataScan: {
    present: true,
    datasets: 2,
    findings: 4,
    bySeverity: { critical: 1, medium: 3 },
    rules: ['pii.email', 'secret.private-key', 'poisoning.trigger-token'],
  },
  signature: { present: true, verified: true, signer: 'release@example.com', subject: 'sha256:ab' },
  attestations: { provenance: true, bom: true },
  modelCard: { present: true, fields: { 'intended use': 'Ticket triage.' }, length: 400 },
  lineage: { datasets: [{ name: 'train.csv', sha256: 'cd' }], code: [{ uri: 'git+https://x', commit: 'ef' }] },
  drift: { checked: true, drifted: true, share: 0.6, checkedAt: '2026-01-01T00:00:00Z' },
  approvals: { approved: 1, rejected: 0, approvers: ['alice'] },
  assessments: {
    robustness: { present: true, robustAccuracy: 0.42 },
    llm: { present: true, failedProbes: 2 },
    explain: { present: true, suspicious: 1 },
  },
});
