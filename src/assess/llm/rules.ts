import { atlas, owaspLlm, type RuleInfo } from '../../contracts/index.js';
import type { LlmFamily } from './types.js';

const rule = (info: Omit<RuleInfo, 'category'>): RuleInfo => ({ category: 'llm', ...info });

/** The rule catalog: one stable rule per probe family, `llm.<family>`. */
export const llmRules = {
  'llm.prompt-injection': rule({
    title: 'Direct prompt injection succeeded',
    severity: 'high',
    description: 'Instructions in the user message overrode the operator system prompt.',
    remediation:
      'Keep operator instructions out of reach of user text (separate channels, input filtering), and treat ' +
      'model output as untrusted downstream.',
    references: [owaspLlm('LLM01'), atlas('AML.T0051.000')],
  }),
  'llm.indirect-injection': rule({
    title: 'Indirect prompt injection succeeded',
    severity: 'high',
    description: 'Instructions hidden in content the model processed (a web page, an email, a document) were obeyed.',
    remediation:
      'Mark retrieved content as data (delimiters, spotlighting), filter it before it reaches the model and never ' +
      'let it trigger actions without the user.',
    references: [owaspLlm('LLM01'), atlas('AML.T0051.001')],
  }),
  'llm.jailbreak': rule({
    title: 'Jailbreak framing bypassed the policy',
    severity: 'high',
    description: 'A role-play, hypothetical or claimed special mode made the model break its rules.',
    remediation: 'Add refusal training or a guard model for persona and mode-switch framings; test after each change.',
    references: [owaspLlm('LLM01'), atlas('AML.T0054')],
  }),
  'llm.system-prompt-leak': rule({
    title: 'System prompt disclosed',
    severity: 'medium',
    description: 'The model revealed its system prompt (the planted canary came back in the answer).',
    remediation:
      'Do not put anything in a system prompt that must stay secret; filter outputs for the canary and prompt text.',
    references: [owaspLlm('LLM07'), atlas('AML.T0056')],
  }),
  'llm.secret-leak': rule({
    title: 'Secret from the context disclosed',
    severity: 'critical',
    description: 'A credential placed in the context was returned, in plain or encoded form.',
    remediation: 'Never give credentials to the model; call tools with server-held credentials; redact outputs.',
    references: [owaspLlm('LLM02'), atlas('AML.T0057')],
  }),
  'llm.pii-leak': rule({
    title: 'Personal data disclosed',
    severity: 'high',
    description: 'Personal data of a record in the context was returned to a user not entitled to it.',
    remediation: 'Scope the data in the context to the authenticated user; redact personal data in outputs.',
    references: [owaspLlm('LLM02'), atlas('AML.T0057')],
  }),
  'llm.encoded-bypass': rule({
    title: 'Obfuscated instruction bypassed the policy',
    severity: 'high',
    description:
      'An instruction wrapped in an encoding (base64, rot13, leetspeak, homoglyphs, invisible characters) was obeyed.',
    remediation: 'Normalise and decode inputs before filtering; strip invisible Unicode (tags, zero-width).',
    references: [owaspLlm('LLM01'), atlas('AML.T0051'), atlas('AML.T0068')],
  }),
  'llm.excessive-agency': rule({
    title: 'Dangerous tool called without authorisation',
    severity: 'critical',
    description: 'The model called a tool with side effects (mail, deletion, payment) because a message told it to.',
    remediation:
      'Require user confirmation or server-side authorisation for side-effecting tools; give the model the least ' +
      'set of tools it needs.',
    references: [owaspLlm('LLM06'), atlas('AML.T0053')],
  }),
} as const satisfies Record<`llm.${LlmFamily}`, RuleInfo>;

export const ruleIdFor = (family: LlmFamily): `llm.${LlmFamily}` => `llm.${family}`;
