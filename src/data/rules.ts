import { atlas, cwe, owaspLlm, owaspMl, type Reference } from '../contracts/index.js';
import type { Detector } from './detectors/types.js';

/** Framework references for data findings: training data that leaks through the model, or credentials. */
export function referencesFor(detector: Detector): Reference[] {
  // Secrets in training data end up in what the model can reproduce (OWASP LLM02); personal data too,
  // and a trained model exposes it to inversion and membership inference (ATLAS AML.T0024, ML03/ML04).
  return detector.kind === 'secret'
    ? [cwe(798), owaspLlm('LLM02')]
    : [cwe(359), atlas('AML.T0024'), owaspMl('ML03'), owaspMl('ML04'), owaspLlm('LLM02')];
}
