import { describe, expect, it } from 'vitest';
import { limitProbabilities } from './outputs.js';

describe('limitProbabilities', () => {
  it('rounds probability vectors and counts them as full while they keep several classes', () => {
    const answer = {
      predictions: [
        [0.123456, 0.876544],
        [0.5, 0.5],
      ],
    };
    expect(limitProbabilities(answer, { decimals: 2 })).toEqual({ vectors: 2, full: 2, changed: 1 });
    expect(answer.predictions).toEqual([
      [0.12, 0.88],
      [0.5, 0.5],
    ]);
  });

  it('cuts vectors to their top k, keeping the shape', () => {
    const answer = { outputs: [{ probabilities: [0.1, 0.7, 0.2] }] };
    expect(limitProbabilities(answer, { topK: 1 })).toEqual({ vectors: 1, full: 0, changed: 1 });
    expect(answer.outputs[0]?.probabilities).toEqual([0, 0.7, 0]);
  });

  it('leaves labels, logits and single scores alone', () => {
    const answer = { labels: ['cat'], logits: [[2.5, -1]], score: 0.93, ids: [[1, 2]] };
    const before = JSON.stringify(answer);
    expect(limitProbabilities(answer, { decimals: 1, topK: 1 })).toEqual({ vectors: 0, full: 0, changed: 0 });
    expect(JSON.stringify(answer)).toBe(before);
  });

  it('counts unrounded vectors as full even when nothing is changed', () => {
    expect(limitProbabilities({ p: [[0.333333, 0.666667]] }, {})).toEqual({ vectors: 1, full: 1, changed: 0 });
  });
});
