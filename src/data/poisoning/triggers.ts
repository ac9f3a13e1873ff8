import { tokenize } from './columns.js';
import { fmix32, hashString } from './random.js';

/**
 * Trigger tokens: words or phrases (1–3-grams) whose presence predicts one label far above its base
 * rate. Such a token is either an honest signal of the class ("excellent" in positive reviews) or an
 * inserted backdoor trigger. The two are told apart by the rest of each row: an attacker puts the
 * trigger into examples of another class and relabels them, so in a trigger's rows the other words
 * point to a different label. That is judged with leave-one-out naive Bayes counts over the words of
 * the file itself (no trained model). A clean-label backdoor (trigger added to rows already of the
 * target label) leaves no such conflict and is not caught here.
 *
 * Three passes over the texts: document frequency of every gram (lossy: when more than `maxGrams`
 * distinct grams are held, the rarest are pruned), label counts of the frequent grams, then the rows
 * of the candidates. Memory: the gram maps, bounded by `maxGrams` entries.
 */

export interface TriggerTuning {
  readonly minSupport: number;
  readonly z: number;
  readonly purity: number;
  readonly conflict: number;
  readonly maxGrams: number;
}

export interface Trigger {
  readonly gram: string;
  readonly label: number;
  /** Rows (indices into the texts) that contain the gram and carry the label. */
  readonly rows: number[];
  /** Labelled rows that contain the gram. */
  readonly support: number;
  readonly z: number;
  readonly purity: number;
  /** Share of `rows` whose other words point to another label. */
  readonly conflict: number;
  /** Base rate of the label. */
  readonly baseRate: number;
}

/** Candidates whose conflict is judged; the strongest by z when more pass the co-occurrence test. */
const maxCandidates = 5000;
/** Log-odds by which another label must beat the row's own for the row's other words to count as conflicting. */
const conflictMargin = 1;

function grams(tokens: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    set.add(tokens[i]!);
    if (i + 1 < tokens.length) set.add(`${tokens[i]} ${tokens[i + 1]}`);
    if (i + 2 < tokens.length) set.add(`${tokens[i]} ${tokens[i + 1]} ${tokens[i + 2]}`);
  }
  return set;
}

/**
 * The distinct 1–3-grams of a row as 32-bit hashes built from the word hashes, so the counting pass
 * makes no strings; `gram` recovers the text of a hash (a rare collision only merges two counts).
 */
function gramHashes(tokens: readonly string[]): { hashes: Map<number, [number, number]>; unigrams: Set<number> } {
  const words = tokens.map((token) => hashString(token));
  const hashes = new Map<number, [number, number]>();
  const unigrams = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const one = words[i]!;
    hashes.set(one, [i, 1]);
    unigrams.add(one);
    if (i + 1 >= words.length) continue;
    const two = fmix32(Math.imul(one, 0x9e3779b1) ^ words[i + 1]! ^ 0x2);
    hashes.set(two, [i, 2]);
    if (i + 2 >= words.length) continue;
    hashes.set(fmix32(Math.imul(two, 0x9e3779b1) ^ words[i + 2]! ^ 0x3), [i, 3]);
  }
  return { hashes, unigrams };
}

/**
 * Counts of 32-bit gram hashes in an open-addressing table of typed arrays (12 bytes a slot, twice
 * `max` slots): far lighter and faster than a Map of millions of entries. When more than `max` hashes
 * are held, those counted `floor` times or fewer are dropped and `floor` rises (lossy counting).
 */
