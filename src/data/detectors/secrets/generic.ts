import type { Detector, DetectorContext, DetectorMatch } from '../types.js';
import { documentedExample, placeholderReason } from './examples.js';
import { charClasses, columnWords, findPhrase, shannon, type Verdict, words } from './shared.js';
import { looksLikeConnectionParams } from './structured.js';

/**
 * Generic secrets: a high-entropy value assigned to a secret-like key in the text (`password=`,
 * `"api_key": "…"`, `SECRET: …`) or sitting in a column whose name is secret-like (`api_key`, `token`).
 *
 * Conservative by design (precision target ≥ 0.9): the key must be secret-like as whole words and carry
 * no word that makes it metadata (`token_type`, `password_hint`, `max_tokens`, `public_key`); the value
 * must pass a length-aware entropy floor, hold two character classes, and not be a UUID, digest, version,
 * path, URL, code reference, password hash, data URI / image base64, or a provider token that a
 * dedicated detector reports.
 *
 * Entropy floor: H ≥ 0.75·log2(n) bits/char, capped at 4.3. Measured on 20 000 random strings per length,
 * this sits at about the 1st percentile of random [a-z0-9] secrets (n=16: 3.0 vs p1 3.13; n=32: 3.75 vs
 * 3.90; n=40: 3.99 vs 4.11) and below it for base62/base64, while identifiers and phrases that reach the
 * floor are removed by the word test (average camelCase/snake_case hump length ≥ 4).
 */

const SECRET_PHRASES = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'secret',
  'token',
  'apikey',
  'api key',
  'access key',
  'secret key',
  'private key',
  'client secret',
  'accesstoken',
  'authtoken',
  'apitoken',
  'secretkey',
  'privatekey',
  'clientsecret',
  'credential',
  'credentials',
  'bearer',
  'auth',
] as const;
const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'pass']);

/** Words that make a secret-like key describe metadata about the secret rather than hold it. */
const NEGATIVE_WORDS = new Set(
  (
    'id ids type name names count len length max min num size limit url uri endpoint path file filename dir ' +
    'expiry expires expiration expired ttl hash hashed digest hint reset policy header field param prefix suffix ' +
    'format version usage public publishable cache enabled required label placeholder example sample test dummy ' +
    'fake mock location env var regex pattern validator validation rule strength salt nonce iv mode method ' +
    'provider scope scopes endpoint status level index idx position pos kind class algorithm alg'
  ).split(' '),
);

export type KeyKind = 'password' | 'secret';

/** Kind of secret a key names, judged on whole words; undefined when it is not secret-like. */
export function keyKind(keyWords: readonly string[]): { kind: KeyKind; phrase: string } | undefined {
  if (keyWords.length === 0 || keyWords.length > 12) return undefined;
  for (const word of keyWords) if (NEGATIVE_WORDS.has(word)) return undefined;
  const phrase = findPhrase(keyWords, SECRET_PHRASES);
  if (!phrase) return undefined;
  return { kind: PASSWORD_WORDS.has(phrase) ? 'password' : 'secret', phrase };
}

// --- Value shapes that are never a generic secret ----------------------------------------------------

const NOT_A_SECRET: ReadonlyArray<readonly [RegExp, string]> = [
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'uuid'],
  [/^v?\d{1,6}(?:\.\d{1,6}){1,3}(?:[-+][0-9A-Za-z.-]{0,64})?$/, 'version'],
  [/^[\d.,:+\-/ ]+$/, 'number or date'],
  [/:\/\/|^\/|^~\/|^\.\.?\/|^[A-Za-z]:\\/, 'url or path'],
  [/^[A-Za-z_$][\w$]{0,64}(?:\.[A-Za-z_$][\w$]{0,64}){1,8}$/, 'code reference'],
  [
    /^\$(?:2[abxy]?|5|6|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]{0,16}|y|gy|7)\$|^(?:pbkdf2_sha\d+|bcrypt|sha\d+|md5)\$|^\{(?:SSHA|SHA|SMD5|MD5|CRYPT|PBKDF2)\}/i,
    'password hash',
  ],
  [/^data:|^(?:iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|Qk0|SUkq|AAAA[A-Za-z0-9+/]{0,8}ZnR5c)/, 'data uri or image base64'],
  [/^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}$/, 'email address'],
  [/\.(?:json|txt|pem|key|ya?ml|env|cfg|conf|ini|crt|cer|p12|pfx|jks|keystore|gpg|asc)$/i, 'file name'],
  [
    /^(?:gh[pousr]_|github_pat_|AKIA|ASIA|xox[abeprs]-|xapp-|[spr]k_(?:live|test)_|sk-|hf_|api_org_|AIza|eyJ|-----BEGIN)/,
    'provider token (dedicated detector)',
  ],
  [
    /^(?:\$\{.*\}|\$[A-Za-z_]\w*|\$\(.*\)|\{\{.*\}\}|%\(?\w*\)?s|<.*>|\[.*\]|\*+|null|none|nil|undefined|true|false|empty|redacted|hidden|masked|secret|password|token|string|str|required|optional|changeme|todo|tbd)$/i,
    'placeholder',
  ],
];
const HEX = /^[0-9a-f]+$/i;
const HUMP = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g;
const WHITESPACE = /\s/;
const TRAILING = /[.,;:!?)\]}]+$/;

