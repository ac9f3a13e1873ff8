import { atlas, owaspMl, type RuleInfo } from '../../contracts/index.js';

/** The rules of `assess explain`: stable ids, one entry each. */
export const explainRules = {
  'explain.identifier-importance': {
    title: 'An identifier-like column drives predictions',
    severity: 'high',
    category: 'leakage',
    description:
      'A column that looks like a row identifier (named like id/index/uuid, every value a distinct integer, or ' +
      'strictly increasing with the row order) carries a large share of the importance. Identifiers hold no ' +
      'signal about the world; a model that relies on one learned how the training data was collected or ' +
      'sorted (target leakage), or was tampered with, and will fail on new data.',
    remediation:
      'Drop identifier columns from the model input, check how the training set was assembled and split ' +
      '(sorting by label, joins that leak the target), retrain and re-assess.',
    references: [atlas('AML.T0020'), owaspMl('ML02')],
  },
  'explain.dominant-feature': {
    title: 'One feature dominates the model',
    severity: 'medium',
    category: 'leakage',
    description:
      'A single feature holds more than the --dominance share of the total importance. It may be legitimate, but it is the typical signature of a proxy for the label (leakage) or of a manipulated model, and a model this dependent on one input is easy to steer.',
    remediation:
      'Confirm with the data owners that the feature is available at prediction time and is not derived from ' +
      'the label; if it is legitimate, document it and monitor it for drift and manipulation.',
    references: [atlas('AML.T0018'), owaspMl('ML02'), owaspMl('ML10')],
  },
  'explain.concentrated-attribution': {
    title: 'A feature matters only on a few rows (possible backdoor trigger)',
    severity: 'high',
    category: 'backdoor',
    description:
      'The attributions of one feature are large on a small fraction of rows and near zero on the rest. A ' +
      'backdoor trigger behaves this way: a rare value that flips the prediction whenever it is present, ' +
      'planted by poisoning the training data or editing the model.',
    remediation:
      'Inspect the flagged rows and the values of the feature there; look for those values in the training data ' +
      'with their labels; retrain from trusted data or apply a backdoor removal (fine-pruning) before promotion.',
    references: [atlas('AML.T0020'), atlas('AML.T0018'), owaspMl('ML02'), owaspMl('ML10')],
  },
} as const satisfies Record<string, RuleInfo>;

export type ExplainRuleId = keyof typeof explainRules;
