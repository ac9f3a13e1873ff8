/**
 * Extraction detection, replayed: the gateway's per-client tracker (`AbuseTracker`, PRADA-style
 * Shapiro–Wilk test over minimum query distances, default settings of `detectors.extraction`) is fed
 * normal clients and synthetic extraction attacks, and reports for each attack how many queries it
 * took to raise the alarm, and how many normal clients were falsely flagged.
 *
 *   npx tsx bench/gateway-extraction.ts [--clients 50] [--queries 2000] [--dim 8] [--seed 1]
 *
 * Traffic (seeded, so every run is the same):
 * - normal clients draw inputs from the task's natural distribution: a mixture of three correlated
 *   Gaussian classes in `dim` dimensions (each client with its own class mix);
 * - uniform: queries drawn uniformly from the bounding box of the natural data (a "random query"
 *   extraction as in Tramèr et al. 2016);
 * - jacobian: Papernot-style augmentation — start from 10 natural seeds, then each new query is an
 *   earlier one moved by ±λ per feature (λ = 0.1 of the feature's spread), the sign standing in for
 *   the substitute model's gradient sign;
 * - line-search: queries along the segment between two natural points, halving towards the decision
 *   boundary (Tramèr's path-finding / Lowd–Meek style), a new pair every 12 steps;
 * - natural-replay: an attacker who has natural data and replays it (no synthetic queries): the case
 *   PRADA is not meant to catch, reported so the limit is visible.
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/data/poisoning/random.js';
import { AbuseTracker } from '../src/gateway/index.js';
import { machineInfo } from './lib/machine.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    queries: { type: 'string', default: '2000' },
    dim: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
  },
});
const clients = Number(values.clients);
const queries = Number(values.queries);
const dim = Number(values.dim);

const next = mulberry32(Number(values.seed));
const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());

// Three classes: a mean and a mixing matrix each (correlated features).
const classes = Array.from({ length: 3 }, () => ({
  mean: Array.from({ length: dim }, () => gaussian() * 3),
  mix: Array.from({ length: dim }, () => Array.from({ length: dim }, () => gaussian() * 0.5)),
}));
function natural(weights: readonly number[] = [1 / 3, 1 / 3, 1 / 3]): Float64Array {
  let pick = next();
  let index = 0;
  while (index < 2 && pick > weights[index]!) pick -= weights[index++]!;
  const { mean, mix } = classes[index]!;
  const z = Array.from({ length: dim }, gaussian);
  return Float64Array.from(mean, (m, i) => m + z[i]! + mix[i]!.reduce((sum, w, j) => sum + w * z[j]!, 0) * 0.5);
}

// Bounding box and spread of the natural data, for the uniform and Jacobian attackers.
const sample = Array.from({ length: 5000 }, () => natural());
const low = Float64Array.from({ length: dim }, (_, i) => Math.min(...sample.map((x) => x[i]!)));
const high = Float64Array.from({ length: dim }, (_, i) => Math.max(...sample.map((x) => x[i]!)));

type Attack = () => Generator<Float64Array>;
const attacks: Record<string, Attack> = {
  uniform: function* () {
    for (;;) yield Float64Array.from(low, (l, i) => l + next() * (high[i]! - l));
  },
  jacobian: function* () {
    const pool = Array.from({ length: 10 }, () => natural());
    yield* pool;
    for (;;) {
      const parent = pool[Math.floor(next() * pool.length)]!;
      const child = Float64Array.from(parent, (v, i) => v + (next() < 0.5 ? -1 : 1) * 0.1 * (high[i]! - low[i]!));
      pool.push(child);
      yield child;
    }
  },
  'line-search': function* () {
    for (;;) {
      let a = natural();
      let b = natural();
      for (let step = 0; step < 12; step++) {
        const middle = Float64Array.from(a, (v, i) => (v + b[i]!) / 2);
        yield middle;
        if (next() < 0.5) a = middle;
        else b = middle;
      }
    }
  },
  'natural-replay': function* () {
    for (;;) yield natural();
  },
};

const settings = { minW: 0.9, minQueries: 100, maxStored: 500, window: 2000 };

// Normal clients: each its own class mix, `queries` queries, one request per query.
let falseAlarms = 0;
const normalWs: number[] = [];
const started = performance.now();
for (let c = 0; c < clients; c++) {
  const tracker = new AbuseTracker(settings, undefined);
  const raw = [next(), next(), next()];
  const weights = raw.map((w) => w / (raw[0]! + raw[1]! + raw[2]!));
  let flagged = false;
  let w: number | undefined;
  for (let q = 0; q < queries; q++) {
    const reading = tracker.observe('normal', [natural(weights)]);
    flagged ||= reading.extraction;
    w = reading.extractionW;
  }
  if (flagged) falseAlarms++;
  if (w !== undefined) normalWs.push(w);
}
const normalMs = performance.now() - started;

const rows: string[] = [];
for (const [name, attack] of Object.entries(attacks)) {
  const detectedAt: (number | undefined)[] = [];
  for (let run = 0; run < 10; run++) {
    const tracker = new AbuseTracker(settings, undefined);
    const queriesOf = attack();
    let at: number | undefined;
    for (let q = 1; q <= queries && at === undefined; q++) {
      if (tracker.observe('attacker', [queriesOf.next().value as Float64Array]).extraction) at = q;
    }
    detectedAt.push(at);
  }
  const found = detectedAt.filter((at): at is number => at !== undefined).sort((a, b) => a - b);
  const median = found.length > 0 ? found[Math.floor(found.length / 2)] : undefined;
  rows.push(`| ${name} | ${found.length}/10 | ${median ?? '—'} | ${found[0] ?? '—'}–${found.at(-1) ?? '—'} |`);
}

normalWs.sort((a, b) => a - b);
const machine = machineInfo();
console.log(`#### Extraction detection replay — ${new Date().toISOString()}\n`);
console.log(
  `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage.join(' / ')}\n`,
);
console.log(
  `Settings: minW ${settings.minW}, minQueries ${settings.minQueries}, maxStored ${settings.maxStored}, window ${settings.window}; ${dim} features; up to ${queries} queries per client.\n`,
);
console.log('| Attack | Detected (runs) | Queries until detection, median | range |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
console.log(
  `\nNormal clients: ${clients}, ${queries} queries each; falsely flagged: ${falseAlarms} (${((100 * falseAlarms) / clients).toFixed(1)}%). Final W of normal clients: min ${normalWs[0]?.toFixed(3)}, median ${normalWs[Math.floor(normalWs.length / 2)]?.toFixed(3)}.`,
);
console.log(
  `Tracker cost: ${((normalMs * 1000) / (clients * queries)).toFixed(1)} µs per query (normal clients, including generation).`,
);