/** Identifier or phrase: letters dominate and come in word-sized humps (`my_secret_token`, `DatabasePassword2024`). */
export function wordLike(value: string): boolean {
  let letters = 0;
  let humps = 0;
  HUMP.lastIndex = 0;
  for (let m = HUMP.exec(value); m !== null; m = HUMP.exec(value)) {
    letters += m[0].length;
    humps++;
  }
  return humps > 0 && letters >= 0.6 * value.length && letters / humps >= 4;
}

export function entropyFloor(length: number): number {
  return Math.min(4.3, 0.75 * Math.log2(length));
}

/** Judge a candidate value under a secret-like key; undefined when it should not be reported. */
export function judgeValue(value: string, kind: KeyKind, phrase: string): Verdict | undefined {
  const n = value.length;
  if (kind === 'password' ? n < 8 || n > 128 : n < 16 || n > 256) return undefined;
  for (const [pattern] of NOT_A_SECRET) if (pattern.test(value)) return undefined;
  if (placeholderReason(value)) return undefined;
  const known = documentedExample(value);
  if (known) return { score: 0.2, severity: 'low', reason: `documented example value: ${known.source}` };
  const h = shannon(value);
  const k = charClasses(value);
  const kinds = (k.lower > 0 ? 1 : 0) + (k.upper > 0 ? 1 : 0) + (k.digit > 0 ? 1 : 0) + (k.other > 0 ? 1 : 0);
  const bits = h.toFixed(1);
  if (HEX.test(value)) {
    // Digests (md5/sha1/sha256, git SHAs) are hex too: report only long hex under a key that says secret.
    if (kind === 'password' || n < 32 || phrase === 'auth' || phrase === 'bearer') return undefined;
    return { score: 0.5, severity: 'low', reason: `hex value under "${phrase}" (could also be a digest)` };
  }
  if (kind === 'password') {
    // Letters-only values under a password key are identifiers far more often than passwords (`pass: getInput`).
    if (k.digit === 0 && k.other === 0) return undefined;
    const strong = kinds >= 3 || (n >= 12 && kinds >= 2 && h >= 3);
    if (!strong || (wordLike(value) && kinds < 3) || h < 2.5) return undefined;
    return { score: 0.65, reason: `password-like value (${kinds} character classes, H=${bits}) under "${phrase}"` };
  }
  const alnumKinds = (k.lower > 0 ? 1 : 0) + (k.upper > 0 ? 1 : 0) + (k.digit > 0 ? 1 : 0);
  if (alnumKinds < 2 || h < entropyFloor(n) || wordLike(value)) return undefined;
  return {
    score: h >= entropyFloor(n) + 0.4 ? 0.8 : 0.7,
    reason: `high-entropy value (H=${bits} bits/char) under "${phrase}"`,
  };
}

// --- Finding candidates ------------------------------------------------------------------------------

/** Secret-like word stems: the text path only looks at assignments whose key contains one of these. */
const KEYWORD = /pass|pwd|secret|token|api_?key|apikey|access_?key|auth|credential|private|bearer/gi;
/**
 * From a keyword hit: rest of the key, optional closing quote, `=`, `:`, `:=` or `=>`, optional opening
 * quote, value. Sticky and bounded, so each keyword hit costs at most a few hundred steps.
 */
