/**
 * Precision and recall of the gateway's rule-based prompt-injection and jailbreak detector (`promptHits`,
 * src/gateway/prompt-rules.ts) on public attack prompts and an equal number of ordinary prompts. A prompt
 * counts as flagged when `promptHits` returns at least one hit; every attack prompt is a positive, every
 * ordinary prompt a negative.
 *
 *   npx tsx bench/prompt-injection/build-attacks.ts --fetch   # once: the public attack set into bench/.data
 *   npx tsx bench/prompt-injection/score.ts [--reps 25] [--out bench/results]
 *
 * Attacks: bench/.data/prompt-injection/attacks.jsonl (gitignored third-party text), checked prompt by
 * prompt against the SHA-256s in bench/prompt-injection/sources.json before scoring; the run stops if the
 * set differs. Ordinary prompts: bench/prompt-injection/benign.jsonl, written for this benchmark; ids
 * `b-<category>-nn` are everyday requests, `hn-<category>-nn` hard negatives (role-play that is not a
 * jailbreak, questions about security, benign "ignore"/"previous"/"system"/"developer mode", encoded data,
 * long pasted text, other languages and scripts).
 *
 * Timing: two warm-up passes, then `--reps` passes over all prompts in a shuffled order, each call timed
 * with process.hrtime; a prompt's time is the median of its reps, and the table gives the mean, median,
 * p99 and maximum of those per-prompt times.
 *
 * Results: a markdown table on stdout and in bench/results/prompt-injection.md; every false positive (id,
 * rules hit with their evidence, first 160 characters) and every false negative (id, source, first 160
 * characters), plus all counts and timings, in bench/results/prompt-injection.json.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type PromptHit, promptHits } from '../../src/gateway/prompt-rules.js';
import { machineInfo } from '../lib/machine.js';
import { median } from '../lib/stats.js';
import {
  ATTACKS_PATH,
  BENIGN_PATH,
  MANIFEST_PATH,
  type PromptRecord,
  REBUILD_HINT,
  readJsonl,
  readManifest,
  requireFile,
  sha256,
} from './sources.js';

interface Scored {
  readonly record: PromptRecord;
  readonly attack: boolean;
  /** Source key (attacks) or category (benign), from the id. */
  readonly group: string;
  readonly hard: boolean;
  readonly hits: readonly PromptHit[];
  micros: number;
}

// --- Loading -------------------------------------------------------------------------------------------

/** The attack prompts, after checking that ids and SHA-256s match sources.json in order. */
function loadAttacks(): PromptRecord[] {
  requireFile(MANIFEST_PATH);
  requireFile(ATTACKS_PATH);
  const manifest = readManifest();
  const attacks = readJsonl(ATTACKS_PATH);
  const expected = manifest.sources.flatMap((s) => s.prompts);
  const problems: string[] = [];
  if (attacks.length !== expected.length)
    problems.push(`${attacks.length} prompts in ${ATTACKS_PATH}, ${expected.length} in ${MANIFEST_PATH}`);
  for (let i = 0; i < Math.min(attacks.length, expected.length); i++) {
    const got = attacks[i]!;
    const want = expected[i]!;
    if (got.id !== want.id) problems.push(`line ${i + 1}: id ${got.id}, manifest ${want.id}`);
    else if (sha256(got.text) !== want.sha256)
      problems.push(`line ${i + 1} (${got.id}): text differs from the manifest`);
  }
  if (problems.length)
    throw new Error(
      `${ATTACKS_PATH} is not the set recorded in ${MANIFEST_PATH}:\n  ${problems.slice(0, 10).join('\n  ')}${problems.length > 10 ? `\n  … ${problems.length - 10} more` : ''}\n${REBUILD_HINT}`,
    );
  return attacks;
}

