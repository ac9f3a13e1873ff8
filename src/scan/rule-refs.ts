import { atlas, cwe, owaspMl } from '../contracts/references.js';

export { atlas, cve, cwe, ghsa, owaspMl } from '../contracts/references.js';

export type { RuleInfo } from '../contracts/rule.js';

/** Supply-chain compromise of a model artifact that runs code when loaded. */
export const modelCode = [atlas('AML.T0010.003'), atlas('AML.T0011.000'), owaspMl('ML06'), cwe(502)];
export const evasion = [atlas('AML.T0010.003'), owaspMl('ML06')];
