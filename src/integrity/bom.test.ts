import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/test-support.js';
import { scanPaths } from '../scan/index.js';
import { buildBom, type ModelCardFacts, readCardText } from './bom.js';

// The official CycloneDX 1.6 JSON schema, as CycloneDX ships it in its own library (with the SPDX
// license list and JSF schemas it refers to by their SNAPSHOT file names).
const require = createRequire(import.meta.url);
const schemaDir = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const load = (name: string) => JSON.parse(readFileSync(join(schemaDir, name), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its default export is the module object under NodeNext typing.
const addFormats = formats as unknown as typeof formats.default;
addFormats(ajv);
ajv.addSchema({ ...load('spdx.SNAPSHOT.schema.json'), $id: 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json' });
ajv.addSchema({
  ...load('jsf-0.82.SNAPSHOT.schema.json'),
  $id: 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json',
});
const validate = ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));

function expectValid(bom: unknown): void {
  const ok = validate(bom);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
}

const scratch = mkdtempSync(join(tmpdir(), 'mlsecops-bom-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const model = join(scratch, 'sentiment-model');
const examples = resolve(import.meta.dirname, '../../examples/models');

const README = `---
license: apache-2.0
pipeline_tag: text-classification
language:
  - en
  - de
datasets:
  - imdb
base_model: distilbert-base-uncased
model-index:
  - name: sentiment-model
    results:
      - task: { type: text-classification }
        dataset: { name: imdb, type: imdb }
        metrics:
          - { type: accuracy, value: 0.931 }
          - { type: f1, value: 0.928 }
---

# Sentiment model

## Intended uses

Classifying the sentiment of English movie reviews.

## Bias, Risks, and Limitations

Trained on movie reviews only; accuracy drops on product reviews and on sarcasm.

## Training

Three epochs.
`;

beforeAll(() => {
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'README.md'), README);
  writeFileSync(
    join(model, 'config.json'),
    JSON.stringify({ architectures: ['DistilBertForSequenceClassification'], model_type: 'distilbert' }),
  );
  copyFileSync(join(examples, 'encoder.safetensors'), join(model, 'model.safetensors'));
  copyFileSync(join(examples, 'backdoored-classifier.pkl'), join(model, 'head.pkl'));
  writeFileSync(join(scratch, 'train.csv'), 'text,label\ngreat film,1\n');
});

describe('buildBom', () => {
  it('describes the model, its files, model card, datasets and scan findings, valid against CycloneDX 1.6', async () => {
    const scan = await scanPaths([model]);
    const bom = await buildBom({ model, datasets: [join(scratch, 'train.csv')], scan });
    expectValid(bom);
    // The BOM is plain JSON: read it back as such.
    const component = JSON.parse(JSON.stringify(bom)).metadata.component;
    expect(component.type).toBe('machine-learning-model');
    const digest = (await cli(['digest', model])).stdout.trim();
    expect(`sha256:${component.hashes[0].content}`).toBe(digest);
    expect(component.components.map((c: { name: string }) => c.name)).toEqual([
      'README.md',
      'config.json',
      'head.pkl',
      'model.safetensors',
    ]);
    expect(component.licenses).toEqual([{ license: { name: 'apache-2.0' } }]);
    const card = component.modelCard;
    expect(card.modelParameters).toMatchObject({
      task: 'text-classification',
      architectureFamily: 'distilbert',
      modelArchitecture: 'DistilBertForSequenceClassification',
    });
    expect(card.modelParameters.datasets).toEqual([
      { ref: expect.stringMatching(/^dataset:train\.csv:/) },
      { type: 'dataset', name: 'imdb' },
    ]);
    expect(card.quantitativeAnalysis.performanceMetrics).toEqual([
      { type: 'accuracy', value: '0.931', slice: 'imdb' },
      { type: 'f1', value: '0.928', slice: 'imdb' },
    ]);
    expect(card.considerations.technicalLimitations[0]).toMatch(/movie reviews only/);
    expect(card.considerations.useCases[0]).toMatch(/English movie reviews/);
    const components = bom.components as { type: string; name: string }[];
    expect(components).toEqual([expect.objectContaining({ type: 'data', name: 'train.csv' })]);
    const vulnerabilities = bom.vulnerabilities as { id: string; affects: { ref: string }[] }[];
    const pickle = vulnerabilities.find((v) => v.id === 'pickle.dangerous-global');
    expect(pickle?.affects).toEqual([{ ref: 'model:sentiment-model/head.pkl' }]);
  });

  it('the CLI writes the same kind of BOM, without the scan when asked', async () => {
    const out = join(scratch, 'bom.json');
    const result = await cli(['bom', model, '--no-scan', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const bom = JSON.parse(readFileSync(out, 'utf8'));
    expectValid(bom);
    expect(bom.vulnerabilities).toBeUndefined();
  });

  it('the schema check is real: a BOM with a wrong component type fails it', async () => {
    const bom = await buildBom({ model });
    (bom.metadata as { component: { type: string } }).component.type = 'neural-network';
    expect(validate(bom)).toBe(false);
  });

  it('reads hostile model cards as data: bad YAML, custom tags, alias bombs, wrong types', () => {
    const facts = (): ModelCardFacts => ({ datasets: [], languages: [], metrics: [], limitations: [], useCases: [] });
    for (const text of [
      '---\n: : :\n---\n',
      '---\nlicense: !!js/function "function(){}"\n---\n',
      `---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n---\n`,
      '---\nmodel-index: 7\ndatasets: {a: 1}\nlanguage: [1, null]\n---\n',
      '---\n- a list\n---\n',
    ]) {
      const out = facts();
      expect(() => readCardText(text, out)).not.toThrow();
      expect(out.metrics).toEqual([]);
    }
  });
});
