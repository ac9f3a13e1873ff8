import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { jsonAnalyzers } from './json-analyzers.js';

/**
 * JSON documents that configure how a model is loaded (Hugging Face configs, TorchServe manifests,
 * Keras configs). Recognised by content; only documents up to `maxJson` are parsed — a larger JSON
 * file (a tokenizer vocabulary) configures nothing that runs code.
 */
const maxJson = 16 << 20;

export const jsonScanner: FormatScanner = {
  name: 'json',
  version: '1',
  sniff: (head, hint) => {
    if (hint.strict) return false;
    const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const text = head.toString('utf8', start, Math.min(head.length, start + 64)).trimStart();
    return text.startsWith('{') && /^\{\s*("|\})/.test(text);
  },
  scan: scanJson,
};

async function scanJson(ctx: ScanContext, input: ScanInput): Promise<void> {
  if (input.source.size > maxJson) return;
  let document: unknown;
  try {
    document = JSON.parse((await input.source.read(0, input.source.size)).toString('utf8').replace(/^\ufeff/, ''));
  } catch {
    // Not JSON after all (a text file that starts with a brace): nothing here configures a loader.
    return;
  }
  for (const analyzer of jsonAnalyzers) {
    if (analyzer.applies(document)) {
      ctx.format(analyzer.name);
      await analyzer.analyze(ctx, input, document);
    }
  }
}
