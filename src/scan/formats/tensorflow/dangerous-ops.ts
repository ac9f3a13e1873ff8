/**
 * TensorFlow ops that reach outside the graph. Op names are facts from the TensorFlow op registry
 * (tensorflow/core/ops/{script_ops,io_ops,logging_ops,debug_ops,dataset_ops,summary_ops}.cc); the
 * anchors' lists (modelscan: ReadFile/WriteFile; ModelAudit SUSPICIOUS_OPS) are covered: each of their
 * names is either here or a standard op judged harmless in standard-ops.ts (Assert, Print, DecodeJpeg,
 * lookup-table and queue ops), and PyCall/ShellExecute/ExecuteOp/SystemConfig, which are no TensorFlow
 * ops at all, are here so a custom-op library using those names is reported above plain "unknown".
 */
export type OpKind =
  /** Runs Python: reported critical as tensorflow.python-op. */
  | 'python'
  /** Reads or writes files named by an input or attribute: tensorflow.filesystem-op, high (critical if the path escapes). */
  | 'file'
  /** Checkpoint, vocabulary and asset ops: normal in SavedModels, reported only when a constant path escapes the model. */
  | 'path-argument'
  /** Dumps tensors to the URLs in its debug_urls attribute (file:// or grpc://): reported only with URLs set. */
  | 'debug-url'
  /** Not a TensorFlow op; the name asks for command execution from a custom-op library. */
  | 'exec-name';

export interface DangerousOp {
  readonly kind: OpKind;
  /** Inputs that hold file names (checked when they are constants). */
  readonly pathInputs?: readonly number[];
  /** Attribute that holds a file name or URL. */
  readonly pathAttr?: string;
  readonly reason: string;
}

const python = (reason: string): DangerousOp => ({ kind: 'python', reason });
const file = (reason: string, pathInputs: number[] = [0], pathAttr?: string): DangerousOp =>
  pathAttr ? { kind: 'file', reason, pathInputs, pathAttr } : { kind: 'file', reason, pathInputs };
const pathArg = (reason: string, pathInputs: number[]): DangerousOp => ({ kind: 'path-argument', reason, pathInputs });

export const dangerousOps: Readonly<Record<string, DangerousOp>> = {
  PyFunc: python('calls a Python function registered in the loading process (tf.py_func)'),
  PyFuncStateless: python('calls a Python function registered in the loading process (stateless tf.py_func)'),
  EagerPyFunc: python('calls a Python function registered in the loading process (tf.py_function)'),
  PyCall: python('not a TensorFlow op; the name asks for a Python call'),
  ReadFile: file('reads the whole file named by its input'),
  WriteFile: file('writes its input to the file named by its first input'),
  MatchingFiles: file('lists files matching a glob pattern'),
  ImmutableConst: file('memory-maps the file named by its memory_region_name attribute', [], 'memory_region_name'),
  WholeFileReader: file('reads whole files named by a queue', []),
  WholeFileReaderV2: file('reads whole files named by a queue', []),
  TextLineReader: file('reads lines of files named by a queue', []),
  TextLineReaderV2: file('reads lines of files named by a queue', []),
  FixedLengthRecordReader: file('reads records of files named by a queue', []),
  FixedLengthRecordReaderV2: file('reads records of files named by a queue', []),
  TFRecordReader: file('reads TFRecord files named by a queue', []),
  TFRecordReaderV2: file('reads TFRecord files named by a queue', []),
  RecordInput: file('reads files matching its file_pattern attribute', [], 'file_pattern'),
  TextLineDataset: file('reads lines of the files named by its input'),
  TFRecordDataset: file('reads the TFRecord files named by its input'),
  TFRecordDatasetV2: file('reads the TFRecord files named by its input'),
  FixedLengthRecordDataset: file('reads the files named by its input'),
  FixedLengthRecordDatasetV2: file('reads the files named by its input'),
  CSVDataset: file('reads the CSV files named by its input'),
  CSVDatasetV2: file('reads the CSV files named by its input'),
  DatasetToTFRecord: file('writes a dataset to the file named by its second input', [1]),
  SaveDataset: file('writes a dataset under the path named by its second input', [1]),
  SaveDatasetV2: file('writes a dataset under the path named by its second input', [1]),
  LoadDataset: file('reads a dataset saved under the path named by its input'),
  SnapshotDataset: file('writes dataset snapshots under the path named by its second input', [1]),
  SnapshotDatasetV2: file('writes dataset snapshots under the path named by its second input', [1]),
  CreateSummaryFileWriter: file('writes event files under the log folder named by its second input', [1]),
  CreateSummaryDbWriter: file('writes an SQLite database named by its second input', [1]),
  Save: pathArg('writes a checkpoint to the file named by its first input', [0]),
  SaveV2: pathArg('writes a checkpoint under the prefix named by its first input', [0]),
  SaveSlices: pathArg('writes a checkpoint to the file named by its first input', [0]),
  Restore: pathArg('reads a checkpoint from the file pattern named by its first input', [0]),
  RestoreV2: pathArg('reads a checkpoint under the prefix named by its first input', [0]),
  RestoreSlice: pathArg('reads a checkpoint from the file pattern named by its first input', [0]),
  MergeV2Checkpoints: pathArg('merges checkpoints and deletes the source folders named by its inputs', [0, 1]),
  InitializeTableFromTextFile: pathArg('reads a vocabulary from the file named by its second input', [1]),
  InitializeTableFromTextFileV2: pathArg('reads a vocabulary from the file named by its second input', [1]),
  LoadAndRemapMatrix: pathArg('reads a checkpoint named by its first input', [0]),
  GenerateVocabRemapping: pathArg('reads the vocabulary files named by its first two inputs', [0, 1]),
  DebugIdentity: { kind: 'debug-url', pathAttr: 'debug_urls', reason: 'dumps tensors to its debug_urls' },
  DebugIdentityV2: { kind: 'debug-url', pathAttr: 'debug_urls', reason: 'dumps tensors to its debug_urls' },
  DebugNanCount: { kind: 'debug-url', pathAttr: 'debug_urls', reason: 'dumps tensors to its debug_urls' },
  DebugNumericSummary: { kind: 'debug-url', pathAttr: 'debug_urls', reason: 'dumps tensors to its debug_urls' },
  DebugNumericSummaryV2: { kind: 'debug-url', pathAttr: 'debug_urls', reason: 'dumps tensors to its debug_urls' },
  ShellExecute: { kind: 'exec-name', reason: 'not a TensorFlow op; the name asks for shell execution' },
  ExecuteOp: { kind: 'exec-name', reason: 'not a TensorFlow op; the name asks for command execution' },
  SystemConfig: { kind: 'exec-name', reason: 'not a TensorFlow op; the name asks for system configuration' },
};

/** Attributes whose string values are kept while walking a NodeDef, for the checks above. */
export const keptAttributes: ReadonlySet<string> = new Set([
  'value',
  'output_stream',
  'debug_urls',
  'memory_region_name',
  'file_pattern',
]);