function loadBenign(): PromptRecord[] {
  requireFile(BENIGN_PATH);
  const benign = readJsonl(BENIGN_PATH);
  for (const r of benign)
    if (!/^(?:b|hn)-[a-z]+-\d+$/.test(r.id))
      throw new Error(`${BENIGN_PATH}: id ${r.id} is not b-<category>-nn or hn-<category>-nn`);
  return benign;
}

// --- Timing --------------------------------------------------------------------------------------------

/** Deterministic shuffle (mulberry32), so call order does not favour any prompt in the cache. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function time(scored: readonly Scored[], reps: number): void {
  let sink = 0;
  for (let pass = 0; pass < 2; pass++) for (const s of scored) sink += promptHits(s.record.text).length;
  const samples = new Map<Scored, number[]>(scored.map((s) => [s, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const s of shuffled(scored, rep + 1)) {
      const start = process.hrtime.bigint();
      sink += promptHits(s.record.text).length;
      samples.get(s)!.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  for (const [s, list] of samples) s.micros = median(list);
  if (sink < 0) console.log(sink);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function timingSummary(list: readonly Scored[]) {
  const us = list.map((s) => s.micros);
  const chars = list.map((s) => s.record.text.length);
  return {
    prompts: list.length,
    meanChars: chars.reduce((a, b) => a + b, 0) / (list.length || 1),
    meanMicros: us.reduce((a, b) => a + b, 0) / (list.length || 1),
    medianMicros: quantile(us, 0.5),
    p99Micros: quantile(us, 0.99),
    maxMicros: Math.max(...us),
  };
}

// --- Metrics -------------------------------------------------------------------------------------------

const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);
const fmt = (x: number, digits = 3) => (Number.isNaN(x) ? '—' : x.toFixed(digits));
const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);

/** Wilson score interval, 95%. */
function wilson(successes: number, n: number): [number, number] {
  if (n === 0) return [Number.NaN, Number.NaN];
  const z = 1.959964;
  const p = successes / n;
  const centre = p + (z * z) / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const denominator = 1 + (z * z) / n;
  return [(centre - margin) / denominator, (centre + margin) / denominator];
}
const ci = (a: number, n: number) => {
  const [lo, hi] = wilson(a, n);
  return `${fmt(lo)}–${fmt(hi)}`;
};

