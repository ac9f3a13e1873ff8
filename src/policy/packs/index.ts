import { stringify } from 'yaml';
import { POLICY_API_VERSION } from '../policy-schema.js';
import { type PackRuleId, packRules } from './rules.js';

interface Pack {
  readonly description: string;
  readonly rules: readonly PackRuleId[];
}

const baseline = [
  'policy.scan-present',
  'policy.no-critical-findings',
  'policy.no-high-findings',
  'policy.all-files-scanned',
  'policy.no-critical-data-findings',
  'policy.no-open-critical-incidents',
] as const satisfies readonly PackRuleId[];

/** The shipped policies: a pack is a name, a description and the rules it takes from the library. */
export const packs = {
  baseline: {
    description:
      'The least a model must show: scanned, every file readable, nothing critical or high in it, nothing critical in its data, no open critical incident.',
    rules: baseline,
  },
  strict: {
    description:
      'Baseline plus proof: a verified signature, provenance, a model card with the intended use, recorded datasets, approval for production, no drift, and assessments.',
    rules: [
      ...baseline,
      'policy.data-scanned',
      'policy.no-high-data-findings',
      'policy.no-open-high-incidents',
      'policy.signature-verified',
      'policy.provenance-attested',
      'policy.bom-present',
      'policy.model-card-intended-use',
      'policy.lineage-datasets',
      'policy.production-approved',
      'policy.no-drift',
      'policy.audit-trail',
      'policy.monitored',
      'policy.assessed',
      'policy.robust-accuracy',
      'policy.llm-probes-pass',
      'policy.no-suspicious-attributions',
    ],
  },
  'owasp-ml-top10': {
    description: 'Rules with evidence for the OWASP Machine Learning Security Top Ten (2023).',
    rules: [
      'policy.scan-present',
      'policy.no-critical-findings',
      'policy.no-high-findings',
      'policy.all-files-scanned',
      'policy.signature-verified',
      'policy.data-scanned',
      'policy.no-backdoor-indicators',
      'policy.no-personal-data',
      'policy.robust-accuracy',
      'policy.no-drift',
    ],
  },
  'owasp-llm-top10': {
    description: 'Rules with evidence for the OWASP Top 10 for LLM Applications (2025).',
    rules: [
      'policy.scan-present',
      'policy.no-critical-findings',
      'policy.no-high-findings',
      'policy.signature-verified',
      'policy.bom-present',
      'policy.data-scanned',
      'policy.no-secrets-in-data',
      'policy.no-personal-data',
      'policy.no-backdoor-indicators',
      'policy.llm-probes-pass',
    ],
  },
  'mitre-atlas': {
    description: 'Rules that check MITRE ATLAS mitigations and look for evidence of ATLAS techniques.',
    rules: [
      'policy.monitored',
      'policy.scan-present',
      'policy.no-critical-findings',
      'policy.no-high-findings',
      'policy.signature-verified',
      'policy.provenance-attested',
      'policy.bom-present',
      'policy.lineage-datasets',
      'policy.no-backdoor-indicators',
      'policy.no-secrets-in-data',
      'policy.robust-accuracy',
      'policy.llm-probes-pass',
    ],
  },
  'nist-ai-rmf': {
    description: 'Rules that produce evidence for NIST AI RMF 1.0 subcategories (MAP, MEASURE, MANAGE).',
    rules: [
      'policy.audit-trail',
      'policy.monitored',
      'policy.model-card-intended-use',
      'policy.scan-present',
      'policy.no-critical-findings',
      'policy.provenance-attested',
      'policy.lineage-datasets',
      'policy.bom-present',
      'policy.no-personal-data',
      'policy.assessed',
      'policy.no-suspicious-attributions',
      'policy.no-drift',
      'policy.no-open-critical-incidents',
      'policy.production-approved',
    ],
  },
  'eu-ai-act': {
    description: 'Rules that produce evidence for EU AI Act obligations on high-risk systems (Art. 10–17, 72–73).',
    rules: [
      'policy.audit-trail',
      'policy.monitored',
      'policy.model-card-intended-use',
      'policy.bom-present',
      'policy.data-scanned',
      'policy.no-critical-data-findings',
      'policy.no-personal-data',
      'policy.no-backdoor-indicators',
      'policy.scan-present',
      'policy.no-critical-findings',
      'policy.signature-verified',
      'policy.assessed',
      'policy.robust-accuracy',
      'policy.production-approved',
      'policy.no-drift',
      'policy.no-open-critical-incidents',
    ],
  },
} as const satisfies Record<string, Pack>;

export type PackName = keyof typeof packs;
export const packNames = Object.keys(packs) as PackName[];

export function isPackName(name: string): name is PackName {
  return Object.hasOwn(packs, name);
}

/** A pack as a policy file, exactly what `--policy pack:<name>` loads (and what a user can copy). */
export function packYaml(name: PackName): string {
  const pack: Pack = packs[name];
  return stringify(
    {
      apiVersion: POLICY_API_VERSION,
      kind: 'Policy',
      name,
      description: pack.description,
      rules: pack.rules.map((id) => ({ id, ...packRules[id] })),
    },
    { lineWidth: 0 },
  );
}

/** Every rule id a pack uses. */
export function packRuleIds(): string[] {
  return Object.keys(packRules);
}
