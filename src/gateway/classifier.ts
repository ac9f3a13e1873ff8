import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';

/**
 * An optional local prompt classifier: an ONNX model on disk, run on the CPU with onnxruntime. It is
 * loaded from the configured path only; nothing is fetched at run time. Two model shapes are read:
 *
 * - text models, whose one input is a string tensor (`[N]` or `[N, 1]`), such as a vectoriser and a
 *   linear model exported together;
 * - transformer models taking `input_ids` (and `attention_mask`, `token_type_ids` when declared),
 *   with a Hugging Face `tokenizer.json` (and `tokenizer_config.json`) beside the model or in the
 *   configured folder.
 *
 * The output read is `output` (default the first): `[N, classes]` scores, or `[N]` / `[N, 1]` for a
 * single score. Outputs named `logits` go through softmax (several classes) or a sigmoid (one).
 */
export interface PromptClassifierOptions {
  readonly path: string;
  /** Folder with `tokenizer.json`; default the model's folder. Only read for `input_ids` models. */
  readonly tokenizer?: string | undefined;
  readonly output?: string | undefined;
  /** Index of the class meaning "injection" in a multi-class output. */
  readonly label: number;
  /** Longest piece of text classified at once; longer prompts are cut into pieces of this size. */
  readonly chunkChars: number;
  /** Pieces classified per prompt; a longer prompt is classified on its first and last pieces. */
  readonly maxChunks: number;
  /** Token limit per piece for `input_ids` models (the model's own maximum). */
  readonly maxTokens: number;
}

/** The loader's options and the limits on each inference. */
export interface ClassifyOptions extends PromptClassifierOptions {
  readonly timeoutMs: number;
  readonly maxConcurrent: number;
}

export interface ClassifierScore {
  /** Highest injection probability over the classified pieces. */
  readonly score: number;
  /** Pieces classified, and whether some of the prompt was left out (too many pieces). */
  readonly pieces: number;
  readonly partial: boolean;
}

export interface PromptClassifier {
  readonly inputKind: 'text' | 'tokens';
  /** The injection probability of each piece of text. */
  score(pieces: readonly string[]): Promise<number[]>;
  release(): Promise<void>;
}

export class ClassifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifierError';
  }
}

interface Loaded {
  stamp: string;
  checkedAt: number;
  readonly classifier: Promise<PromptClassifier>;
}
const loaded = new Map<string, Loaded>();
/** How often a loaded model's file is looked at again for changes. */
const RECHECK_MS = 2000;

/**
 * The classifier for these options, loaded once per model file version: a changed file (size or
 * modification time, looked at every few seconds) is loaded again and the previous session released.
 */
export async function loadPromptClassifier(options: PromptClassifierOptions): Promise<PromptClassifier> {
  const key = JSON.stringify([options.path, options.tokenizer, options.output, options.label, options.maxTokens]);
  const cached = loaded.get(key);
  const now = Date.now();
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.classifier;
  const info = await stat(options.path).catch((error: Error) => {
    throw new ClassifierError(`prompt classifier ${options.path}: ${error.message}`);
  });
  const stamp = `${info.size}:${info.mtimeMs}`;
  if (cached?.stamp === stamp) {
    cached.checkedAt = now;
    return cached.classifier;
  }
  const classifier = open(options);
  loaded.set(key, { stamp, checkedAt: now, classifier });
  classifier.catch(() => loaded.delete(key));
  if (cached) void cached.classifier.then((old) => old.release()).catch(() => undefined);
  return classifier;
}

const running = new WeakMap<PromptClassifier, number>();

/**
 * Scores a prompt with at most `maxConcurrent` inferences running on the model and waits at most
 * `timeoutMs`: a flood of long prompts cannot queue unbounded work or hold requests. Either limit
 * throws a ClassifierError, which the caller treats as the detector failing. An inference that ran
 * past its timeout still counts as running until it ends.
 */