const flagged = (s: Scored) => s.hits.length > 0;
const snippet = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
};

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// --- Main ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      reps: { type: 'string', default: '25' },
      out: { type: 'string', default: join('bench', 'results') },
    },
  });
  const reps = Number(args.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${args.reps}`);
  let attacks: PromptRecord[];
  let benign: PromptRecord[];
  try {
    attacks = loadAttacks();
    benign = loadBenign();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }
  const manifest = readManifest();
  const before = machineInfo();

  const scored: Scored[] = [
    ...attacks.map((record) => ({
      record,
      attack: true,
      group: record.id.replace(/-[^-]+$/, ''),
      hard: false,
      hits: promptHits(record.text),
      micros: 0,
    })),
    ...benign.map((record) => ({
      record,
      attack: false,
      group: record.id.replace(/^(?:b|hn)-/, '').replace(/-\d+$/, ''),
      hard: record.id.startsWith('hn-'),
      hits: promptHits(record.text),
      micros: 0,
    })),
  ];
  console.error(`Timing ${scored.length} prompts × ${reps} reps…`);
  time(scored, reps);
  const after = machineInfo();

  const pos = scored.filter((s) => s.attack);
  const neg = scored.filter((s) => !s.attack);
  const tp = pos.filter(flagged).length;
  const fn = pos.length - tp;
  const fp = neg.filter(flagged).length;
  const tn = neg.length - fp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  const fpr = ratio(fp, fp + tn);

  const perSource = manifest.sources.map((src) => {
    const list = pos.filter((s) => s.group === src.key);
    const hit = list.filter(flagged).length;
    return {
      key: src.key,
      repo: src.repo,
      commit: src.commit,
      path: src.path,
      prompts: list.length,
      detected: hit,
      recall: ratio(hit, list.length),
    };
  });
  const categories = [...groupBy(neg, (s) => `${s.hard ? 'hn' : 'b'}-${s.group}`)].map(([key, list]) => ({
    key,
    hard: list[0]!.hard,
    prompts: list.length,
    flagged: list.filter(flagged).length,
  }));
  const ordinary = neg.filter((s) => !s.hard);
  const hard = neg.filter((s) => s.hard);

  const ruleNames = [...new Set(scored.flatMap((s) => s.hits.map((h) => h.rule)))].sort();
  const rules = ruleNames.map((rule) => {
    const onAttacks = pos.filter((s) => s.hits.some((h) => h.rule === rule));
    const onBenign = neg.filter((s) => s.hits.some((h) => h.rule === rule));
    return {
      rule,
      attacks: onAttacks.length,
      attacksOnlyThisRule: onAttacks.filter((s) => s.hits.length === 1).length,
      benign: onBenign.length,
      benignOnlyThisRule: onBenign.filter((s) => s.hits.length === 1).length,
    };
  });

  const timing = {
    all: timingSummary(scored),
    attacks: timingSummary(pos),
    benign: timingSummary(neg),
  };
  const falsePositives = neg.filter(flagged).map((s) => ({
    id: s.record.id,
    rules: s.hits.map((h) => ({ rule: h.rule, evidence: h.evidence })),
    text: snippet(s.record.text),
  }));
  const falseNegatives = pos
    .filter((s) => !flagged(s))
    .map((s) => ({
      id: s.record.id,
      source: s.record.source,
      chars: s.record.text.length,
      text: snippet(s.record.text),
    }));

  const us = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
  const md: string[] = [
    `#### Gateway prompt-injection rules — precision and recall — ${before.date}`,
    '',
    `Machine: ${before.cpu}, ${before.cores} cores, ${before.memoryGiB} GiB RAM, ${before.platform}, Node ${before.node}. Load average (1/5/15 min) ${before.loadAverage.join(' / ')} before, ${after.loadAverage.join(' / ')} after.`,
    '',
    `Data: ${pos.length} public attack prompts from ${manifest.sources.length} sources (${MANIFEST_PATH}, every prompt's SHA-256 verified) and ${neg.length} ordinary prompts written for this benchmark (${BENIGN_PATH}; ${hard.length} of them hard negatives). Flagged = \`promptHits(text)\` returns at least one hit.`,
    '',
    '| Measure | Value |',
    '| --- | --- |',
    `| prompts | ${scored.length} (${pos.length} attacks, ${neg.length} benign) |`,
    `| TP / FN (attacks flagged / missed) | ${tp} / ${fn} |`,
    `| FP / TN (benign flagged / passed) | ${fp} / ${tn} |`,
    `| precision | ${fmt(precision)} (95% CI ${ci(tp, tp + fp)}) |`,
    `| recall | ${fmt(recall)} (95% CI ${ci(tp, tp + fn)}) |`,
    `| F1 | ${fmt(f1)} |`,
    `| false-positive rate, all benign | ${fmt(fpr)} (${fp}/${neg.length}; 95% CI ${ci(fp, neg.length)}) |`,
    `| false-positive rate, ordinary (b-*) | ${fmt(ratio(ordinary.filter(flagged).length, ordinary.length))} (${ordinary.filter(flagged).length}/${ordinary.length}) |`,
    `| false-positive rate, hard negatives (hn-*) | ${fmt(ratio(hard.filter(flagged).length, hard.length))} (${hard.filter(flagged).length}/${hard.length}) |`,
    `| time per prompt, mean / median / p99 / max | ${us(timing.all.meanMicros)} / ${us(timing.all.medianMicros)} / ${us(timing.all.p99Micros)} / ${us(timing.all.maxMicros)} µs (median of ${reps} reps per prompt) |`,
    `| time per attack prompt (mean ${timing.attacks.meanChars.toFixed(0)} chars), mean / p99 | ${us(timing.attacks.meanMicros)} / ${us(timing.attacks.p99Micros)} µs |`,
    `| time per benign prompt (mean ${timing.benign.meanChars.toFixed(0)} chars), mean / p99 | ${us(timing.benign.meanMicros)} / ${us(timing.benign.p99Micros)} µs |`,
    '',
    '##### Recall per attack source',
    '',
    '| Source | Repository @ commit : path | Prompts | Detected | Recall |',
    '| --- | --- | ---: | ---: | ---: |',
    ...perSource.map(
      (s) =>
        `| ${s.key} | ${s.repo} @ ${s.commit.slice(0, 12)} : ${s.path} | ${s.prompts} | ${s.detected} | ${fmt(s.recall)} (${ci(s.detected, s.prompts)}) |`,
    ),
    '',
    '##### Benign prompts flagged per category',
    '',
    '| Category | Hard negative | Prompts | Flagged | Rate |',
    '| --- | --- | ---: | ---: | ---: |',
    ...categories.map(
      (c) => `| ${c.key} | ${c.hard ? 'yes' : 'no'} | ${c.prompts} | ${c.flagged} | ${pct(c.flagged, c.prompts)} |`,
    ),
    '',
    '##### Prompts hit per rule (a prompt can hit several rules; `rule:encoding` = inside a decoded payload)',
    '',
    '| Rule | Attacks hit | … by this rule alone | Benign hit | … by this rule alone |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rules.map(
      (r) => `| ${r.rule} | ${r.attacks} | ${r.attacksOnlyThisRule} | ${r.benign} | ${r.benignOnlyThisRule} |`,
    ),
    '',
    `##### False positives (${falsePositives.length})`,
    '',
    ...falsePositives.map(
      (f) =>
        `- \`${f.id}\` — ${f.rules.map((r) => `${r.rule} (“${r.evidence.replace(/\s+/g, ' ')}”)`).join(', ')}: ${f.text.replaceAll('`', "'")}`,
    ),
    '',
    `False negatives: ${falseNegatives.length} (${perSource.map((s) => `${s.key} ${s.prompts - s.detected}`).join(', ')}); ids and the first 160 characters of each in ${join(args.out, 'prompt-injection.json')}.`,
    '',
  ];
  const text = md.join('\n');
  console.log(text);

  mkdirSync(args.out, { recursive: true });
  const json = {
    command: `npx tsx bench/prompt-injection/score.ts --reps ${reps}`,
    machine: { before, after },
    data: {
      manifest: MANIFEST_PATH,
      attacks: ATTACKS_PATH,
      benign: BENIGN_PATH,
      sources: manifest.sources.map((s) => ({
        key: s.key,
        repo: s.repo,
        path: s.path,
        commit: s.commit,
        license: s.license,
        count: s.count,
      })),
    },
    counts: { prompts: scored.length, attacks: pos.length, benign: neg.length, hardNegatives: hard.length },
    confusion: { tp, fp, fn, tn },
    metrics: {
      precision,
      recall,
      f1,
      falsePositiveRate: fpr,
      falsePositiveRateOrdinary: ratio(ordinary.filter(flagged).length, ordinary.length),
      falsePositiveRateHard: ratio(hard.filter(flagged).length, hard.length),
      precisionCi95: wilson(tp, tp + fp),
      recallCi95: wilson(tp, tp + fn),
    },
    perSource,
    benignCategories: categories,
    rules,
    timing: { reps, unit: 'microseconds per prompt (median of reps per prompt)', ...timing },
    falsePositives,
    falseNegatives,
  };
  for (const [name, content] of [
    ['prompt-injection.md', `${text}\n`],
    ['prompt-injection.json', `${JSON.stringify(json, null, 2)}\n`],
  ] as const) {
    const path = join(args.out, name);
    writeFileSync(`${path}.tmp`, content);
    renameSync(`${path}.tmp`, path);
  }
  console.error(`Wrote ${join(args.out, 'prompt-injection.md')} and prompt-injection.json`);
}

await main();
