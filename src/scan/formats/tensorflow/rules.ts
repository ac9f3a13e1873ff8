import { atlas, cwe, modelCode, owaspMl, type RuleInfo } from '../../rule-refs.js';

const supplyChain = [atlas('AML.T0010.003'), atlas('AML.T0011.000'), owaspMl('ML06')];

export const tensorflowRules = {
  'tensorflow.python-op': {
    title: 'TensorFlow graph calls Python',
    severity: 'critical',
    category: 'code-execution',
    description:
      'The graph holds a PyFunc, PyFuncStateless or EagerPyFunc op (tf.py_func, tf.py_function, tf.numpy_function). Running it calls back into Python in the loading process; a model meant for distribution has no such ops.',
    remediation: 'Do not serve this model; re-export it without Python callbacks from a trusted source.',
    references: modelCode,
  },
  'tensorflow.filesystem-op': {
    title: 'TensorFlow graph reads or writes files',
    severity: 'high',
    category: 'file-access',
    description:
      'The graph holds an op that reads, writes, lists or maps files (ReadFile, WriteFile, MatchingFiles, ImmutableConst, file readers and datasets, summary writers, PrintV2 or debug ops writing to file:// URLs). Running the model touches the file system with the loading process\'s rights. Critical when a constant file argument is absolute, climbs with "..", or names a remote file system.',
    remediation: 'Review what the op reads or writes; serve the model only in a sandbox without access to secrets.',
    references: [...supplyChain, cwe(73)],
  },
  'tensorflow.network-op': {
    title: 'TensorFlow graph sends data over the network',
    severity: 'high',
    category: 'network',
    description: 'A debug op streams tensors to a grpc:// or other non-file URL named in the graph.',
    remediation: 'Remove the debug ops (re-export without tfdbg) and review where the URL points.',
    references: supplyChain,
  },
  'tensorflow.file-path-outside-model': {
    title: 'TensorFlow model names a file outside the model',
    severity: 'critical',
    category: 'path-traversal',
    description:
      'A checkpoint, vocabulary or asset path constant in the model (Save/Restore/MergeV2Checkpoints file arguments, InitializeTableFromTextFile, AssetFileDef filename) is absolute, climbs with "..", or names a remote file system, so loading or saving the model reads, overwrites or deletes files elsewhere.',
    remediation: 'Do not load this model; paths in a SavedModel are relative to its folder.',
    references: [...supplyChain, cwe(22)],
  },
  'tensorflow.unknown-op': {
    title: 'TensorFlow graph uses an op outside the standard set',
    severity: 'medium',
    category: 'custom-code',
    description:
      "An op is neither in the scanner's list of standard TensorFlow ops (a partial list of the common set) nor a function of the graph's library. Custom ops run native code from a library loaded with tf.load_op_library, which is not in the file.",
    remediation: 'Check that the op is a standard TensorFlow op or comes from a custom-op library you trust.',
    references: supplyChain,
  },
  'tensorflow.keras-lambda': {
    title: 'Keras TFOpLambda layer in a SavedModel reaches files or Python',
    severity: 'high',
    category: 'code-execution',
    description:
      'Keras metadata (keras_metadata.pb or the SavedModel object graph) describes a TFOpLambda calling a TensorFlow function that touches files or Python, or names a Lambda layer in metadata too broken to analyse. Lambda bytecode in readable metadata is reported by the Keras rules (keras.lambda-code).',
    remediation: 'Load the model with TensorFlow only (tf.saved_model.load), or re-export it without Lambda layers.',
    references: modelCode,
  },
  'tflite.custom-op': {
    title: 'TFLite model uses a custom operator',
    severity: 'medium',
    category: 'custom-code',
    description:
      'An operator code is CUSTOM with a name that is neither a TFLite built-in custom op nor a standard TensorFlow op through Flex. The interpreter runs native code registered by the loading program, which is not in the file.',
    remediation: 'Find out which library implements the custom op and review it.',
    references: supplyChain,
  },
  'tflite.flex-dangerous-op': {
    title: 'TFLite model runs a TensorFlow op that reaches files or Python',
    severity: 'high',
    category: 'file-access',
    description:
      'A Flex (select TensorFlow ops) custom operator names a TensorFlow op such as ReadFile, WriteFile, SaveV2 or PyFunc. With the Flex delegate linked in, running the model performs it.',
    remediation: 'Run the model without the Flex delegate, or review what the op reads or writes.',
    references: [...supplyChain, cwe(73)],
  },
} as const satisfies Record<string, RuleInfo>;
