import { headFields, wire } from '../../io/proto-reader.js';

/**
 * ONNX has no magic number, so recognition is structural: onnx.save writes ModelProto fields in number
 * order, beginning with ir_version. The head must open with ir_version 3..12 (IR versions of ONNX 1.1
 * to 1.19; versions 1 and 2 predate the opset_import field and never shipped widely), hold only
 * ModelProto fields of the right wire type, and reach a graph whose first field is a GraphProto field.
 * A pickle (0x80), zip, HDF5 or TensorFlow SavedModel (schema version 1) fails the first test.
 */
const modelFields = new Map<number, number>([
  [1, wire.varint], // ir_version
  [2, wire.len], // producer_name
  [3, wire.len], // producer_version
  [4, wire.len], // domain
  [5, wire.varint], // model_version
  [6, wire.len], // doc_string
  [7, wire.len], // graph
  [8, wire.len], // opset_import
  [14, wire.len], // metadata_props
  [20, wire.len], // training_info
  [25, wire.len], // functions
  [26, wire.len], // configuration (ONNX 1.18)
]);

const graphFields = new Map<number, number>([
  [1, wire.len], // node
  [2, wire.len], // name
  [5, wire.len], // initializer
  [10, wire.len], // doc_string
  [11, wire.len], // input
  [12, wire.len], // output
  [13, wire.len], // value_info
  [14, wire.len], // quantization_annotation
  [15, wire.len], // sparse_initializer
  [16, wire.len], // metadata_props
]);

export const minIrVersion = 3;
export const maxIrVersion = 12;

/**
 * `named`: the file is called *.onnx (not a nested payload). Then a length running past the end of the
 * file is accepted, so a truncated model is scanned and reported malformed rather than skipped silently.
 */
export function sniffOnnx(head: Buffer, size: number, named = false): boolean {
  const fields = headFields(head);
  const first = fields?.[0];
  if (!fields || !first || first.num !== 1 || first.wire !== wire.varint) return false;
  if (first.value < minIrVersion || first.value > maxIrVersion) return false;
  for (const field of fields) {
    if (modelFields.get(field.num) !== field.wire || (field.end > size && !named)) return false;
  }
  const graph = fields.find((field) => field.num === 7);
  if (!graph || graph.end === graph.start) return false;
  if (graph.start >= head.length) return true; // the graph starts exactly at the end of the head
  const inner = headFields(head, graph.start, Math.min(graph.end, head.length));
  const firstInner = inner?.[0];
  return firstInner !== undefined && graphFields.get(firstInner.num) === firstInner.wire;
}
