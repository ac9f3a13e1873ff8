import {
  atlas,
  buildReport,
  type Finding,
  type FrameworkRefs,
  type GateDecision,
  owaspLlm,
  owaspMl,
  type Reference,
  type Report,
  type RuleInfo,
} from '../contracts/index.js';
import { toolVersion } from '../version.js';
import { frameworksFor } from './mappings.js';
import type { Policy } from './policy-schema.js';

/** Framework references in the report vocabulary; NIST and EU AI Act ids go to the finding's properties. */
export function referencesOf(refs: FrameworkRefs): Reference[] {
  return [
    ...refs.atlasTechniques.map(atlas),
    ...refs.atlasMitigations.map(
      (id): Reference => ({ kind: 'mitre-atlas', id, url: `https://atlas.mitre.org/mitigations/${id}` }),
    ),
    ...refs.owaspMl.map(owaspMl),
    ...refs.owaspLlm.map(owaspLlm),
  ];
}

/**
 * A decision as a project report, so the renderers (table, JSON, SARIF) and the exit-code rule work
 * unchanged: one finding per failed rule, with the rule's id and severity; passed and skipped rules
 * leave no finding. `target` is the path or reference findings are located at.
 */
export function decisionToReport(decision: GateDecision, policy: Policy, target: string): Report {
  const remediation = new Map(policy.rules.map((rule) => [rule.id, rule.remediation]));
  const findings: Finding[] = decision.rules
    .filter((rule) => !rule.passed)
    .map((rule) => ({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      category: 'policy',
      location: { path: target },
      evidence: rule.reason,
      remediation: remediation.get(rule.id) ?? `Meet the policy rule ${rule.id}.`,
      references: referencesOf(rule.frameworks),
      properties: {
        policy: decision.policy.name,
        policyDigest: decision.policy.digest,
        evidenceDigest: decision.evidenceDigest,
        ...(rule.frameworks.nistAiRmf.length ? { nistAiRmf: rule.frameworks.nistAiRmf.join('; ') } : {}),
        ...(rule.frameworks.euAiAct.length ? { euAiAct: rule.frameworks.euAiAct.join('; ') } : {}),
      },
    }));
  // The report contract has no kind for gate decisions yet; a decision is about a model.
  return buildReport({
    kind: 'policy-gate',
    version: toolVersion,
    startedAt: decision.evaluatedAt,
    targets: [target],
    files: [],
    findings,
  });
}

/** The policy's rules as a rule catalog (SARIF's rule table). */
export function policyCatalog(policy: Policy): Record<string, RuleInfo> {
  return Object.fromEntries(
    policy.rules.map((rule) => [
      rule.id,
      {
        title: rule.title,
        severity: rule.severity,
        category: 'policy',
        description: `${rule.when ? `When ${rule.when.source}: ` : ''}${rule.expr.source}`,
        remediation: rule.remediation ?? `Meet the policy rule ${rule.id}.`,
        references: referencesOf(frameworksFor(rule.id, rule.frameworks)),
      },
    ]),
  );
}
