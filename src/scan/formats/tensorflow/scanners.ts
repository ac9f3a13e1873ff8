import { expectWire, type Field, ProtoError, ProtoReader, wire } from '../../io/proto-reader.js';
import type { FormatScanner, ScanContext, ScanInput, SniffHint } from '../../types.js';
import { escapes, reportGraph } from './findings.js';
import { TfGraphWalker } from './graph.js';
import { reportKerasJson } from './keras-json.js';
import { sniffGraphDef, sniffKerasMetadata, sniffSavedModel } from './sniff.js';

/** Keras metadata JSON of one object; a big functional model's root entry runs to megabytes. */
const maxMetadataJson = 16 << 20;

/**
 * TensorFlow SavedModel (saved_model.pb): SavedModel meta_graphs=2 → MetaGraphDef graph_def=2,
 * asset_file_def=6 (AssetFileDef filename=2), object_graph_def=7 (SavedObjectGraph nodes=1 → SavedObject
 * user_object=4 → SavedUserObject identifier=1, metadata=3). The graph and its function library are
 * walked for ops; variables live in the separate checkpoint and are never opened.
 */
export const savedModelScanner: FormatScanner = {
  name: 'tensorflow-savedmodel',
  version: '1',
  sniff: (head, hint) => sniffSavedModel(head, hint.size, named(hint, 'saved_model.pb')),
  scan: (ctx, input) => guarded(ctx, input, 'SavedModel', scanSavedModel),
};

/** Frozen or plain GraphDef (.pb): node=1, library=2. Const weights are stepped over by length. */
export const graphDefScanner: FormatScanner = {
  name: 'tensorflow-graphdef',
  version: '1',
  sniff: (head, hint) => sniffGraphDef(head, hint.size, named(hint, '.pb')),
  scan: (ctx, input) =>
    guarded(ctx, input, 'GraphDef', async (reader, walker) => {
      await walker.graphDef(0, reader.size, 'graph');
    }),
};

/** keras_metadata.pb: SavedMetadata nodes=1 → SavedObject node_path=3, identifier=4, metadata=5 (JSON). */
export const kerasMetadataScanner: FormatScanner = {
  name: 'keras-metadata',
  version: '1',
  sniff: (head, hint) => sniffKerasMetadata(head, hint.size, named(hint, 'keras_metadata.pb')),
  scan: (ctx, input) =>
    guarded(ctx, input, 'keras_metadata.pb', async (reader) => {
      const seen = new Set<string>();
      for await (const node of reader.fields(0, reader.size)) {
        if (node.num !== 1) continue;
        expectWire(node, wire.len, 'nodes');
        let path = '';
        for await (const field of reader.fields(node.start, node.end)) {
          if (field.num === 3) path = await reader.string(field, 512);
          else if (field.num === 5) await metadata(ctx, input, reader, field, `object ${path || '?'}`, seen);
        }
      }
    }),
};

function named(hint: SniffHint, suffix: string): boolean {
  return !hint.strict && hint.name.toLowerCase().endsWith(suffix);
}

type Walk = (reader: ProtoReader, walker: TfGraphWalker, ctx: ScanContext, input: ScanInput) => Promise<void>;

/** Runs a walk; damage becomes a finding and a partial status, and what was seen before it is still reported. */
async function guarded(ctx: ScanContext, input: ScanInput, kind: string, walk: Walk): Promise<void> {
  const reader = new ProtoReader(input.source, () => ctx.checkTime());
  const walker = new TfGraphWalker(reader);
  try {
    await walk(reader, walker, ctx, input);
  } catch (error) {
    if (!(error instanceof ProtoError)) throw error;
    const message = `${kind} is malformed: ${error.message}`;
    ctx.report(input, { ruleId: 'scan.malformed', evidence: message, properties: { format: 'tensorflow' } });
    ctx.partial(input, 'PARSE_ERROR', message);
  }
  reportGraph(ctx, input, walker, 'tensorflow');
  if (walker.opsOverflow) ctx.partial(input, 'LIMIT_EXCEEDED', 'more distinct TensorFlow ops than are tracked');
}

async function scanSavedModel(reader: ProtoReader, walker: TfGraphWalker, ctx: ScanContext, input: ScanInput) {
  let index = 0;
  const seen = new Set<string>();
  for await (const meta of reader.fields(0, reader.size)) {
    if (meta.num !== 2) continue;
    expectWire(meta, wire.len, 'meta_graphs');
    const where = `meta_graph[${index++}]`;
    for await (const field of reader.fields(meta.start, meta.end)) {
      if (field.num === 2) {
        expectWire(field, wire.len, 'graph_def');
        await walker.graphDef(field.start, field.end, where);
      } else if (field.num === 6) await asset(ctx, input, reader, field, where);
      else if (field.num === 7) await objectGraph(ctx, input, reader, field, where, seen);
    }
  }
}

async function asset(ctx: ScanContext, input: ScanInput, reader: ProtoReader, def: Field, where: string) {
  expectWire(def, wire.len, 'asset_file_def');
  for await (const field of reader.fields(def.start, def.end)) {
    if (field.num !== 2) continue;
    const filename = await reader.string(field, 4096);
    if (!escapes(filename)) continue;
    ctx.report(input, {
      ruleId: 'tensorflow.file-path-outside-model',
      evidence: `${where}: asset filename ${JSON.stringify(filename.slice(0, 300))} leaves the SavedModel assets folder`,
      offset: field.at,
      properties: { format: 'tensorflow' },
    });
  }
}

/** SavedUserObject.metadata held the Keras layer JSON before keras_metadata.pb existed (TF 2.0 to 2.4). */
async function objectGraph(
  ctx: ScanContext,
  input: ScanInput,
  reader: ProtoReader,
  graph: Field,
  where: string,
  seen: Set<string>,
) {
  expectWire(graph, wire.len, 'object_graph_def');
  for await (const node of reader.fields(graph.start, graph.end)) {
    if (node.num !== 1) continue;
    expectWire(node, wire.len, 'object graph node');
    for await (const kind of reader.fields(node.start, node.end)) {
      if (kind.num !== 4) continue;
      expectWire(kind, wire.len, 'user_object');
      for await (const field of reader.fields(kind.start, kind.end)) {
        if (field.num === 3) await metadata(ctx, input, reader, field, `${where} object graph`, seen);
      }
    }
  }
}

async function metadata(
  ctx: ScanContext,
  input: ScanInput,
  reader: ProtoReader,
  field: Field,
  where: string,
  seen: Set<string>,
) {
  expectWire(field, wire.len, 'metadata');
  if (field.end - field.start > maxMetadataJson) {
    const message = `${where}: Keras metadata of ${field.end - field.start} bytes not analysed`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message, offset: field.at });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
    return;
  }
  const json = await reader.string(field, maxMetadataJson);
  await reportKerasJson(ctx, input, json, where, field.at, seen);
}
