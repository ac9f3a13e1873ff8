import { atlas, owaspMl, type RuleInfo } from '../../rule-refs.js';

const repoCode = [atlas('AML.T0010.003'), atlas('AML.T0011.000'), owaspMl('ML06')];

export const repoRules = {
  'repo.remote-code': {
    title: 'Model configuration asks to run code from the repository',
    severity: 'high',
    category: 'code-execution',
    description:
      'auto_map, custom_pipelines or trust_remote_code make transformers import Python classes shipped with (or referenced by) the model when it is loaded with trust_remote_code=True.',
    remediation:
      'Review every Python file the configuration names before loading with trust_remote_code=True; pin the revision.',
    references: repoCode,
  },
  'repo.python-source': {
    title: 'Python code shipped with the model',
    severity: 'medium',
    category: 'code',
    description:
      'A Python file sits next to the weights; it runs when the model is loaded with remote code or imported.',
    remediation:
      'Review the file; load the model without trust_remote_code when the architecture is available in the library.',
    references: repoCode,
  },
  'repo.python-dangerous-call': {
    title: 'Python code shipped with the model calls dangerous functions',
    severity: 'high',
    category: 'code-execution',
    description:
      'Static listing of the file shows calls that run commands, evaluate code, open network connections or deserialize data.',
    remediation: 'Do not load this model with remote code until the calls are reviewed.',
    references: repoCode,
  },
  'repo.custom-handler': {
    title: 'Model archive ships a custom Python handler',
    severity: 'medium',
    category: 'code',
    description:
      'The TorchServe manifest names a handler implemented in Python inside the archive; the server runs it.',
    remediation: 'Review the handler code before serving the archive.',
    references: repoCode,
  },
} as const satisfies Record<string, RuleInfo>;
