import type { ScanContext, ScanInput } from '../../types.js';
import { analyzeKerasConfig, looksLikeKerasConfig } from '../keras/config.js';

/** One kind of configuration document: how to recognise it and what to report. */
export interface JsonAnalyzer {
  readonly name: string;
  applies(document: unknown): boolean;
  analyze(ctx: ScanContext, input: ScanInput, document: unknown): void | Promise<void>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Hugging Face config.json, tokenizer_config.json, processor configs: remote code declarations. */
const huggingFaceConfig: JsonAnalyzer = {
  name: 'hf-config',
  applies: (document) =>
    isObject(document) &&
    ('auto_map' in document || 'custom_pipelines' in document || document.trust_remote_code === true),
  analyze(ctx, input, document) {
    const config = document as Json;
    const classes: string[] = [];
    collectClassRefs(config.auto_map, classes);
    collectClassRefs(config.custom_pipelines, classes);
    const remoteRepos = [
      ...new Set(classes.filter((ref) => ref.includes('--')).map((ref) => ref.split('--')[0] as string)),
    ];
    const parts = [
      classes.length > 0 ? `classes ${classes.slice(0, 8).join(', ')}${classes.length > 8 ? ', …' : ''}` : '',
      config.trust_remote_code === true ? 'trust_remote_code: true' : '',
      remoteRepos.length > 0 ? `code from other repositories: ${remoteRepos.join(', ')}` : '',
    ].filter(Boolean);
    ctx.report(input, {
      ruleId: 'repo.remote-code',
      evidence: `loading needs trust_remote_code=True: ${parts.join('; ')}`,
      properties: { classes: classes.length, remoteRepositories: remoteRepos.join(',') },
    });
  },
};

/** auto_map values are "module.Class", "repo--module.Class", lists of those, or nested maps (pipelines). */
function collectClassRefs(value: unknown, out: string[], depth = 0): void {
  if (depth > 4 || out.length > 64) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectClassRefs(item, out, depth + 1);
  else if (isObject(value)) for (const item of Object.values(value)) collectClassRefs(item, out, depth + 1);
}

/** TorchServe MAR-INF/MANIFEST.json: a handler that is not one of TorchServe's built-in names is Python code. */
const builtInHandlers = new Set(['image_classifier', 'object_detector', 'text_classifier', 'image_segmenter']);
const torchServeManifest: JsonAnalyzer = {
  name: 'torchserve-manifest',
  applies: (document) => isObject(document) && isObject(document.model) && 'handler' in document.model,
  analyze(ctx, input, document) {
    const model = (document as { model: Json }).model;
    const handler = String(model.handler ?? '');
    if (builtInHandlers.has(handler)) return;
    ctx.report(input, {
      ruleId: 'repo.custom-handler',
      evidence: `handler ${JSON.stringify(handler)}${model.modelFile ? `, model file ${JSON.stringify(model.modelFile)}` : ''}`,
      properties: { handler },
    });
  },
};

/** Keras config.json (in a .keras zip, or alone): layers that carry or import code. */
const kerasConfig: JsonAnalyzer = {
  name: 'keras-config',
  applies: looksLikeKerasConfig,
  analyze: (ctx, input, document) => analyzeKerasConfig(ctx, input, document, input.member ?? input.name),
};

export const jsonAnalyzers: readonly JsonAnalyzer[] = [huggingFaceConfig, torchServeManifest, kerasConfig];
