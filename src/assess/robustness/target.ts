import type { OnnxClassifier } from '../onnx-model.js';

/**
 * What the attacks query: a classifier that answers class scores for a batch of rows. Every row
 * answered counts as one query.
 */
export interface Target {
  /** Numbers per row, or undefined when the target does not say (a remote endpoint). */
  readonly features: number | undefined;
  /** Scores per row, [rows][classes]; `rows` holds whole rows of the data's width. */
  scores(rows: Float32Array, width: number): Promise<Float32Array[]>;
  /** Queries answered so far (rows). */
  readonly queries: number;
  /** Samples the decision-based attack may run at once. */
  readonly parallelism: number;
  close(): Promise<void>;
}

/** A local ONNX classifier, run on the CPU in this process. */
export function onnxTarget(model: OnnxClassifier): Target {
  return {
    features: model.features,
    scores: (rows) => model.scores(rows),
    get queries() {
      return model.queries;
    },
    parallelism: 1,
    close: () => model.close(),
  };
}
