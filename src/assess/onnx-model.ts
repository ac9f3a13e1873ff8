import { stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';

/** Largest model file loaded for an assessment. */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/**
 * A tabular or image classifier in ONNX, run locally on the CPU with onnxruntime: one float input
 * of shape [batch, features] (or [batch, …] that flattens to it), one output of scores or
 * probabilities [batch, classes]. Graphs are run, never any Python; custom operator libraries are
 * never registered.
 */
export class OnnxClassifier {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputName: string,
    readonly outputName: string,
    /** Input shape without the batch dimension, e.g. [64] or [1, 8, 8]. */
    readonly featureShape: readonly number[],
    /** Numbers per row: the product of `featureShape`. */
    readonly features: number,
    /** Inferences run so far (rows), for query budgets. */
    public queries = 0,
  ) {}

  static async load(path: string): Promise<OnnxClassifier> {
    const info = await stat(path);
    if (info.size > MAX_MODEL_BYTES) throw new RangeError(`${path} is larger than ${MAX_MODEL_BYTES} bytes`);
    const session = await ort.InferenceSession.create(path, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 1,
    });
    const inputName = session.inputNames[0];
    const outputName = session.outputNames[0];
    if (!inputName || !outputName) throw new RangeError(`${path} has no input or output`);
    const metadata = (session as unknown as { inputMetadata?: { name: string; shape?: (number | string)[] }[] })
      .inputMetadata;
    const shape = metadata?.find((input) => input.name === inputName)?.shape?.slice(1) ?? [];
    const featureShape = shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : 0));
    if (featureShape.length === 0 || featureShape.some((dim) => dim === 0)) {
      throw new RangeError(`${path}: the input ${inputName} must have a fixed shape after the batch dimension`);
    }
    const features = featureShape.reduce((a, b) => a * b, 1);
    return new OnnxClassifier(session, inputName, outputName, featureShape, features);
  }

  /** Scores for each row (rows of `features` numbers, concatenated): [rows][classes]. */
  async scores(rows: Float32Array): Promise<Float32Array[]> {
    const count = rows.length / this.features;
    if (!Number.isInteger(count)) throw new RangeError(`input is not a whole number of rows of ${this.features}`);
    const tensor = new ort.Tensor('float32', rows, [count, ...this.featureShape]);
    const out = await this.session.run({ [this.inputName]: tensor });
    const result = out[this.outputName];
    if (!result || !(result.data instanceof Float32Array))
      throw new RangeError('the model output is not float32 scores');
    const classes = result.data.length / count;
    this.queries += count;
    return Array.from({ length: count }, (_, i) => result.data.slice(i * classes, (i + 1) * classes) as Float32Array);
  }

  /** The predicted class of each row. */
  async predict(rows: Float32Array): Promise<number[]> {
    return (await this.scores(rows)).map(argmax);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}
