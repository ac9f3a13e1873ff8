import type { Finding, Location } from './finding.js';
import type { RuleInfo } from './rule.js';

/** A finding of a catalog rule: title, severity, category, remediation and references come from the rule. */
export function ruleFinding(
  ruleId: string,
  rule: RuleInfo,
  location: Location,
  evidence: string,
  properties?: Finding['properties'],
): Finding {
  return {
    ruleId,
    title: rule.title,
    severity: rule.severity,
    category: rule.category,
    location,
    evidence,
    remediation: rule.remediation,
    references: [...rule.references],
    ...(properties ? { properties } : {}),
  };
}
