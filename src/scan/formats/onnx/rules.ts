import { atlas, cve, cwe, modelCode, owaspMl, type RuleInfo } from '../../rule-refs.js';

const externalData = [atlas('AML.T0010.003'), owaspMl('ML06')];

export const onnxRules = {
  'onnx.external-data-outside-model': {
    title: 'ONNX external data points outside the model folder',
    severity: 'critical',
    category: 'path-traversal',
    description:
      'A tensor keeps its data in an external file whose location is absolute, climbs with "..", or resolves through a symbolic link to a file outside the folder holding the model. Loading the model reads that file into the tensor (and onnx.save can write it), disclosing or overwriting arbitrary files.',
    remediation:
      'Do not load this model. External data must be plain relative file names inside the model folder; re-export it from a trusted source.',
    references: [
      ...externalData,
      cwe(22),
      cwe(59),
      cve('CVE-2022-25882'),
      cve('CVE-2024-27318'),
      cve('CVE-2025-51480'),
    ],
  },
  'onnx.external-data-missing': {
    title: 'ONNX external data file is missing',
    severity: 'medium',
    category: 'integrity',
    description:
      'A tensor names an external data file that does not exist next to the model (or names none). The model cannot load as shipped, and whatever file is put there later was not scanned.',
    remediation: 'Obtain the complete model with all its external data files and scan it again.',
    references: externalData,
  },
  'onnx.external-data-out-of-range': {
    title: 'ONNX external data range lies outside its file',
    severity: 'high',
    category: 'integrity',
    description:
      'The offset and length of a tensor exceed the size of its external data file, or the location is not a regular file (a device, FIFO or folder). Runtimes that trust these values read out of bounds or block.',
    remediation: 'Treat the model as tampered with; re-export it from a trusted source.',
    references: [...externalData, cwe(125)],
  },
  'onnx.custom-domain': {
    title: 'ONNX model uses operators from a custom domain',
    severity: 'medium',
    category: 'custom-code',
    description:
      "A node uses an operator domain that is neither a standard ONNX domain nor onnxruntime's built-in com.microsoft domain, and no local function defines it. Such operators run native code from a custom-op library the loading program registers; that code is not in the file and was not analysed.",
    remediation: 'Find out which library implements the domain and review it before loading the model with it.',
    references: [atlas('AML.T0010.003'), owaspMl('ML06')],
  },
  'onnx.python-op': {
    title: 'ONNX model calls Python code from an operator',
    severity: 'critical',
    category: 'code-execution',
    description:
      'A node is a Python operator (onnxruntime PyOp, which imports the module and class its attributes name; com.microsoft PythonOp from ORTModule; or a PyFunc-style op). Running the model executes Python code chosen by the file.',
    remediation:
      'Do not run this model outside an isolated environment; a model meant for distribution has no Python operators.',
    references: modelCode,
  },
} as const satisfies Record<string, RuleInfo>;
