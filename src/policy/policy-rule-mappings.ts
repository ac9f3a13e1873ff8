import type { Mapping } from './mapping-data.js';

/** The shipped policy rules and the controls each one produces evidence for. */
export const policyRuleMappings: readonly Mapping[] = [
  {
    rules: ['policy.scan-present', 'policy.all-files-scanned'],
    frameworks: {
      owaspMl: ['ML06'],
      owaspLlm: ['LLM03'],
      atlasMitigations: ['AML.M0016'],
      nistAiRmf: ['MEASURE 2.7', 'MANAGE 3.2'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'Every model file is scanned for code and tampering before release.',
  },
  {
    rules: ['policy.no-critical-findings', 'policy.no-high-findings'],
    frameworks: {
      owaspMl: ['ML06', 'ML10'],
      owaspLlm: ['LLM03'],
      atlasTechniques: ['AML.T0010.003', 'AML.T0011.000'],
      atlasMitigations: ['AML.M0016'],
      nistAiRmf: ['MEASURE 2.7', 'MANAGE 1.1'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'A release is refused while the model carries code or tampering the scan found.',
  },
  {
    rules: ['policy.data-scanned', 'policy.no-critical-data-findings', 'policy.no-high-data-findings'],
    frameworks: {
      owaspMl: ['ML02'],
      owaspLlm: ['LLM02', 'LLM04'],
      atlasTechniques: ['AML.T0010.002', 'AML.T0020'],
      atlasMitigations: ['AML.M0007'],
      nistAiRmf: ['MAP 4.1', 'MEASURE 2.10'],
      euAiAct: ['Art. 10(2)', 'Art. 10(3)'],
    },
    reason: 'The training data is examined for sensitive content and manipulation before it shapes the model.',
  },
  {
    rules: ['policy.no-backdoor-indicators'],
    frameworks: {
      owaspMl: ['ML02', 'ML10'],
      owaspLlm: ['LLM04'],
      atlasTechniques: ['AML.T0020', 'AML.T0018'],
      atlasMitigations: ['AML.M0007'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 10(3)', 'Art. 15(5)'],
    },
    reason: 'Trigger phrases and conflicting labels are the marks of a poisoned or backdoored dataset.',
  },
  {
    rules: ['policy.no-open-critical-incidents', 'policy.no-open-high-incidents'],
    frameworks: { nistAiRmf: ['MANAGE 4.3'], euAiAct: ['Art. 73'] },
    reason: 'Open incidents are tracked and resolved before a release goes ahead.',
  },
  {
    rules: ['policy.signature-verified'],
    frameworks: {
      owaspMl: ['ML06', 'ML10'],
      owaspLlm: ['LLM03'],
      atlasTechniques: ['AML.T0010.003', 'AML.T0058'],
      atlasMitigations: ['AML.M0013', 'AML.M0014'],
      nistAiRmf: ['MANAGE 3.2'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'A verified signature proves the files are the ones the signer released, unmodified.',
  },
  {
    rules: ['policy.provenance-attested', 'policy.lineage-datasets'],
    frameworks: {
      owaspMl: ['ML06'],
      owaspLlm: ['LLM03'],
      atlasTechniques: ['AML.T0010'],
      atlasMitigations: ['AML.M0025', 'AML.M0014'],
      nistAiRmf: ['MAP 4.1', 'GOVERN 6.1'],
      euAiAct: ['Art. 10(2)', 'Art. 11(1)'],
    },
    reason: 'Where the model came from: the datasets and code it was built from, by digest.',
  },
  {
    rules: ['policy.bom-present'],
    frameworks: {
      owaspLlm: ['LLM03'],
      atlasMitigations: ['AML.M0023'],
      nistAiRmf: ['GOVERN 1.6', 'MAP 4.2'],
      euAiAct: ['Art. 11(1)'],
    },
    reason: 'An AI bill of materials inventories the model, its files and its data.',
  },
  {
    rules: ['policy.model-card-intended-use'],
    frameworks: { owaspLlm: ['LLM09'], nistAiRmf: ['MAP 1.1'], euAiAct: ['Art. 13(3)(b)', 'Art. 11(1)'] },
    reason: 'Users are told what the model is for and, by omission, what it is not for.',
  },
  {
    rules: ['policy.production-approved'],
    frameworks: { nistAiRmf: ['MANAGE 1.1'], euAiAct: ['Art. 14', 'Art. 17'] },
    reason: 'A person other than the uploader decides that the release may proceed.',
  },
  {
    rules: ['policy.no-drift'],
    frameworks: {
      owaspMl: ['ML08'],
      atlasMitigations: ['AML.M0008'],
      nistAiRmf: ['MEASURE 2.4', 'MANAGE 4.1'],
      euAiAct: ['Art. 72'],
    },
    reason: 'Production data still looks like the data the model was validated on.',
  },
  {
    rules: ['policy.audit-trail'],
    frameworks: { nistAiRmf: ['GOVERN 1.6'], euAiAct: ['Art. 12(1)'] },
    reason: 'Uploads, scans, evidence, approvals and promotions are logged automatically in a tamper-evident log.',
  },
  {
    rules: ['policy.monitored'],
    frameworks: {
      atlasMitigations: ['AML.M0024'],
      nistAiRmf: ['MEASURE 2.4', 'MANAGE 4.1'],
      euAiAct: ['Art. 12(1)', 'Art. 72'],
    },
    reason: 'Production inputs are logged and checked against the training profile after release.',
  },
  {
    rules: ['policy.assessed', 'policy.robust-accuracy'],
    frameworks: {
      owaspMl: ['ML01'],
      atlasTechniques: ['AML.T0015', 'AML.T0043'],
      atlasMitigations: ['AML.M0003', 'AML.M0008'],
      nistAiRmf: ['MEASURE 2.5', 'MEASURE 2.7'],
      euAiAct: ['Art. 15(1)', 'Art. 15(5)'],
    },
    reason: 'The model was tested against adversarial inputs and its accuracy under attack is known.',
  },
  {
    rules: ['policy.llm-probes-pass'],
    frameworks: {
      owaspLlm: ['LLM01', 'LLM02', 'LLM07'],
      atlasTechniques: ['AML.T0051', 'AML.T0054', 'AML.T0057'],
      atlasMitigations: ['AML.M0020'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'The model was probed for prompt injection, jailbreaks and leakage of its data or system prompt.',
  },
  {
    rules: ['policy.no-suspicious-attributions'],
    frameworks: { owaspMl: ['ML10'], atlasMitigations: ['AML.M0008'], nistAiRmf: ['MEASURE 2.9'] },
    reason: 'Explanations of the model show no features it should not rely on (leakage, triggers).',
  },
  // The registry's change-control rules (generated from its settings; see src/registry/gate-policy.ts).
  {
    rules: ['registry.scan'],
    frameworks: {
      owaspMl: ['ML06'],
      owaspLlm: ['LLM03'],
      atlasTechniques: ['AML.T0010'],
      atlasMitigations: ['AML.M0016'],
      nistAiRmf: ['MEASURE 2.7'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'An upload is scanned in quarantine and only a clean version may be promoted.',
  },
  {
    rules: ['registry.approvals'],
    frameworks: { nistAiRmf: ['MANAGE 1.1'], euAiAct: ['Art. 14', 'Art. 17'] },
    reason: 'Release needs the approval of someone other than the uploader: human oversight and change control.',
  },
  {
    rules: ['registry.signature'],
    frameworks: {
      owaspMl: ['ML06'],
      owaspLlm: ['LLM03'],
      atlasMitigations: ['AML.M0013', 'AML.M0014'],
      euAiAct: ['Art. 15(5)'],
    },
    reason: 'Only a version whose signature verifies may be promoted to the aliases that require one.',
  },
  {
    rules: ['registry.model-card'],
    frameworks: { owaspLlm: ['LLM09'], nistAiRmf: ['MAP 1.1'], euAiAct: ['Art. 11(1)', 'Art. 13(3)(b)'] },
    reason: 'A model card documents intended use and limitations before release.',
  },
  {
    rules: ['registry.lineage'],
    frameworks: { atlasMitigations: ['AML.M0025'], nistAiRmf: ['MAP 4.1'], euAiAct: ['Art. 10(2)', 'Art. 11(1)'] },
    reason: 'The datasets and code a version came from are recorded before release.',
  },
];
