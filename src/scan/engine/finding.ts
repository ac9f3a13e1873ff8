import type { Finding } from '../../contracts/index.js';
import { rules } from '../rules.js';
import type { FindingDraft } from '../types.js';

/** A finding from a draft: text, default severity and references come from the rule catalog. */
export function makeFinding(path: string, member: string | undefined, draft: FindingDraft): Finding {
  const rule = rules[draft.ruleId];
  const references = [...rule.references, ...(draft.references ?? [])].filter(
    (ref, index, all) => all.findIndex((other) => other.id === ref.id) === index,
  );
  const finding: Finding = {
    ruleId: draft.ruleId,
    title: draft.title ?? rule.title,
    severity: draft.severity ?? rule.severity,
    category: draft.category ?? rule.category,
    location: {
      path,
      ...(member === undefined ? {} : { member }),
      ...(draft.offset === undefined ? {} : { offset: draft.offset }),
    },
    evidence: draft.evidence,
    remediation: rule.remediation,
    references,
  };
  if (draft.properties) finding.properties = draft.properties;
  return finding;
}
