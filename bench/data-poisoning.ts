// npx tsx bench/data-poisoning.ts
// Precision and recall of the poisoning indicators, through the real `mlsecops data scan` pipeline, on
// sklearn's bundled datasets with 5% injected label flips (and 1% outliers in breast cancer) and a review
// set with an inserted trigger token. Ground truth: src/data/poisoning/testdata/truth.json, written by
// gen.py in the same folder (Debian python3-sklearn, offline).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanData } from '../src/data/index.js';

const testdata = join(import.meta.dirname, '../src/data/poisoning/testdata');
const truth = JSON.parse(readFileSync(join(testdata, 'truth.json'), 'utf8')) as Record<string, Record<string, unknown>>;

async function flagged(file: string, ruleId: string): Promise<Set<number>> {
  const report = await scanData([join(testdata, file)], { detectors: [] });
  const rows = new Set<number>();
  for (const finding of report.findings) {
    if (finding.ruleId !== ruleId) continue;
    for (const row of String(finding.properties?.rowList ?? '').split(',')) if (row !== '') rows.add(Number(row));
  }
  return rows;
}

function score(found: Set<number>, expected: Iterable<number>) {
  const truthSet = new Set(expected);
  const hits = [...found].filter((row) => truthSet.has(row)).length;
  return {
    precision: found.size ? hits / found.size : 1,
    recall: truthSet.size ? hits / truthSet.size : 1,
    flagged: found.size,
    planted: truthSet.size,
  };
}

const rows: string[] = [
  '| indicator | dataset | planted | flagged | precision | recall |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
const add = (indicator: string, dataset: string, result: ReturnType<typeof score>) =>
  rows.push(
    `| ${indicator} | ${dataset} | ${result.planted} | ${result.flagged} | ${result.precision.toFixed(2)} | ${result.recall.toFixed(2)} |`,
  );
for (const dataset of ['iris', 'wine', 'cancer']) {
  add(
    'label flips (neighbour disagreement)',
    dataset,
    score(
      await flagged(`${dataset}.csv`, 'poisoning.label-neighbour-disagreement'),
      truth[dataset]?.flipped as number[],
    ),
  );
}
add('outliers', 'cancer', score(await flagged('cancer.csv', 'poisoning.outlier'), truth.cancer?.outliers as number[]));
add(
  'trigger token',
  'reviews',
  score(await flagged('reviews.csv', 'poisoning.trigger-token'), truth.reviews?.triggerRows as number[]),
);
const pairs = [...(truth.reviews?.exactConflicts as number[][]), ...(truth.reviews?.nearConflicts as number[][])];
add(
  'conflicting duplicates',
  'reviews',
  score(await flagged('reviews.csv', 'poisoning.conflicting-duplicates'), pairs.flat()),
);
process.stdout.write(`${rows.join('\n')}\n`);