class GramCounts {
  #keys: Uint32Array;
  #counts: Uint32Array;
  #flags: Uint8Array;
  #size = 0;
  floor = 0;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, max * 2)));
    this.#keys = new Uint32Array(capacity);
    this.#counts = new Uint32Array(capacity);
    this.#flags = new Uint8Array(capacity);
  }

  /** Slot of a hash, or -1. */
  find(hash: number): number {
    const key = hash >>> 0 || 1;
    const mask = this.#keys.length - 1;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const held = this.#keys[slot]!;
      if (held === key) return slot;
      if (held === 0) return -1;
    }
  }

  count(slot: number): number {
    return this.#counts[slot]!;
  }

  unigram(slot: number): boolean {
    return this.#flags[slot] === 1;
  }

  increment(hash: number, unigram: boolean): void {
    const key = hash >>> 0 || 1;
    const mask = this.#keys.length - 1;
    let slot = key & mask;
    while (this.#keys[slot] !== 0 && this.#keys[slot] !== key) slot = (slot + 1) & mask;
    if (this.#keys[slot] === 0) {
      this.#keys[slot] = key;
      this.#flags[slot] = unigram ? 1 : 0;
      this.#size++;
    }
    this.#counts[slot]!++;
    while (this.#size > this.#max) this.#prune();
  }

  #prune(): void {
    this.floor++;
    const keys = this.#keys;
    const counts = this.#counts;
    const flags = this.#flags;
    this.#keys = new Uint32Array(keys.length);
    this.#counts = new Uint32Array(keys.length);
    this.#flags = new Uint8Array(keys.length);
    this.#size = 0;
    const mask = keys.length - 1;
    for (let old = 0; old < keys.length; old++) {
      const key = keys[old]!;
      if (key === 0 || counts[old]! <= this.floor) continue;
      let slot = key & mask;
      while (this.#keys[slot] !== 0) slot = (slot + 1) & mask;
      this.#keys[slot] = key;
      this.#counts[slot] = counts[old]!;
      this.#flags[slot] = flags[old]!;
      this.#size++;
    }
  }
}

export function triggerTokens(
  texts: readonly (string | undefined)[],
  labels: Int32Array,
  classes: number,
  tuning: TriggerTuning,
  signal?: AbortSignal,
): { triggers: Trigger[]; notes: string[] } {
  const notes: string[] = [];
  const labelled: number[] = [];
  const prior = new Float64Array(classes);
  for (let i = 0; i < texts.length; i++) {
    if (labels[i]! < 0 || !texts[i]) continue;
    labelled.push(i);
    prior[labels[i]!]!++;
  }
  const total = labelled.length;
  if (total === 0) return { triggers: [], notes };

  // Pass 1: document frequency of gram hashes, the rarest pruned to bound memory.
  const frequency = new GramCounts(tuning.maxGrams);
  for (const i of labelled) {
    if ((i & 1023) === 0) signal?.throwIfAborted();
    const { hashes, unigrams } = gramHashes(tokenize(texts[i]!));
    for (const hash of hashes.keys()) frequency.increment(hash, unigrams.has(hash));
  }
  const floor = frequency.floor;
  if (floor > 0)
    notes.push(
      `more than ${tuning.maxGrams} distinct words and phrases: those seen in ${floor} rows or fewer were pruned`,
    );

  // Pass 2: per-label counts, by text, of the grams that can reach the support and of the words (for the Bayes check).
  const counts = new Map<string, Int32Array>();
  const wanted = (hash: number) => {
    const slot = frequency.find(hash);
    if (slot < 0) return false;
    const count = frequency.count(slot);
    return count + floor >= tuning.minSupport || (count >= 2 && frequency.unigram(slot));
  };
  for (const i of labelled) {
    const tokens = tokenize(texts[i]!);
    for (const [hash, [start, length]] of gramHashes(tokens).hashes) {
      if (!wanted(hash)) continue;
      const gram = tokens.slice(start, start + length).join(' ');
      let row = counts.get(gram);
      if (!row) {
        row = new Int32Array(classes);
        counts.set(gram, row);
      }
      row[labels[i]!]!++;
    }
  }

  // Candidates: co-occurrence z-score against the label's base rate, and purity.
  type Candidate = { gram: string; label: number; support: number; z: number; purity: number; rows: number[] };
  let candidates: Candidate[] = [];
  for (const [gram, row] of counts) {
    let support = 0;
    for (const count of row) support += count;
    if (support < tuning.minSupport) continue;
    for (let c = 0; c < classes; c++) {
      const p = prior[c]! / total;
      if (p <= 0 || p >= 1) continue;
      const count = row[c]!;
      const purity = count / support;
      if (purity < tuning.purity) continue;
      const z = (count - support * p) / Math.sqrt(support * p * (1 - p));
      if (z >= tuning.z) candidates.push({ gram, label: c, support, z, purity, rows: [] });
    }
  }
  if (candidates.length > maxCandidates) {
    candidates.sort((a, b) => b.z - a.z);
    notes.push(
      `${candidates.length} label-predictive words and phrases; the ${maxCandidates} strongest checked for triggers`,
    );
    candidates = candidates.slice(0, maxCandidates);
  }
  if (candidates.length === 0) return { triggers: [], notes };

  // Pass 3: the rows of each candidate, and whether their other words point elsewhere.
  const byGram = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const list = byGram.get(candidate.gram) ?? [];
    list.push(candidate);
    byGram.set(candidate.gram, list);
  }
  const candidateWords = new Set(candidates.flatMap((candidate) => candidate.gram.split(' ')));
  const conflicts = new Map<Candidate, number>();
  const scores = new Float64Array(classes);
  for (const i of labelled) {
    if ((i & 1023) === 0) signal?.throwIfAborted();
    const tokens = tokenize(texts[i]!);
    if (!tokens.some((token) => candidateWords.has(token))) continue;
    const words = new Set(tokens);
    for (const gram of grams(tokens)) {
      const list = byGram.get(gram);
      if (!list) continue;
      for (const candidate of list) {
        if (candidate.label !== labels[i]) continue;
        candidate.rows.push(i);
        const excluded = new Set(gram.split(' '));
        // Leave-one-out naive Bayes over the row's other words: this row's own counts are taken out.
        const own = labels[i]!;
        for (let c = 0; c < classes; c++) {
          const rows = prior[c]! - (c === own ? 1 : 0);
          scores[c] = rows <= 0 ? Number.NEGATIVE_INFINITY : Math.log(rows);
        }
        for (const word of words) {
          if (excluded.has(word)) continue;
          const wordCounts = counts.get(word);
          if (!wordCounts) continue;
          for (let c = 0; c < classes; c++) {
            const rows = prior[c]! - (c === own ? 1 : 0);
            scores[c]! += Math.log((wordCounts[c]! - (c === own ? 1 : 0) + 1) / (rows + 2));
          }
        }
        let best = own;
        for (let c = 0; c < classes; c++) if (scores[c]! > scores[best]!) best = c;
        // Only a decisive verdict counts: text with no leaning either way is not evidence of relabelling.
        if (best !== own && scores[best]! - scores[own]! >= conflictMargin)
          conflicts.set(candidate, (conflicts.get(candidate) ?? 0) + 1);
      }
    }
  }

  // Keep the conflicting candidates; a phrase whose rows are mostly those of a reported one adds nothing.
  const passing = candidates
    .map((candidate) => ({ candidate, conflict: (conflicts.get(candidate) ?? 0) / Math.max(1, candidate.rows.length) }))
    .filter(({ conflict }) => conflict >= tuning.conflict)
    .sort(
      (a, b) =>
        b.candidate.rows.length - a.candidate.rows.length ||
        a.candidate.gram.split(' ').length - b.candidate.gram.split(' ').length ||
        b.candidate.z - a.candidate.z ||
        (a.candidate.gram < b.candidate.gram ? -1 : 1),
    );
  const triggers: Trigger[] = [];
  const covered = new Map<number, Set<number>>();
  for (const { candidate, conflict } of passing) {
    const seen = covered.get(candidate.label) ?? new Set<number>();
    const overlap = candidate.rows.filter((r) => seen.has(r)).length;
    if (overlap >= 0.8 * candidate.rows.length) continue;
    for (const r of candidate.rows) seen.add(r);
    covered.set(candidate.label, seen);
    triggers.push({
      gram: candidate.gram,
      label: candidate.label,
      rows: candidate.rows,
      support: candidate.support,
      z: candidate.z,
      purity: candidate.purity,
      conflict,
      baseRate: prior[candidate.label]! / total,
    });
  }
  return { triggers, notes };
}
