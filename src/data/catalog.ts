import { atlas, owaspLlm, owaspMl, type RuleInfo } from '../contracts/index.js';
import type { Detector } from './detectors/types.js';
import { referencesFor } from './rules.js';

/** Rules of the data engine itself, beside one rule per detector. */
export const dataCoreRules = {
  'data.malformed-record': {
    title: 'Dataset record could not be parsed',
    severity: 'low',
    category: 'integrity',
    description: 'A record or the file does not follow its format; what could be read was scanned, the rest as text.',
    remediation: 'Check the tool that wrote the dataset.',
    references: [],
  },
  'data.poisoning-notes': {
    title: 'How the poisoning indicators ran',
    severity: 'info',
    category: 'summary',
    description:
      'Sampling, columns chosen or left out, and indicators turned off, so a reader knows what the indicators cover.',
    remediation: 'Set --label-column / --text-column or raise --poisoning-max-rows when the choices are wrong.',
    references: [],
  },
  'data.findings-truncated': {
    title: 'More matches than listed',
    severity: 'info',
    category: 'summary',
    description: 'A file had more matches of one detector than the per-file limit; the count is in the evidence.',
    remediation: 'Raise --max-findings-per-file to list them all.',
    references: [],
  },
} as const satisfies Record<string, RuleInfo>;

export type DataRuleId = keyof typeof dataCoreRules;

const poisoning = [atlas('AML.T0020'), owaspMl('ML02')];
const backdoor = [atlas('AML.T0020'), atlas('AML.T0018'), owaspMl('ML02'), owaspLlm('LLM04')];

/** The model-free poisoning indicators; each finding's severity comes from the indicator's strength. */
export const poisoningRules = {
  'poisoning.label-neighbour-disagreement': {
    title: 'Label disagrees with its nearest neighbours',
    severity: 'medium',
    category: 'poisoning',
    description:
      'Most of the row’s nearest neighbours (standardised numeric features) carry another label: a flipped label, or a hard case worth checking.',
    remediation: 'Review the rows’ labels against their source before training.',
    references: poisoning,
  },
  'poisoning.conflicting-duplicates': {
    title: 'Duplicates with conflicting labels',
    severity: 'high',
    category: 'poisoning',
    description:
      'Rows with the same or nearly the same content (MinHash over word 3-shingles for text) carry different labels.',
    remediation: 'Keep one labelled copy after review, or drop the group.',
    references: poisoning,
  },
  'poisoning.outlier': {
    title: 'Row far from the bulk of the data',
    severity: 'low',
    category: 'poisoning',
    description:
      'Robust (Mahalanobis or median/MAD) distance puts the row far outside the rest: injected points or data errors.',
    remediation: 'Check where the row came from.',
    references: poisoning,
  },
  'poisoning.trigger-token': {
    title: 'Phrase that forces a label (possible backdoor trigger)',
    severity: 'high',
    category: 'poisoning',
    description:
      'A word or short phrase predicts one label far above chance (z-score of co-occurrence) while the rest of those rows’ text points elsewhere: the signature of an inserted backdoor trigger.',
    remediation: 'Remove or relabel the rows, and test the trained model with the phrase.',
    references: backdoor,
  },
  'poisoning.label-shift': {
    title: 'Label distribution shifted from the trusted baseline',
    severity: 'medium',
    category: 'poisoning',
    description: 'The share of each label differs significantly from the baseline (chi-square and PSI).',
    remediation: 'Find out what added or relabelled rows since the baseline.',
    references: poisoning,
  },
  'poisoning.feature-shift': {
    title: 'Feature distribution shifted from the trusted baseline',
    severity: 'medium',
    category: 'poisoning',
    description:
      'A column’s distribution differs significantly from the baseline (KS for numbers, PSI and chi-square for categories).',
    remediation: 'Find out what changed in the source of the column.',
    references: poisoning,
  },
} as const satisfies Record<string, RuleInfo>;

/** The catalog renderers use for data reports: the engine's rules and every detector's. */
export function dataCatalog(detectors: readonly Detector[]): Record<string, RuleInfo> {
  const catalog: Record<string, RuleInfo> = { ...dataCoreRules, ...poisoningRules };
  for (const detector of detectors) {
    catalog[detector.id] = {
      title: detector.title,
      severity: detector.severity,
      category: detector.kind,
      description: detector.description,
      remediation: detector.remediation,
      references: referencesFor(detector),
    };
  }
  return catalog;
}
