import { describe, expect, it } from 'vitest';
import { emptyEvidence } from '../contracts/index.js';
import { changeControlPolicy } from './change-control.js';
import { frameworkIds } from './controls.js';
import { evaluatePolicy } from './evaluate.js';
import { frameworksFor } from './mappings.js';

const everything = changeControlPolicy({
  approvals: { production: 2, staging: 1, default: 0 },
  requireSignature: ['production'],
  requireEvidence: { production: ['modelCard', 'lineage'] },
});

const evidence = (alias: string, approved: number) => ({
  ...emptyEvidence({ kind: 'registry', name: 'ranker', version: 1, digest: null, alias }),
  scan: {
    ...emptyEvidence({ kind: 'registry', name: '', version: null, digest: null, alias: null }).scan,
    present: true,
    status: 'available',
  },
  approvals: { approved, rejected: 0, approvers: [] },
});

describe('the change-control settings as a policy', () => {
  it('has every setting as a rule, each mapped to a framework control', () => {
    expect(everything.rules.map((rule) => rule.id)).toEqual([
      'registry.scan',
      'registry.approvals',
      'registry.signature',
      'registry.model-card',
      'registry.lineage',
    ]);
    for (const rule of everything.rules) {
      const refs = frameworksFor(rule.id);
      expect(frameworkIds.flatMap((framework) => refs[framework]).length, rule.id).toBeGreaterThan(0);
    }
  });

  it.each([
    ['production', 1, false, '1 of 2 approvals by others than the uploader'],
    ['production', 2, false, '2 of 2 approvals by others than the uploader'],
    ['staging', 1, true, '1 of 1 approvals by others than the uploader'],
    ['canary', 0, true, '0 of 0 approvals by others than the uploader'],
  ])('gates %s with %i approvals: passed %s', (alias, approved, passed, reason) => {
    const decision = evaluatePolicy(everything, evidence(alias, approved));
    expect(decision.rules.find((rule) => rule.id === 'registry.approvals')?.reason).toBe(reason);
    // Production also needs a verified signature, a model card and lineage, which this version lacks.
    expect(decision.passed).toBe(passed);
    const signature = decision.rules.find((rule) => rule.id === 'registry.signature');
    expect(signature?.skipped).toBe(alias !== 'production');
  });
});
