import type { Severity } from '../../../contracts/index.js';

/**
 * Operator domains whose kernels ship with the ONNX standard or with onnxruntime itself, so a model
 * using them needs no third-party code. Everything else is a custom domain (reported medium): its ops
 * come from a library the loading program registers.
 */
export const knownDomains: ReadonlyArray<readonly [domain: string, reason: string]> = [
  ['', 'the default ONNX operator set'],
  ['ai.onnx', 'the default ONNX operator set, spelled out'],
  ['ai.onnx.ml', 'ONNX-ML traditional machine-learning operators'],
  ['ai.onnx.training', 'ONNX training operators (Gradient)'],
  ['ai.onnx.preview.training', 'ONNX preview training operators (Adagrad, Adam, Momentum)'],
  [
    'com.microsoft',
    'onnxruntime contrib operators, built into every onnxruntime (optimized transformer exports use them)',
  ],
  ['com.microsoft.nchwc', 'onnxruntime internal layout operators written by its own graph optimizer'],
  ['com.ms.internal.nhwc', 'onnxruntime internal layout operators written by its own graph optimizer'],
  ['com.microsoft.experimental', 'onnxruntime experimental contrib operators, built in'],
];

export const knownDomainSet: ReadonlySet<string> = new Set(knownDomains.map(([domain]) => domain));

export interface PythonOp {
  readonly opType: string;
  /** Domain the op is defined in; undefined matches any domain, since custom-op libraries pick their own. */
  readonly domain?: string;
  readonly severity: Severity;
  readonly reason: string;
}

/** Operators that run Python code when the model runs. */
export const pythonOps: readonly PythonOp[] = [
  {
    opType: 'PyOp',
    severity: 'critical',
    reason: 'onnxruntime language-interop PyOp: imports the module and class named by its module/class_name attributes',
  },
  {
    opType: 'PythonOp',
    domain: 'com.microsoft',
    severity: 'high',
    reason: 'onnxruntime training (ORTModule) PythonOp: calls a torch.autograd.Function registered in the process',
  },
  {
    opType: 'PythonOpGrad',
    domain: 'com.microsoft',
    severity: 'high',
    reason: 'backward pass of com.microsoft PythonOp',
  },
  { opType: 'PythonOp', severity: 'high', reason: 'a Python operator outside onnxruntime: runs Python by name' },
  {
    opType: 'PyFunc',
    severity: 'high',
    reason: 'PyFunc-style op (onnxruntime-extensions style): runs a Python function',
  },
  { opType: 'PyFunction', severity: 'high', reason: 'PyFunc-style op: runs a Python function' },
];

export function pythonOp(domain: string, opType: string): PythonOp | undefined {
  return pythonOps.find((op) => op.opType === opType && (op.domain === undefined || op.domain === domain));
}
