import { atlas, type Finding, owaspMl, type RuleInfo, ruleFinding } from '../../contracts/index.js';

const evasion = [atlas('AML.T0015'), atlas('AML.T0043'), owaspMl('ML01')];

/** The rules of the robustness assessment. */
export const robustnessRules = {
  'robustness.low-robust-accuracy': {
    title: 'Low robust accuracy under black-box evasion attacks',
    severity: 'high',
    category: 'robustness',
    description:
      'At the headline perturbation budget, the weakest of the black-box attacks (score-based L∞ and L2, decision-based L2) leaves fewer samples correctly classified than --min-robust-accuracy.',
    remediation:
      'Train with adversarial examples or randomized smoothing, limit what the endpoint returns (labels, not scores), rate-limit queries per client, and validate inputs against the training range.',
    references: evasion,
  },
  'robustness.noise-sensitive': {
    title: 'Accuracy drops under small random noise',
    severity: 'medium',
    category: 'robustness',
    description:
      'At the smallest budget, uniform or Gaussian random noise lowers accuracy by more than --max-noise-drop: the model is brittle without any attacker.',
    remediation: 'Augment training with noise, check input preprocessing and scaling, and consider input denoising.',
    references: evasion,
  },
  'robustness.low-clean-accuracy': {
    title: 'Low accuracy on the labelled data',
    severity: 'medium',
    category: 'robustness',
    description:
      'Accuracy on the unperturbed labelled data is below --min-clean-accuracy; robustness figures mean little for a model that is already wrong.',
    remediation:
      'Check that the data, the label column and the feature order match the model, then retrain or recalibrate.',
    references: [owaspMl('ML01')],
  },
  'robustness.adversarial-example': {
    title: 'Adversarial example found',
    severity: 'info',
    category: 'robustness',
    description: 'A small perturbation of a correctly classified input changes the prediction; kept as an example.',
    remediation: 'Review the example; add such inputs to adversarial training.',
    references: evasion,
  },
} as const satisfies Record<string, RuleInfo>;

export type RobustnessRuleId = keyof typeof robustnessRules;

/** A finding of one of the rules, with its catalog metadata. */
export function robustnessFinding(
  ruleId: RobustnessRuleId,
  path: string,
  evidence: string,
  properties: Finding['properties'],
  row?: number,
): Finding {
  return ruleFinding(
    ruleId,
    robustnessRules[ruleId],
    { path, ...(row === undefined ? {} : { row }) },
    evidence,
    properties,
  );
}