const ASSIGNMENT_AFTER = /([A-Za-z0-9_.-]{0,63})["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["'`]?([^\s"'`,;<>(){}[\]]{6,512})/y;
const KEY_CHAR = /[A-Za-z0-9_.-]/;
const KEY_START = /[A-Za-z_]/;
const CODE_START = /^(?:!|&&|\|\||\?\?|=|\+\+|--|->)/;

const columnKinds = new WeakMap<readonly string[], boolean>();
/** keyKind of a column, memoised on the (already memoised) word list of the column. */
function columnKind(column: readonly string[]): boolean {
  let kind = columnKinds.get(column);
  if (kind === undefined) {
    kind = keyKind(column) !== undefined;
    columnKinds.set(column, kind);
  }
  return kind;
}

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly keyWords: readonly string[];
}

function trimmedValue(text: string): { start: number; end: number } | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  const first = text[start];
  if (end - start >= 2 && (first === '"' || first === "'") && text[end - 1] === first) {
    start++;
    end--;
  }
  if (end - start > 512 || end - start < 8) return undefined;
  for (let i = start; i < end; i++) if (WHITESPACE.test(text[i]!)) return undefined;
  return { start, end };
}

function candidates(text: string, context: DetectorContext): Candidate[] {
  const out: Candidate[] = [];
  const column = columnWords(context.column);
  if (column.length > 0 && columnKind(column)) {
    const span = trimmedValue(text);
    if (span) out.push({ ...span, keyWords: column });
  }
  if (!text.includes('=') && !text.includes(':')) return out;
  KEYWORD.lastIndex = 0;
  for (let hit = KEYWORD.exec(text); hit !== null; hit = KEYWORD.exec(text)) {
    // Walk back to the start of the key (bounded), then forward to its first letter or underscore.
    let keyStart = hit.index;
    while (keyStart > 0 && hit.index - keyStart < 64 && KEY_CHAR.test(text[keyStart - 1]!)) keyStart--;
    while (keyStart < hit.index && !KEY_START.test(text[keyStart]!)) keyStart++;
    ASSIGNMENT_AFTER.lastIndex = hit.index;
    const m = ASSIGNMENT_AFTER.exec(text);
    if (!m) continue;
    KEYWORD.lastIndex = m.index + m[0].length;
    const keyWords = words(text.slice(keyStart, hit.index + m[1]!.length));
    if (!keyKind(keyWords)) continue;
    let value = m[2]!;
    // `pass: makeKey(…)`, `token = !!flag`: code, not a value.
    if (text[m.index + m[0].length] === '(' || CODE_START.test(value)) continue;
    const trailing = TRAILING.exec(value);
    if (trailing) value = value.slice(0, value.length - trailing[0].length);
    const start = m.index + m[0].length - m[2]!.length;
    out.push({ start, end: start + value.length, keyWords });
  }
  KEYWORD.lastIndex = 0;
  return out;
}

export const genericSecret: Detector = {
  id: 'secret.generic-secret',
  kind: 'secret',
  title: 'High-entropy value under a secret-like key',
  severity: 'medium',
  description:
    'A random-looking value assigned to a key such as password, secret, token or api_key (in the text or the column name): medium because the provider and validity are unknown; provider detectors report known formats at higher severity.',
  remediation:
    'Find which system the value belongs to, rotate it there, and remove it from the dataset; keep secrets out of logs, prompts and exported configs.',
  minLength: 8,
  // No `quick`: a secret-like column name makes every value a candidate; detect gates on the column and one regex.
  detect(text: string, context: DetectorContext): DetectorMatch[] {
    if (text.length < 8) return [];
    const out: DetectorMatch[] = [];
    for (const candidate of candidates(text, context)) {
      const found = keyKind(candidate.keyWords);
      if (!found) continue;
      const { kind, phrase } = found;
      // Reported by the AWS secret-key and connection-string detectors instead.
      if (findPhrase(candidate.keyWords, ['secret access key', 'aws secret', 'secretaccesskey'])) continue;
      if (kind === 'password' && looksLikeConnectionParams(text)) continue;
      const verdict = judgeValue(text.slice(candidate.start, candidate.end), kind, phrase);
      if (!verdict) continue;
      if (out.some((m) => m.start === candidate.start)) continue;
      out.push({
        entity: 'GENERIC_SECRET',
        start: candidate.start,
        end: candidate.end,
        score: verdict.score,
        reason: verdict.reason,
        ...(verdict.severity ? { severity: verdict.severity } : {}),
      });
    }
    return out;
  },
};
