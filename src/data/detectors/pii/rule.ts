import type { Severity } from '../../../contracts/index.js';
import { type Detector, type DetectorContext, type DetectorMatch, NO_MATCHES } from '../types.js';
import { type ContextHit, ContextWords, findTextContext } from './context.js';

/** What a validator says about one pattern match. */
export interface Verdict {
  readonly start: number;
  readonly end: number;
  /** Score from pattern and checksum alone; the context boost is added by the engine. */
  readonly score: number;
  readonly reason: string;
  readonly severity?: Severity;
  /** Drop the match unless a context word is in the column name or near the match. */
  readonly requiresContext?: boolean;
}

/** A pattern, or a pattern that only runs when the value contains `requires` (one indexOf). */
export type PatternSpec = RegExp | { readonly regex: RegExp; readonly requires: string };

/** What a validator may ask of the engine. */
export interface RuleEnv {
  readonly column: string | undefined;
  /** Context word in the column or around `[start, end)`, computed on demand. */
  context(start: number, end: number): ContextHit | undefined;
  /** False when neither the column nor the value contains any context word: a cheap early exit. */
  mayHaveContext(): boolean;
}

/**
 * A personal-data rule as data: what it finds, why it matters, the patterns that propose candidates and
 * the validator (checksum, structure, library) that accepts or rejects each one.
 */
export interface PiiRule {
  readonly id: string;
  readonly entity: string;
  readonly title: string;
  readonly severity: Severity;
  /** One paragraph: what is found, how it is validated, and why this default severity. */
  readonly description: string;
  readonly remediation: string;
  /** Whole words (or phrases) that raise confidence when in the column name or near the match. */
  readonly contextWords: readonly string[];
  /** Added to the score when a context word is found. */
  readonly contextBoost: number;
  /** Every match needs context: values without a column hit or a context substring are skipped at once. */
  readonly contextRequired?: boolean;
  readonly quick?: (text: string) => boolean;
  /** Shortest value a pattern can match (see `Detector.minLength`). */
  readonly minLength: number;
  /** A test with the column at hand, before any pattern runs: false skips the value. */
  readonly gate?: (text: string, env: RuleEnv) => boolean;
  /** Global (`g`) regular expressions, linear-time, compiled once; optionally with a required substring. */
  readonly patterns: readonly PatternSpec[];
  validate(match: RegExpExecArray, text: string, env: RuleEnv): Verdict | null;
}

/**
 * At most this many matches per detector per value. A value with more (a 100k-character log line full
 * of numbers) is flagged well enough by the first ones, and the cap keeps validation work bounded.
 */
export const MAX_MATCHES_PER_VALUE = 100;

const DEFAULT_REMEDIATION =
  'Remove or pseudonymise the value before training (drop the column, mask, or replace it with a synthetic value), and record the decision in the dataset card.';

export function remediationFor(what: string): string {
  return `${what} ${DEFAULT_REMEDIATION}`;
}

/** Turns a rule into a detector: run every pattern, validate, add context, keep the best match per span. */
export function ruleDetector(rule: PiiRule): Detector {
  const words = new ContextWords(rule.contextWords);
  const patterns = rule.patterns.map((spec) => (spec instanceof RegExp ? { regex: spec, requires: '' } : spec));
  for (const { regex } of patterns) {
    if (!regex.global) throw new Error(`${rule.id}: pattern ${regex} must be global`);
  }
  // Read once: every rule is an object of its own shape, and the closure below is shared code.
  const { contextRequired, gate, validate, contextBoost, entity } = rule;
  const detect = (text: string, context: DetectorContext): DetectorMatch[] => {
    const column = context.column;
    if (contextRequired && !words.inColumn(column) && !words.mayOccurIn(text)) return NO_MATCHES;
    let matches: DetectorMatch[] | undefined;
    let env: MemoEnv | undefined;
    if (gate) {
      env = new MemoEnv(words, text, column);
      if (!gate(text, env)) return NO_MATCHES;
    }
    for (const { regex: pattern, requires } of patterns) {
      if (requires && text.indexOf(requires) === -1) continue;
      pattern.lastIndex = 0;
      let m = pattern.exec(text);
      while (m !== null && (matches === undefined || matches.length < MAX_MATCHES_PER_VALUE)) {
        if (m[0].length === 0) pattern.lastIndex++;
        env ??= new MemoEnv(words, text, column);
        const verdict = validate(m, text, env);
        if (verdict) {
          const hit = env.context(verdict.start, verdict.end);
          if (!verdict.requiresContext || hit) {
            const score = Math.min(1, Math.max(0, verdict.score + (hit ? contextBoost : 0)));
            // Literals, not spreads: an object spread costs ~1 µs here, more than the whole match.
            const reason = hit ? `${verdict.reason}; ${hit.reason}` : verdict.reason;
            const rounded = Math.round(score * 100) / 100;
            const { start, end, severity } = verdict;
            matches ??= [];
            addMatch(
              matches,
              severity
                ? { entity, start, end, score: rounded, reason, severity }
                : { entity, start, end, score: rounded, reason },
            );
          }
        }
        m = pattern.exec(text);
      }
    }
    return matches ?? NO_MATCHES;
  };
  return {
    id: rule.id,
    kind: 'pii',
    title: rule.title,
    severity: rule.severity,
    description: rule.description,
    remediation: rule.remediation,
    ...(rule.quick ? { quick: rule.quick } : {}),
    minLength: rule.minLength,
    detect,
  };
}

/** Context look-ups for one value, remembering the last span (validators and the engine ask twice). */
class MemoEnv implements RuleEnv {
  private lastStart = -1;
  private lastEnd = -1;
  private lastHit: ContextHit | undefined;
  private possible: boolean | undefined;

  constructor(
    private readonly words: ContextWords,
    private readonly text: string,
    readonly column: string | undefined,
  ) {}

  context(start: number, end: number): ContextHit | undefined {
    if (start !== this.lastStart || end !== this.lastEnd) {
      this.lastHit =
        this.words.inColumn(this.column) ??
        (this.mayHaveContext() ? findTextContext(this.words, this.text, start, end) : undefined);
      this.lastStart = start;
      this.lastEnd = end;
    }
    return this.lastHit;
  }

  /** False when neither the column nor the value holds a context word's first token as a substring. */
  mayHaveContext(): boolean {
    this.possible ??= this.words.inColumn(this.column) !== undefined || this.words.mayOccurIn(this.text);
    return this.possible;
  }
}

/** Keeps one match per overlapping span: the higher score wins. */
export function addMatch(matches: DetectorMatch[], match: DetectorMatch): void {
  for (let i = 0; i < matches.length; i++) {
    const other = matches[i]!;
    if (match.start < other.end && other.start < match.end) {
      if (match.score > other.score) matches[i] = match;
      return;
    }
  }
  matches.push(match);
}

/** Only the digits of `text`. */
export function digitsOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) out += text[i];
  }
  return out;
}

/** The character code at `i`, or -1 outside the string. */
export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : -1;
}