export async function classifyPrompt(options: ClassifyOptions, text: string): Promise<ClassifierScore> {
  const classifier = await loadPromptClassifier(options);
  const busy = running.get(classifier) ?? 0;
  if (busy >= options.maxConcurrent) throw new ClassifierError(`busy: ${busy} prompts already being classified`);
  running.set(classifier, busy + 1);
  const { pieces, partial } = chunks(text, options);
  const scored = classifier
    .score(pieces)
    .then((scores) => ({ score: Math.max(...scores), pieces: pieces.length, partial }))
    .finally(() => running.set(classifier, (running.get(classifier) ?? 1) - 1));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClassifierError(`no score within ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  try {
    return await Promise.race([scored, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function open(options: PromptClassifierOptions): Promise<PromptClassifier> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(options.path, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // Failures come back as the error below; onnxruntime's own log would only repeat them on stderr.
      logSeverityLevel: 4,
    });
  } catch (error) {
    throw new ClassifierError(
      `prompt classifier ${options.path}: not a loadable ONNX model: ${(error as Error).message}`,
    );
  }
  const output = options.output ?? session.outputNames[0];
  if (!output || !session.outputNames.includes(output)) {
    await session.release();
    throw new ClassifierError(
      `prompt classifier ${options.path}: no output ${output ?? ''} (has ${session.outputNames.join(', ')})`,
    );
  }
  const read = (result: ort.InferenceSession.OnnxValueMapType, rows: number) =>
    injectionScores(result[output]!, rows, options.label, output === 'logits');
  if (session.inputNames.includes('input_ids')) {
    const tokenizer = await loadTokenizer(options.tokenizer ?? dirname(options.path));
    return tokenClassifier(session, tokenizer, options, read);
  }
  const [input] = session.inputMetadata;
  if (session.inputNames.length !== 1 || !input?.isTensor || input.type !== 'string') {
    await session.release();
    throw new ClassifierError(
      `prompt classifier ${options.path}: expected one string input or input_ids (has ${session.inputNames.join(', ')})`,
    );
  }
  const column = input.shape.length === 2;
  return {
    inputKind: 'text',
    async score(pieces) {
      const dims = column ? [pieces.length, 1] : [pieces.length];
      const result = await session.run({ [input.name]: new ort.Tensor('string', [...pieces], dims) });
      return read(result, pieces.length);
    },
    release: () => session.release(),
  };
}

async function loadTokenizer(folder: string): Promise<Tokenizer> {
  const readJson = async (name: string, required: boolean): Promise<Record<string, unknown>> => {
    try {
      return JSON.parse(await readFile(join(folder, name), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new ClassifierError(`prompt classifier tokenizer ${join(folder, name)}: ${(error as Error).message}`);
    }
  };
  const [tokenizerJson, tokenizerConfig] = await Promise.all([
    readJson('tokenizer.json', true),
    readJson('tokenizer_config.json', false),
  ]);
  try {
    return new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new ClassifierError(`prompt classifier tokenizer in ${folder}: ${(error as Error).message}`);
  }
}

function tokenClassifier(
  session: ort.InferenceSession,
  tokenizer: Tokenizer,
  options: PromptClassifierOptions,
  read: (result: ort.InferenceSession.OnnxValueMapType, rows: number) => number[],
): PromptClassifier {
  const wantsTypes = session.inputNames.includes('token_type_ids');
  const wantsMask = session.inputNames.includes('attention_mask');
  return {
    inputKind: 'tokens',
    async score(pieces) {
      const encoded = pieces.map((piece) => {
        const ids: number[] = tokenizer.encode(piece).ids;
        // Past the model's limit: keep the head and the final (end-of-sequence) token.
        return ids.length <= options.maxTokens ? ids : [...ids.slice(0, options.maxTokens - 1), ids.at(-1)!];
      });
      const width = Math.max(1, ...encoded.map((ids) => ids.length));
      const ids = new BigInt64Array(pieces.length * width);
      const mask = new BigInt64Array(pieces.length * width);
      encoded.forEach((row, r) => {
        row.forEach((id: number, c: number) => {
          ids[r * width + c] = BigInt(id);
          mask[r * width + c] = 1n;
        });
      });
      const dims = [pieces.length, width];
      const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, dims) };
      if (wantsMask) feeds.attention_mask = new ort.Tensor('int64', mask, dims);
      if (wantsTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), dims);
      const result = await session.run(feeds);
      return read(result, pieces.length);
    },
    release: () => session.release(),
  };
}

/** The prompt in pieces of at most `chunkChars`; past `maxChunks`, the first ones and the last. */
function chunks(
  text: string,
  options: Pick<PromptClassifierOptions, 'chunkChars' | 'maxChunks'>,
): { pieces: string[]; partial: boolean } {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += options.chunkChars) pieces.push(text.slice(at, at + options.chunkChars));
  if (pieces.length === 0) pieces.push('');
  if (pieces.length <= options.maxChunks) return { pieces, partial: false };
  return { pieces: [...pieces.slice(0, options.maxChunks - 1), pieces.at(-1)!], partial: true };
}

/** Injection probability per row from a `[rows, classes]`, `[rows, 1]` or `[rows]` output. */
function injectionScores(tensor: ort.OnnxValue, rows: number, label: number, logits: boolean): number[] {
  const value = tensor as ort.Tensor;
  if (value.type !== 'float32' && value.type !== 'float64') {
    throw new ClassifierError(`prompt classifier output is ${value.type}, expected float scores`);
  }
  const data = value.data as Float32Array | Float64Array;
  const classes = data.length / rows;
  if (!Number.isInteger(classes) || classes < 1 || (classes > 1 && label >= classes)) {
    throw new ClassifierError(
      `prompt classifier output of ${data.length} values does not fit ${rows} rows (label ${label})`,
    );
  }
  const scores: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from(data.subarray(r * classes, (r + 1) * classes));
    let score: number;
    if (classes === 1) score = logits ? 1 / (1 + Math.exp(-row[0]!)) : row[0]!;
    else if (logits) {
      const top = Math.max(...row);
      const exps = row.map((x) => Math.exp(x - top));
      score = exps[label]! / exps.reduce((a, b) => a + b, 0);
    } else score = row[label]!;
    if (!Number.isFinite(score)) throw new ClassifierError('prompt classifier returned a non-finite score');
    scores.push(score);
  }
  return scores;
}
