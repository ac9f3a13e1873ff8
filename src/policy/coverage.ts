import type { Evidence, GateDecision } from '../contracts/index.js';
import { type FrameworkId, frameworkIds, frameworks } from './controls.js';
import { frameworksFor } from './mappings.js';

export type ControlStatus = 'met' | 'not-met' | 'gap';

export interface CoveringRule {
  readonly id: string;
  /** The policy whose decision it came from (the first, for a rule several policies share). */
  readonly policy: string;
  readonly passed: boolean;
  readonly reason: string;
}

export interface ControlCoverage {
  readonly id: string;
  readonly title: string;
  /**
   * `not-met`: a rule mapped to the control failed; `met`: rules mapped to it applied and all held;
   * `gap`: no rule of the decisions applied to it, so nothing shows it either way.
   */
  readonly status: ControlStatus;
  /** The rules that applied and are mapped to the control. */
  readonly rules: readonly CoveringRule[];
  /** Rule ids of scan and data-scan findings in the evidence that bear on the control. */
  readonly findings: readonly string[];
}

export interface FrameworkCoverage {
  readonly id: FrameworkId;
  readonly title: string;
  readonly url: string;
  readonly controls: readonly ControlCoverage[];
  readonly counts: Readonly<Record<ControlStatus, number>>;
}

/**
 * Per framework, each control of the catalog with what the decisions say about it and which findings
 * in the evidence bear on it: the controls met, those not met, and the gaps no rule gives evidence for.
 */
export function complianceCoverage(
  evidence: Evidence | undefined,
  decisions: readonly GateDecision[],
): FrameworkCoverage[] {
  const findingRules = evidence ? [...new Set([...evidence.scan.rules, ...evidence.dataScan.rules])].sort() : [];
  const findingRefs = findingRules.map((id) => ({ id, refs: frameworksFor(id) }));
  // Rules that applied, once each: packs share rules, and a shared rule has one result per evidence.
  const applied = new Map<string, { covering: CoveringRule; refs: GateDecision['rules'][number]['frameworks'] }>();
  for (const decision of decisions) {
    for (const rule of decision.rules) {
      if (rule.skipped || applied.has(rule.id)) continue;
      const covering = { id: rule.id, policy: decision.policy.name, passed: rule.passed, reason: rule.reason };
      applied.set(rule.id, { covering, refs: rule.frameworks });
    }
  }
  return frameworkIds.map((framework) => {
    const catalog = frameworks[framework];
    const controls = Object.entries(catalog.controls).map(([id, title]): ControlCoverage => {
      const rules = [...applied.values()]
        .filter(({ refs }) => refs[framework].includes(id))
        .map(({ covering }) => covering);
      return {
        id,
        title,
        status: rules.length === 0 ? 'gap' : rules.some((rule) => !rule.passed) ? 'not-met' : 'met',
        rules,
        findings: findingRefs.filter((finding) => finding.refs[framework].includes(id)).map((finding) => finding.id),
      };
    });
    const counts = { met: 0, 'not-met': 0, gap: 0 };
    for (const control of controls) counts[control.status]++;
    return { id: framework, title: catalog.title, url: catalog.url, controls, counts };
  });
}
