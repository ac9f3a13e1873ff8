import type { Severity } from '../../../contracts/index.js';
import { type Detector, type DetectorContext, type DetectorMatch, NO_MATCHES } from '../types.js';

/**
 * The shape every secret rule is written in: data (id, entity, texts, pattern) plus one validator that
 * turns a regex hit into a verdict or drops it. `ruleDetector` turns a rule into an engine `Detector`.
 */
export interface Verdict {
  readonly score: number;
  readonly reason: string;
  readonly severity?: Severity;
  /** Overrides the span of the whole regex match (e.g. only the password of a connection string). */
  readonly start?: number;
  readonly end?: number;
}

export interface Hit {
  readonly text: string;
  readonly match: RegExpExecArray;
  readonly start: number;
  readonly end: number;
  readonly context: DetectorContext;
}

export interface SecretRule {
  readonly id: string;
  readonly entity: string;
  readonly title: string;
  readonly severity: Severity;
  /** One line: what the value is and why the default severity is what it is. */
  readonly description: string;
  readonly remediation: string;
  /** Case-sensitive substrings, one of which every match contains: `quick` is an indexOf over these. */
  readonly needles: readonly string[] | undefined;
  /** Global regex, linear: bounded quantifiers only, no nested quantifiers over overlapping classes. */
  readonly pattern: RegExp;
  /** Length of the shortest possible match: values shorter than this are rejected without a regex. */
  readonly minLength: number;
  /**
   * For rules that cannot have `needles` because the column name alone can make a value a candidate:
   * a cheap test on the value and its column that runs before the regex.
   */
  readonly gate?: (text: string, context: DetectorContext) => boolean;
  /** For rules without `needles`: a cheap necessary condition on the value alone, the engine's `quick`. */
  readonly quick?: (text: string) => boolean;
  readonly validate: (hit: Hit) => Verdict | undefined;
}

/** Verdict for values that match a format but are documented examples, placeholders or test keys. */
export function low(reason: string, score = 0.2): Verdict {
  return { score, reason, severity: 'low' };
}

/**
 * Every rule's needles in one alternation, tested once per value: most values hold none, and then all
 * the needle rules are done with one scan instead of one `includes` per needle.
 */
const allNeedles = new Set<string>();
let anyNeedlePattern: RegExp | undefined;
let needleText: string | undefined;
let needleFound = false;

function anyNeedle(text: string): boolean {
  if (text !== needleText) {
    anyNeedlePattern ??= new RegExp(
      [...allNeedles].map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    );
    needleFound = anyNeedlePattern.test(text);
    needleText = text;
  }
  return needleFound;
}

export function ruleDetector(rule: SecretRule): Detector {
  // Read once: every rule is an object of its own shape, and `detect` below is shared code.
  const { needles, pattern, minLength, gate, validate, entity } = rule;
  if (!pattern.global) throw new Error(`${rule.id}: pattern must be global`);
  if (needles) {
    for (const needle of needles) allNeedles.add(needle);
    anyNeedlePattern = undefined;
    needleText = undefined;
  }
  const quick = needles
    ? (text: string): boolean => {
        if (text.length < minLength || !anyNeedle(text)) return false;
        for (const needle of needles) if (text.includes(needle)) return true;
        return false;
      }
    : rule.quick;
  return {
    id: rule.id,
    kind: 'secret',
    title: rule.title,
    severity: rule.severity,
    description: rule.description,
    remediation: rule.remediation,
    ...(quick ? { quick } : {}),
    minLength,
    detect(text: string, context: DetectorContext): DetectorMatch[] {
      // `quick` is the engine's to call; detect stays correct without it (every pattern contains a needle).
      if (text.length < minLength) return NO_MATCHES;
      if (gate && !gate(text, context)) return NO_MATCHES;
      let out: DetectorMatch[] | undefined;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        const verdict = validate({ text, match: m, start: m.index, end: m.index + m[0].length, context });
        if (!verdict) continue;
        out ??= [];
        out.push({
          entity,
          start: verdict.start ?? m.index,
          end: verdict.end ?? m.index + m[0].length,
          score: verdict.score,
          reason: verdict.reason,
          ...(verdict.severity ? { severity: verdict.severity } : {}),
        });
      }
      pattern.lastIndex = 0;
      return out ?? NO_MATCHES;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Context words: whole words from the column name and the text just before a match.

const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** Lower-case whole words: splits on non-alphanumerics and on camelCase humps (`awsSecretKey` → aws secret key). */
export function words(text: string): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) out.push(m[0].toLowerCase());
  return out;
}

const columnCache = new Map<string, readonly string[]>();

/** Words of a column name, memoised (a dataset has few distinct columns and millions of values). */
export function columnWords(column: string | undefined): readonly string[] {
  if (!column) return [];
  let cached = columnCache.get(column);
  if (!cached) {
    cached = words(column.length > 200 ? column.slice(-200) : column);
    if (columnCache.size > 4096) columnCache.clear();
    columnCache.set(column, cached);
  }
  return cached;
}

/** Words in the `radius` characters before `start`. */
export function wordsBefore(text: string, start: number, radius = 48): string[] {
  return words(text.slice(Math.max(0, start - radius), start));
}

const phraseParts = new Map<string, readonly string[]>();

/** True when `phrase` (space-separated words) occurs as consecutive whole words in `list`. */
export function hasPhrase(list: readonly string[], phrase: string): boolean {
  let parts = phraseParts.get(phrase);
  if (!parts) {
    parts = phrase.split(' ');
    phraseParts.set(phrase, parts);
  }
  outer: for (let i = 0; i + parts.length <= list.length; i++) {
    for (let j = 0; j < parts.length; j++) if (list[i + j] !== parts[j]) continue outer;
    return true;
  }
  return false;
}

export function findPhrase(list: readonly string[], phrases: readonly string[]): string | undefined {
  for (const phrase of phrases) if (hasPhrase(list, phrase)) return phrase;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Character statistics.

/** Shannon entropy in bits per character of the plug-in distribution (ASCII fast path, no allocation). */
const counts = new Uint32Array(65536);
export function shannon(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  for (let i = 0; i < n; i++) counts[value.charCodeAt(i)]!++;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const code = value.charCodeAt(i);
    const c = counts[code]!;
    if (c === 0) continue;
    const p = c / n;
    h -= p * Math.log2(p);
    counts[code] = 0;
  }
  return h;
}

export interface CharClasses {
  readonly lower: number;
  readonly upper: number;
  readonly digit: number;
  readonly other: number;
}

export function charClasses(value: string): CharClasses {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 48 && c <= 57) digit++;
    else other++;
  }
  return { lower, upper, digit, other };
}

/** Random-looking: both letter cases and digits or enough entropy that a word or identifier is unlikely. */
export function looksRandom(value: string, minEntropy: number): boolean {
  const k = charClasses(value);
  const kinds = (k.lower > 0 ? 1 : 0) + (k.upper > 0 ? 1 : 0) + (k.digit > 0 ? 1 : 0);
  return kinds >= 2 && shannon(value) >= minEntropy;
}

// ---------------------------------------------------------------------------------------------------
// Checksums and decoding.

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** JSON object behind a base64url segment, or undefined. */
export function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  if (segment.length > 8192) return undefined;
  const decoded = Buffer.from(segment, 'base64url').toString('utf8').trimEnd();
  if (!decoded.endsWith('}')) return undefined; // cheap reject before a throwing JSON.parse
  try {
    const json: unknown = JSON.parse(decoded);
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
