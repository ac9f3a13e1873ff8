import type { FrameworkRefs } from '../contracts/index.js';

export type FrameworkId = keyof FrameworkRefs;

export interface Framework {
  readonly title: string;
  readonly url: string;
  /** Control id → its title (for NIST AI RMF and the EU AI Act, a short paraphrase of the provision). */
  readonly controls: Readonly<Record<string, string>>;
}

/**
 * The controls rules map to, per framework: identifiers and titles only, so a report can name the
 * controls a policy covers and those it leaves open. Only the controls this product has evidence for
 * are listed, not every control of each framework.
 */
export const frameworks = {
  owaspMl: {
    title: 'OWASP Machine Learning Security Top Ten (2023)',
    url: 'https://owasp.org/www-project-machine-learning-security-top-10/',
    controls: {
      ML01: 'Input Manipulation Attack',
      ML02: 'Data Poisoning Attack',
      ML03: 'Model Inversion Attack',
      ML04: 'Membership Inference Attack',
      ML05: 'Model Theft',
      ML06: 'AI Supply Chain Attacks',
      ML07: 'Transfer Learning Attack',
      ML08: 'Model Skewing',
      ML09: 'Output Integrity Attack',
      ML10: 'Model Poisoning',
    },
  },
  owaspLlm: {
    title: 'OWASP Top 10 for LLM Applications (2025)',
    url: 'https://genai.owasp.org/llm-top-10/',
    controls: {
      LLM01: 'Prompt Injection',
      LLM02: 'Sensitive Information Disclosure',
      LLM03: 'Supply Chain',
      LLM04: 'Data and Model Poisoning',
      LLM05: 'Improper Output Handling',
      LLM06: 'Excessive Agency',
      LLM07: 'System Prompt Leakage',
      LLM08: 'Vector and Embedding Weaknesses',
      LLM09: 'Misinformation',
      LLM10: 'Unbounded Consumption',
    },
  },
  atlasTechniques: {
    title: 'MITRE ATLAS techniques',
    url: 'https://atlas.mitre.org/techniques',
    controls: {
      'AML.T0010': 'AI Supply Chain Compromise',
      'AML.T0010.002': 'AI Supply Chain Compromise: Data',
      'AML.T0010.003': 'AI Supply Chain Compromise: Model',
      'AML.T0011': 'User Execution',
      'AML.T0011.000': 'User Execution: Unsafe AI Artifacts',
      'AML.T0015': 'Evade AI Model',
      'AML.T0018': 'Manipulate AI Model',
      'AML.T0018.000': 'Manipulate AI Model: Poison AI Model',
      'AML.T0019': 'Publish Poisoned Datasets',
      'AML.T0020': 'Poison Training Data',
      'AML.T0024': 'Exfiltration via AI Inference API',
      'AML.T0029': 'Denial of AI Service',
      'AML.T0043': 'Craft Adversarial Data',
      'AML.T0051': 'LLM Prompt Injection',
      'AML.T0054': 'LLM Jailbreak',
      'AML.T0055': 'Unsecured Credentials',
      'AML.T0057': 'LLM Data Leakage',
      'AML.T0058': 'Publish Poisoned Models',
    },
  },
  atlasMitigations: {
    title: 'MITRE ATLAS mitigations',
    url: 'https://atlas.mitre.org/mitigations',
    controls: {
      'AML.M0003': 'Model Hardening',
      'AML.M0004': 'Restrict Number of AI Model Queries',
      'AML.M0007': 'Sanitize Training Data',
      'AML.M0008': 'Validate AI Model',
      'AML.M0013': 'Code Signing',
      'AML.M0014': 'Verify AI Artifacts',
      'AML.M0015': 'Adversarial Input Detection',
      'AML.M0016': 'Vulnerability Scanning',
      'AML.M0019': 'Control Access to AI Models and Data in Production',
      'AML.M0020': 'Generative AI Guardrails',
      'AML.M0023': 'AI Bill of Materials',
      'AML.M0024': 'AI Telemetry Logging',
      'AML.M0025': 'Maintain AI Dataset Provenance',
    },
  },
  nistAiRmf: {
    title: 'NIST AI Risk Management Framework 1.0',
    url: 'https://doi.org/10.6028/NIST.AI.100-1',
    controls: {
      'GOVERN 1.6': 'AI systems are inventoried',
      'GOVERN 6.1': 'Policies cover AI risks from third-party entities',
      'MAP 1.1': 'Intended purpose and context of use are documented',
      'MAP 4.1': 'Risks of components, including third-party data and software, are mapped',
      'MAP 4.2': 'Internal risk controls for AI components are identified and documented',
      'MEASURE 2.1': 'Test sets, metrics and tools used in evaluation are documented',
      'MEASURE 2.4': 'Behaviour in production is monitored',
      'MEASURE 2.5': 'The system is shown to be valid and reliable',
      'MEASURE 2.7': 'Security and resilience are evaluated and documented',
      'MEASURE 2.9': 'The model is explained, validated and documented',
      'MEASURE 2.10': 'Privacy risk is examined and documented',
      'MANAGE 1.1': 'A go / no-go determination is made on development or deployment',
      'MANAGE 3.1': 'Third-party AI risks are monitored and controlled',
      'MANAGE 3.2': 'Pre-trained models in use are monitored',
      'MANAGE 4.1': 'Post-deployment monitoring plans are implemented',
      'MANAGE 4.3': 'Incidents and errors are tracked, communicated and responded to',
    },
  },
  euAiAct: {
    title: 'EU AI Act (Regulation (EU) 2024/1689)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    controls: {
      'Art. 9': 'Risk management system',
      'Art. 10(2)': 'Data governance and management practices for training data',
      'Art. 10(3)': 'Training data relevant, representative and as free of errors as possible',
      'Art. 11(1)': 'Technical documentation drawn up before release',
      'Art. 12(1)': 'Automatic recording of events (logs) over the lifetime',
      'Art. 13(3)(b)': 'Instructions for use state intended purpose, capabilities and limitations',
      'Art. 14': 'Human oversight',
      'Art. 15(1)': 'Appropriate accuracy, robustness and cybersecurity',
      'Art. 15(4)': 'Resilience to errors, faults and inconsistencies',
      'Art. 15(5)': 'Resilience against attempts to exploit vulnerabilities (poisoning, adversarial examples)',
      'Art. 17': 'Quality management system',
      'Art. 72': 'Post-market monitoring',
      'Art. 73': 'Reporting of serious incidents',
    },
  },
} as const satisfies Record<FrameworkId, Framework>;

export const frameworkIds = Object.keys(frameworks) as FrameworkId[];

export function controlTitle(framework: FrameworkId, id: string): string | undefined {
  return (frameworks[framework].controls as Readonly<Record<string, string>>)[id];
}

export function emptyRefs(): FrameworkRefs {
  return { owaspMl: [], owaspLlm: [], atlasTechniques: [], atlasMitigations: [], nistAiRmf: [], euAiAct: [] };
}
