import type { PolicyDocument } from '../policy-schema.js';

type RuleBody = Omit<PolicyDocument['rules'][number], 'id'>;

const count = (field: string, noun: string) => `string(${field}) + " ${noun}"`;

/**
 * Every rule of the shipped packs, written once; a pack lists the ids it takes. Each is a policy rule
 * as a user would write it in YAML (the packs are rendered to YAML and loaded like any policy file).
 */
export const packRules = {
  'policy.scan-present': {
    title: 'The model was scanned',
    severity: 'high',
    expr: 'scan.present',
    reason: 'scan.present ? "model scan report present" : "no model scan report"',
    remediation: 'Scan the model (mlsecops scan) before it ships.',
  },
  'policy.no-critical-findings': {
    title: 'No critical model-scan findings',
    severity: 'critical',
    expr: 'scan.bySeverity.critical == 0',
    reason: `${count('scan.bySeverity.critical', 'critical finding(s)')} + (scan.bySeverity.critical > 0 ? "; rules in the scan: " + scan.rules.join(", ") : "")`,
    remediation:
      'Do not load or ship the model; obtain it from a trusted source or convert it to a format without code.',
  },
  'policy.no-high-findings': {
    title: 'No high model-scan findings',
    severity: 'high',
    expr: 'scan.bySeverity.high == 0',
    reason: count('scan.bySeverity.high', 'high finding(s)'),
    remediation: 'Review each high finding of the model scan and remove its cause.',
  },
  'policy.all-files-scanned': {
    title: 'Every model file could be scanned',
    severity: 'high',
    expr: 'scan.errors == 0',
    reason: count('scan.errors', 'file(s) could not be scanned'),
    remediation: 'Find out why the files could not be read or parsed; an unscanned file is an unverified file.',
  },
  'policy.data-scanned': {
    title: 'The training data was scanned',
    severity: 'medium',
    expr: 'dataScan.present',
    reason: 'dataScan.present ? string(dataScan.datasets) + " dataset file(s) scanned" : "no data-scan report"',
    remediation: 'Scan the training data (mlsecops data scan) and pass the report with --data-report.',
  },
  'policy.no-critical-data-findings': {
    title: 'No critical data-scan findings',
    severity: 'critical',
    when: 'dataScan.present',
    expr: 'dataScan.bySeverity.critical == 0',
    reason: count('dataScan.bySeverity.critical', 'critical data finding(s)'),
    remediation: 'Remove the secrets or sensitive records from the training data and retrain.',
  },
  'policy.no-high-data-findings': {
    title: 'No high data-scan findings',
    severity: 'high',
    when: 'dataScan.present',
    expr: 'dataScan.bySeverity.high == 0',
    reason: count('dataScan.bySeverity.high', 'high data finding(s)'),
    remediation: 'Review each high finding of the data scan before training.',
  },
  'policy.no-secrets-in-data': {
    title: 'No credentials in the training data',
    severity: 'high',
    when: 'dataScan.present',
    expr: '!dataScan.rules.exists(r, r.startsWith("secret."))',
    reason: 'string(dataScan.rules.filter(r, r.startsWith("secret.")).size()) + " kind(s) of secret found"',
    remediation: 'Remove and rotate the credentials, then retrain without them.',
  },
  'policy.no-personal-data': {
    title: 'No personal data in the training data',
    severity: 'medium',
    when: 'dataScan.present',
    expr: '!dataScan.rules.exists(r, r.startsWith("pii."))',
    reason: 'string(dataScan.rules.filter(r, r.startsWith("pii.")).size()) + " kind(s) of personal data found"',
    remediation: 'Remove or redact personal data (mlsecops data scan --redact), or document the legal basis.',
  },
  'policy.no-backdoor-indicators': {
    title: 'No backdoor indicators in the training data',
    severity: 'high',
    when: 'dataScan.present',
    expr: '!dataScan.rules.exists(r, r == "poisoning.trigger-token" || r == "poisoning.conflicting-duplicates")',
    reason:
      'dataScan.rules.exists(r, r == "poisoning.trigger-token" || r == "poisoning.conflicting-duplicates") ? "trigger phrases or conflicting duplicates found" : "none found"',
    remediation: 'Review the flagged rows against their source and test the trained model with the flagged phrases.',
  },
  'policy.no-open-critical-incidents': {
    title: 'No open critical incidents',
    severity: 'critical',
    expr: 'incidents.openBySeverity.critical == 0',
    reason: count('incidents.openBySeverity.critical', 'open critical incident(s)'),
    remediation: 'Resolve the open critical incidents on this model first.',
  },
  'policy.no-open-high-incidents': {
    title: 'No open high incidents',
    severity: 'high',
    expr: 'incidents.openBySeverity.high == 0',
    reason: count('incidents.openBySeverity.high', 'open high incident(s)'),
    remediation: 'Resolve or downgrade the open high incidents on this model.',
  },
  'policy.signature-verified': {
    title: 'The model signature verifies',
    severity: 'high',
    expr: 'signature.verified',
    reason:
      'signature.verified ? "signed by " + signature.signer : (signature.present ? "signature present but not verified" : "no signature")',
    remediation:
      'Sign the model (mlsecops sign) and gate with the trust anchor (--public-key, --cert-chain or --identity).',
  },
  'policy.provenance-attested': {
    title: 'Provenance is attested',
    severity: 'high',
    expr: 'attestations.provenance',
    reason: 'attestations.provenance ? "provenance attestation present" : "no provenance attestation"',
    remediation: 'Record how the model was built (mlsecops attest) and ship the attestation with it.',
  },
  'policy.bom-present': {
    title: 'An AI bill of materials is present',
    severity: 'medium',
    expr: 'attestations.bom',
    reason: 'attestations.bom ? "AI-BOM present" : "no AI-BOM"',
    remediation: 'Generate a CycloneDX AI-BOM (mlsecops bom) and ship it with the model.',
  },
  'policy.model-card-intended-use': {
    title: 'The model card states the intended use',
    severity: 'medium',
    expr: '["intended use", "intended uses", "uses", "direct use"].exists(k, k in modelCard.fields && modelCard.fields[k].size() > 0)',
    reason:
      '!modelCard.present ? "no model card" : (["intended use", "intended uses", "uses", "direct use"].exists(k, k in modelCard.fields) ? "intended use stated" : "model card has no intended-use section")',
    remediation: 'Add an "Intended use" section to the model card (README.md).',
  },
  'policy.lineage-datasets': {
    title: 'Training datasets are recorded',
    severity: 'medium',
    expr: 'lineage.datasets.size() > 0 && lineage.datasets.all(d, d.sha256 != "")',
    reason: count('lineage.datasets.size()', 'dataset(s) recorded'),
    remediation: 'Record the training datasets with their digests (mlsecops attest --dataset).',
  },
  'policy.production-approved': {
    title: 'Production releases are approved',
    severity: 'high',
    when: 'subject.alias == "production"',
    expr: 'approvals.approved >= 1 && approvals.rejected == 0',
    reason: `${count('approvals.approved', 'approval(s), ')} + ${count('approvals.rejected', 'rejection(s)')}`,
    remediation: 'Have someone other than the uploader approve the version.',
  },
  'policy.no-drift': {
    title: 'No data drift at the last check',
    severity: 'medium',
    when: 'drift.checked',
    expr: '!drift.drifted',
    reason: 'string(int(drift.share * 100.0)) + "% of columns drifted at " + drift.checkedAt',
    remediation: 'Investigate the drifted columns; retrain or roll back before promoting.',
  },
  'policy.audit-trail': {
    title: 'Every change to the version is in the tamper-evident audit log',
    severity: 'medium',
    when: 'subject.kind == "registry"',
    expr: 'audit.entries > 0',
    reason: 'string(audit.entries) + " audit log entries about this version"',
    remediation: 'Keep models in the registry: uploads, scans, evidence, approvals and promotions are recorded there.',
  },
  'policy.monitored': {
    title: 'Production drift monitoring is set up',
    severity: 'medium',
    when: 'subject.kind == "registry" && subject.alias == "production"',
    expr: 'monitoring.monitored',
    reason:
      'monitoring.monitored ? "a reference profile is registered with the monitor" : "the monitor has no reference profile for this version"',
    remediation:
      'Register the training data profile (mlsecops monitor reference) so production inputs are checked for drift.',
  },
  'policy.assessed': {
    title: 'The model was assessed',
    severity: 'medium',
    expr: 'assessments.robustness.present || assessments.llm.present || assessments.explain.present',
    reason:
      '!(assessments.robustness.present || assessments.llm.present || assessments.explain.present) ? "no assessment" : "assessed:" + (assessments.robustness.present ? " robustness" : "") + (assessments.llm.present ? " llm-probes" : "") + (assessments.explain.present ? " explain" : "")',
    remediation: 'Run a robustness, LLM-probe or explainability assessment and pass it with --assessment.',
  },
  'policy.robust-accuracy': {
    title: 'Robust accuracy is at least 50%',
    severity: 'medium',
    when: 'assessments.robustness.present',
    expr: 'assessments.robustness.robustAccuracy >= 0.5',
    reason: '"robust accuracy " + string(assessments.robustness.robustAccuracy)',
    remediation: 'Harden the model (adversarial training, input preprocessing) and assess it again.',
  },
  'policy.llm-probes-pass': {
    title: 'The model passes the LLM probes',
    severity: 'high',
    when: 'assessments.llm.present',
    expr: 'assessments.llm.failedProbes == 0',
    reason: count('assessments.llm.failedProbes', 'probe(s) failed'),
    remediation: 'Add guardrails or fine-tune against the failed probes (prompt injection, jailbreak, leakage).',
  },
  'policy.no-suspicious-attributions': {
    title: 'No suspicious feature attributions',
    severity: 'medium',
    when: 'assessments.explain.present',
    expr: 'assessments.explain.suspicious == 0',
    reason: count('assessments.explain.suspicious', 'suspicious attribution(s)'),
    remediation: 'Check the flagged features for leakage or shortcut learning.',
  },
} as const satisfies Record<string, RuleBody>;

export type PackRuleId = keyof typeof packRules;
