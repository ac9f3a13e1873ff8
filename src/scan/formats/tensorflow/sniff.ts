import { type Field, headFields, wire } from '../../io/proto-reader.js';

/**
 * TensorFlow protobufs have no magic number either; each is told apart by structure, and from ONNX:
 * - SavedModel: saved_model_schema_version (field 1) = 1, then meta_graphs (field 2) whose first field
 *   is a MetaGraphDef field (ONNX opens with ir_version >= 3, so the two never overlap);
 * - GraphDef: node (field 1) whose NodeDef opens with name (1) then op (2), an op-name string;
 * - keras_metadata.pb: SavedMetadata nodes (field 1) whose SavedObject has only fields 2..6 and an
 *   identifier (4) starting "_tf_keras".
 */
const opName = /^[A-Za-z_][A-Za-z0-9_>.]*$/;
const nodeName = /^[A-Za-z0-9._][A-Za-z0-9_.\-/>]*$/;

function inner(head: Buffer, field: Field | undefined): Field[] | undefined {
  if (!field || field.wire !== wire.len || field.start >= head.length) return undefined;
  return headFields(head, field.start, Math.min(field.end, head.length));
}

function text(head: Buffer, field: Field | undefined): string | undefined {
  if (!field || field.wire !== wire.len || field.end > head.length) return undefined;
  return head.toString('latin1', field.start, field.end);
}

/**
 * `named`: the file carries the format's usual name and is not a nested payload; a length running past the
 * end is then accepted, so a truncated model is scanned and reported malformed instead of skipped.
 */
export function sniffSavedModel(head: Buffer, size: number, named = false): boolean {
  const fields = headFields(head);
  const [version, meta] = fields ?? [];
  if (!fields || version?.num !== 1 || version.wire !== wire.varint || version.value !== 1) return false;
  if (meta?.num !== 2 || meta.wire !== wire.len || (meta.end > size && !named)) return false;
  if (!fields.every((f) => (f.num === 1 && f.wire === wire.varint) || (f.num === 2 && f.wire === wire.len)))
    return false;
  const first = inner(head, meta)?.[0];
  return first !== undefined && first.num >= 1 && first.num <= 9 && first.wire === wire.len;
}

export function sniffGraphDef(head: Buffer, size: number, named = false): boolean {
  const fields = headFields(head);
  const node = fields?.[0];
  if (!fields || node?.num !== 1 || node.wire !== wire.len || (node.end > size && !named)) return false;
  if (!fields.every((f) => [1, 2, 3, 4, 5].includes(f.num))) return false;
  const [name, op] = inner(head, node) ?? [];
  if (name?.num !== 1 || op?.num !== 2) return false;
  const nameText = text(head, name);
  const opText = text(head, op);
  return nameText !== undefined && opText !== undefined && nodeName.test(nameText) && opName.test(opText);
}

export function sniffKerasMetadata(head: Buffer, size: number, named = false): boolean {
  const fields = headFields(head);
  const node = fields?.[0];
  if (!fields || node?.num !== 1 || node.wire !== wire.len || (node.end > size && !named)) return false;
  if (!fields.every((f) => f.num === 1 && f.wire === wire.len)) return false;
  const objectFields = inner(head, node);
  if (!objectFields || objectFields.some((f) => f.num < 2 || f.num > 6)) return false;
  const identifier = text(
    head,
    objectFields.find((f) => f.num === 4),
  );
  return identifier?.startsWith('_tf_keras') === true;
}
