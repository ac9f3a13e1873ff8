import type { FrameworkRefs } from '../contracts/index.js';

/**
 * One mapping: the rules it covers and the controls they bear on, with why. `rules` holds exact rule
 * ids, `prefix.*` globs, or `scan:<category>` / `data:<category>` for every rule of that category in
 * the scan or data catalog (so a new rule of a mapped category is covered the day it is added).
 */
export interface Mapping {
  readonly rules: readonly string[];
  readonly frameworks: Partial<FrameworkRefs>;
  readonly reason: string;
}

const modelSupplyChain = {
  owaspMl: ['ML06'],
  owaspLlm: ['LLM03'],
  atlasTechniques: ['AML.T0010', 'AML.T0010.003'],
  atlasMitigations: ['AML.M0016'],
  nistAiRmf: ['MEASURE 2.7', 'MANAGE 3.2'],
  euAiAct: ['Art. 15(5)'],
} as const satisfies Partial<FrameworkRefs>;

export const mappings: readonly Mapping[] = [
  // Model scan findings.
  {
    rules: ['scan:code-execution', 'scan:code', 'scan:file-access', 'scan:network'],
    frameworks: {
      ...modelSupplyChain,
      atlasTechniques: [...modelSupplyChain.atlasTechniques, 'AML.T0011', 'AML.T0011.000'],
    },
    reason:
      'Loading the artifact runs code it carries: a compromised model in the supply chain that executes when a user loads it.',
  },
  {
    rules: ['scan:unknown-import', 'scan:custom-code', 'scan:nested'],
    frameworks: modelSupplyChain,
    reason:
      'The artifact depends on code or objects outside its format, which a reviewer must trust before loading it.',
  },
  {
    rules: ['scan:path-traversal'],
    frameworks: modelSupplyChain,
    reason: 'The artifact reaches files outside its own folder when unpacked or loaded.',
  },
  {
    rules: ['scan:evasion', 'scan:integrity'],
    frameworks: { ...modelSupplyChain, atlasMitigations: ['AML.M0016', 'AML.M0014'] },
    reason: 'The artifact is malformed or could not be fully analysed, so its safety is unverified.',
  },
  // Data scan findings.
  {
    // The policy rules that refuse such findings bear on the same controls.
    rules: ['data:pii', 'policy.no-personal-data'],
    frameworks: {
      owaspMl: ['ML03', 'ML04'],
      owaspLlm: ['LLM02'],
      atlasTechniques: ['AML.T0024', 'AML.T0057'],
      atlasMitigations: ['AML.M0007'],
      nistAiRmf: ['MEASURE 2.10'],
      euAiAct: ['Art. 10(2)'],
    },
    reason: 'Personal data in training data can be recovered from the trained model by inversion or inference.',
  },
  {
    rules: ['data:secret', 'policy.no-secrets-in-data'],
    frameworks: {
      owaspLlm: ['LLM02'],
      atlasTechniques: ['AML.T0055', 'AML.T0057'],
      atlasMitigations: ['AML.M0007'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 10(2)'],
    },
    reason: 'Credentials in training data can be reproduced by the model and used by whoever extracts them.',
  },
  {
    rules: ['data:poisoning'],
    frameworks: {
      owaspMl: ['ML02'],
      owaspLlm: ['LLM04'],
      atlasTechniques: ['AML.T0020', 'AML.T0010.002'],
      atlasMitigations: ['AML.M0007'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 10(3)', 'Art. 15(5)'],
    },
    reason: 'Indicators of manipulated training data: flipped labels, injected rows, shifted distributions.',
  },
  {
    rules: ['poisoning.trigger-token'],
    frameworks: { owaspMl: ['ML10'], atlasTechniques: ['AML.T0018', 'AML.T0018.000'], atlasMitigations: ['AML.M0008'] },
    reason: 'A phrase that forces a label is how a backdoor is planted in the model trained on the data.',
  },
  {
    rules: ['data:integrity'],
    frameworks: { euAiAct: ['Art. 10(3)'], nistAiRmf: ['MEASURE 2.5'] },
    reason: 'Records that cannot be parsed are errors in the data the model learns from.',
  },
  {
    rules: ['data:summary'],
    frameworks: { nistAiRmf: ['MEASURE 2.1'] },
    reason:
      'Notes on what the data scan covered and left out: documentation of the test, not a finding about the data.',
  },
  // Drift findings.
  {
    rules: ['drift.*'],
    frameworks: {
      owaspMl: ['ML08'],
      atlasMitigations: ['AML.M0008'],
      nistAiRmf: ['MEASURE 2.4', 'MANAGE 4.1'],
      euAiAct: ['Art. 72'],
    },
    reason: 'Production data moving away from the reference: monitored after release, and how skewing shows.',
  },
  // Assessment findings (mlsecops assess; the rule catalogs are in src/assess).
  {
    rules: ['robustness.*'],
    frameworks: {
      owaspMl: ['ML01'],
      atlasTechniques: ['AML.T0015', 'AML.T0043'],
      atlasMitigations: ['AML.M0003'],
      nistAiRmf: ['MEASURE 2.5', 'MEASURE 2.7'],
      euAiAct: ['Art. 15(1)', 'Art. 15(4)', 'Art. 15(5)'],
    },
    reason: 'Accuracy under noise and evasion attacks is the measured robustness the frameworks ask for.',
  },
  {
    rules: ['llm.prompt-injection', 'llm.indirect-injection', 'llm.encoded-bypass'],
    frameworks: {
      owaspLlm: ['LLM01'],
      atlasTechniques: ['AML.T0051'],
      atlasMitigations: ['AML.M0020'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'The endpoint followed instructions injected directly, through a document, or in an encoding.',
  },
  {
    rules: ['llm.jailbreak'],
    frameworks: {
      owaspLlm: ['LLM01'],
      atlasTechniques: ['AML.T0054'],
      atlasMitigations: ['AML.M0020'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'A jailbreak template got the model past its own restrictions.',
  },
  {
    rules: ['llm.system-prompt-leak'],
    frameworks: {
      owaspLlm: ['LLM07'],
      atlasTechniques: ['AML.T0057'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'The system prompt, and whatever it holds, was disclosed to the caller.',
  },
  {
    rules: ['llm.secret-leak', 'llm.pii-leak'],
    frameworks: {
      owaspLlm: ['LLM02'],
      atlasTechniques: ['AML.T0024', 'AML.T0057'],
      nistAiRmf: ['MEASURE 2.10'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'Secrets or personal data planted in the context came back in answers.',
  },
  {
    rules: ['llm.excessive-agency'],
    frameworks: {
      owaspLlm: ['LLM06'],
      atlasMitigations: ['AML.M0020'],
      nistAiRmf: ['MANAGE 1.1'],
      euAiAct: ['Art. 14'],
    },
    reason: 'The model called side-effecting tools on an unauthorised request.',
  },
  {
    rules: ['explain.identifier-importance', 'explain.dominant-feature'],
    frameworks: { owaspMl: ['ML08'], nistAiRmf: ['MEASURE 2.5', 'MEASURE 2.9'], euAiAct: ['Art. 10(3)', 'Art. 15(1)'] },
    reason: 'A model leaning on an identifier or on one feature has learned a leak rather than the task.',
  },
  {
    rules: ['explain.concentrated-attribution'],
    frameworks: {
      owaspMl: ['ML02', 'ML10'],
      atlasTechniques: ['AML.T0018', 'AML.T0020'],
      atlasMitigations: ['AML.M0008'],
      nistAiRmf: ['MEASURE 2.9'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'Attribution concentrated on a rare value in a few rows is how a planted trigger shows.',
  },
];
