import type { Reference } from './finding.js';

/** Builders for the framework references findings carry (MITRE ATLAS, OWASP, CWE, CVE, GHSA). */
export const atlas = (id: string): Reference => ({
  kind: 'mitre-atlas',
  id,
  url: `https://atlas.mitre.org/techniques/${id}`,
});
export const owaspMl = (id: string): Reference => ({ kind: 'owasp-ml', id });
export const owaspLlm = (id: string): Reference => ({ kind: 'owasp-llm', id });
export const cwe = (n: number): Reference => ({
  kind: 'cwe',
  id: `CWE-${n}`,
  url: `https://cwe.mitre.org/data/definitions/${n}.html`,
});
export const cve = (id: string): Reference => ({ kind: 'cve', id, url: `https://www.cve.org/CVERecord?id=${id}` });
export const ghsa = (id: string): Reference => ({ kind: 'ghsa', id, url: `https://github.com/advisories/${id}` });
