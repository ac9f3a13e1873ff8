import type { Reference, Severity } from '../contracts/index.js';

/**
 * Every rule the model scanner reports, defined once: title, default severity, remediation and the
 * framework references. Findings take their text from here; SARIF's rule table is built from it.
 */
export interface RuleInfo {
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  readonly description: string;
  readonly remediation: string;
  readonly references: readonly Reference[];
}

export const atlas = (id: string): Reference => ({
  kind: 'mitre-atlas',
  id,
  url: `https://atlas.mitre.org/techniques/${id}`,
});
export const owaspMl = (id: string): Reference => ({ kind: 'owasp-ml', id });
export const cwe = (n: number): Reference => ({
  kind: 'cwe',
  id: `CWE-${n}`,
  url: `https://cwe.mitre.org/data/definitions/${n}.html`,
});
export const cve = (id: string): Reference => ({ kind: 'cve', id, url: `https://www.cve.org/CVERecord?id=${id}` });
export const ghsa = (id: string): Reference => ({ kind: 'ghsa', id, url: `https://github.com/advisories/${id}` });

/** Supply-chain compromise of a model artifact that runs code when loaded. */
export const modelCode = [atlas('AML.T0010.003'), atlas('AML.T0011.000'), owaspMl('ML06'), cwe(502)];
export const evasion = [atlas('AML.T0010.003'), owaspMl('ML06')];
