import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessRobustness, type RobustnessOptions } from './index.js';

const testdata = join(import.meta.dirname, 'testdata');
const model = join(testdata, 'digits-mlp.onnx');
const csv = join(testdata, 'digits-test.csv');
const quick = { model, data: { path: csv }, samples: 60, maxQueries: 600 } satisfies RobustnessOptions;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlsecops-robustness-inputs-'));
});

const npyHeader = (dict: string) => {
  const header = `${dict}${' '.repeat(64)}`.slice(0, 117) + '\n';
  return Buffer.concat([
    Buffer.from([0x93]),
    Buffer.from('NUMPY\x01\x00', 'latin1'),
    Buffer.from([118, 0]),
    Buffer.from(header, 'latin1'),
  ]);
};

describe('hostile and broken inputs', () => {
  const cases: [string, () => Promise<RobustnessOptions>, RegExp][] = [
    [
      'a ragged CSV row',
      async () => ({ ...quick, data: { path: await file('ragged.csv', 'a,b,label\n1,2,0\n1,2\n') } }),
      /2 cells, the header has 3/,
    ],
    [
      'a non-numeric feature',
      async () => ({ ...quick, data: { path: await file('text.csv', 'a,label\nx,0\n') } }),
      /a is not a number/,
    ],
    [
      'a missing label column',
      async () => ({ ...quick, data: { path: await file('nolabel.csv', 'a,b\n1,2\n') } }),
      /no label column "label"/,
    ],
    [
      'a fractional label',
      async () => ({ ...quick, data: { path: await file('frac.csv', 'a,label\n1,0.5\n') } }),
      /not a class index/,
    ],
    [
      'the wrong feature count',
      async () => ({ ...quick, data: { path: await file('narrow.csv', 'a,b,label\n1,2,0\n3,4,1\n') } }),
      /takes 64 features, the data has 2/,
    ],
    [
      'a non-ONNX model',
      async () => ({ ...quick, model: await file('model.onnx', 'not a model at all') }),
      /cannot load as an ONNX classifier/,
    ],
    [
      'a .npy object array',
      async () => ({
        ...quick,
        data: {
          path: await file(
            'obj.npy',
            Buffer.concat([
              npyHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2, 64), }"),
              Buffer.from('\x80\x04cos\nsystem\n'),
            ]),
          ),
          labels: csv,
        },
      }),
      /object array \(pickle\): refused/,
    ],
    [
      'a truncated .npy',
      async () => ({
        ...quick,
        data: {
          path: await file(
            'short.npy',
            Buffer.concat([
              npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 64), }"),
              Buffer.alloc(10),
            ]),
          ),
          labels: csv,
        },
      }),
      /shorter than the shape/,
    ],
    [
      'a file that is not .npy',
      async () => ({ ...quick, data: { path: await file('fake.npy', 'hello'), labels: csv } }),
      /not a \.npy file/,
    ],
    [
      '.npy features without labels',
      async () => ({ ...quick, data: { path: join(testdata, 'digits-test-x.npy') } }),
      /needs --labels/,
    ],
  ];
  const file = async (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  it.each(cases)('refuses %s with a clear error', async (_name, options, message) => {
    await expect(assessRobustness(await options())).rejects.toThrow(message);
  });
});
