import { describe, expect, it } from 'vitest';
import { instancesOf, queryVectors } from './features.js';

const values = (body: unknown) => queryVectors(body).vectors.map((vector) => [...vector]);

describe('queryVectors', () => {
  it.each([
    [
      'KServe v1 / TF Serving instances',
      {
        instances: [
          [1, 2],
          [3, 4],
        ],
      },
      [
        [1, 2],
        [3, 4],
      ],
    ],
    ['one flat instance list is one query', { instances: [1, 2, 3] }, [[1, 2, 3]]],
    ['data and features fields', { data: [[0.5, true, 'x', null]] }, [[0.5, 1]]],
    ['a bare array of rows', [[1], [2]], [[1], [2]]],
    [
      'images as nested arrays are flattened',
      {
        instances: [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      },
      [[1, 2, 3, 4]],
    ],
    [
      'KServe v2 tensors are cut into rows by shape[0]',
      { inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] },
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    ['no known field: no queries', { prompt: 'hi' }, []],
    ['non-finite numbers are skipped', { instances: [[1, Number.NaN, 2]] }, [[1, 2]]],
  ])('%s', (_name, body, expected) => {
    expect(values(body)).toEqual(expected);
  });

  it('reads named features in one order whatever order each instance lists them', () => {
    const read = queryVectors({
      instances: [
        { b: 2, a: 1 },
        { a: 3, b: 4 },
      ],
    });
    expect(read.names).toEqual(['a', 'b']);
    expect(read.vectors.map((vector) => [...vector])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('keeps within its budget of queries and features', () => {
    const body = { instances: Array.from({ length: 1000 }, () => Array.from({ length: 100 }, () => 1)) };
    const read = queryVectors(body, { maxQueries: 10, maxFeatures: 7 });
    expect(read.vectors).toHaveLength(10);
    expect(read.vectors.every((vector) => vector.length === 7)).toBe(true);
  });

  it('stops at a nesting depth, so a deep array costs nothing', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(values({ instances: [deep] })).toEqual([]);
    expect(instancesOf('text')).toEqual([]);
  });
});
