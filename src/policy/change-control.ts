import { stringify } from 'yaml';
import { parsePolicy } from './load-policy.js';
import { POLICY_API_VERSION, type Policy } from './policy-schema.js';

/** What a version must show before an alias may point to it: the registry's change-control settings. */
export interface GatePolicy {
  /** Approvals needed, by principals other than the uploader, per alias (default for any other alias). */
  readonly approvals: Readonly<Record<string, number>> & { readonly default: number };
  /** Aliases that may only point to versions with a verified signature. */
  readonly requireSignature?: readonly string[];
  /** Evidence a version must carry per alias: a model card, lineage (datasets or code). */
  readonly requireEvidence?: Readonly<Record<string, readonly ('modelCard' | 'lineage')[]>>;
}

export const defaultGatePolicy: GatePolicy = { approvals: { production: 1, default: 0 } };

const quote = (value: string) => JSON.stringify(value);
const aliasesIn = (aliases: readonly string[]) => `subject.alias in [${aliases.map(quote).join(', ')}]`;

/**
 * The change-control settings as a policy, so the promotion gate is one engine: the scan verdict,
 * approvals per alias, and the signature and evidence some aliases require. Configured policies
 * (`serve --gate-policy`) are evaluated beside it.
 */
export function changeControlPolicy(settings: GatePolicy): Policy {
  const { default: fallback, ...perAlias } = settings.approvals;
  // The approvals an alias needs, as a CEL expression: per-alias counts, else the default.
  const needed = Object.entries(perAlias).reduceRight(
    (otherwise, [alias, count]) => `(subject.alias == ${quote(alias)} ? ${count} : ${otherwise})`,
    String(fallback),
  );
  const rules: Record<string, unknown>[] = [
    {
      id: 'registry.scan',
      title: 'The upload scan found nothing blocking',
      severity: 'critical',
      expr: 'scan.status == "available"',
      reason: 'scan.status == "available" ? "latest scan clean" : "version is " + scan.status',
    },
    {
      id: 'registry.approvals',
      title: 'Approved by others than the uploader, and rejected by nobody',
      severity: 'high',
      expr: `approvals.approved >= ${needed} && approvals.rejected == 0`,
      reason: `string(approvals.approved) + " of " + string(${needed}) + " approvals by others than the uploader" + (approvals.rejected > 0 ? ", " + string(approvals.rejected) + " rejection(s)" : "")`,
    },
  ];
  if (settings.requireSignature?.length) {
    rules.push({
      id: 'registry.signature',
      title: 'Signed, and the signature verified',
      severity: 'high',
      when: aliasesIn(settings.requireSignature),
      expr: 'signature.verified',
      reason: 'signature.verified ? "signed, verified with " + signature.signer : "no verified signature"',
    });
  }
  const required = (kind: 'modelCard' | 'lineage') =>
    Object.entries(settings.requireEvidence ?? {})
      .filter(([, kinds]) => kinds.includes(kind))
      .map(([alias]) => alias);
  if (required('modelCard').length) {
    rules.push({
      id: 'registry.model-card',
      title: 'A model card is attached',
      severity: 'medium',
      when: aliasesIn(required('modelCard')),
      expr: 'modelCard.present',
      reason: 'modelCard.present ? "model card present" : "no model card"',
    });
  }
  if (required('lineage').length) {
    rules.push({
      id: 'registry.lineage',
      title: 'Lineage (datasets or code) is recorded',
      severity: 'medium',
      when: aliasesIn(required('lineage')),
      expr: 'lineage.datasets.size() + lineage.code.size() > 0',
      reason: 'lineage.datasets.size() + lineage.code.size() > 0 ? "lineage present" : "no lineage"',
    });
  }
  const text = stringify({
    apiVersion: POLICY_API_VERSION,
    kind: 'Policy',
    name: 'registry-change-control',
    description: 'The registry settings for promotion: scan verdict, approvals, required signature and evidence.',
    rules,
  });
  const parsed = parsePolicy(text, 'registry settings');
  if (!parsed.ok) throw new Error(`change-control policy: ${parsed.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.policy;
}

/** The ids of every rule the change-control policy can have (for the framework mapping). */
export const changeControlRuleIds = changeControlPolicy({
  approvals: { default: 0 },
  requireSignature: ['production'],
  requireEvidence: { production: ['modelCard', 'lineage'] },
}).rules.map((rule) => rule.id);
