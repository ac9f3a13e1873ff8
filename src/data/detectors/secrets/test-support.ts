import { expect } from 'vitest';
import type { Severity } from '../../../contracts/index.js';
import { type DetectorMatch, mayMatch } from '../types.js';
import { secretDetectors } from './index.js';
import { githubChecksum } from './providers.js';
import { BASE62 } from './shared.js';

/**
 * Builders for synthetic credentials (tests only, excluded from the build). Every token is made up from
 * a seeded generator, checksummed where the format has a checksum; nothing here is a real credential.
 */

export type Rng = () => number;

/** mulberry32: small, seeded, deterministic. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const BASE64 = `${BASE62}+/`;
export const HEXDIGITS = '0123456789abcdef';

export function pick(r: Rng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(r() * alphabet.length)];
  return out;
}

export function githubClassic(r: Rng, prefix = 'ghp'): string {
  const random = pick(r, BASE62, 30);
  return `${prefix}_${random}${githubChecksum(random)}`;
}

/** Same token with one checksum character changed: right shape, wrong CRC32. */
export function githubWrongChecksum(r: Rng, prefix = 'ghp'): string {
  const token = githubClassic(r, prefix);
  const last = token.at(-1)!;
  return token.slice(0, -1) + (last === 'a' ? 'b' : 'a');
}

export const githubFineGrained = (r: Rng) => `github_pat_11${pick(r, BASE62, 20)}_${pick(r, BASE62, 59)}`;
export const awsKeyId = (r: Rng, prefix = 'AKIA') => `${prefix}${pick(r, BASE32, 16)}`;
export const awsSecret = (r: Rng) => {
  for (;;) {
    const s = pick(r, BASE64, 40);
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)) return s;
  }
};
export const slackBot = (r: Rng) =>
  `xoxb-${pick(r, '123456789', 12)}-${pick(r, '123456789', 13)}-${pick(r, BASE62, 24)}`;
export const slackUser = (r: Rng) =>
  `xoxp-${pick(r, '123456789', 11)}-${pick(r, '123456789', 11)}-${pick(r, '123456789', 13)}-${pick(r, HEXDIGITS, 32)}`;
export const slackApp = (r: Rng) =>
  `xapp-1-A${pick(r, BASE32, 10)}-${pick(r, '123456789', 13)}-${pick(r, HEXDIGITS, 64)}`;
export const slackWebhook = (r: Rng) =>
  `https://hooks.slack.com/services/T${pick(r, BASE32, 10)}/B${pick(r, BASE32, 10)}/${pick(r, BASE62, 24)}`;
export const stripe = (r: Rng, prefix: string) => `${prefix}_${pick(r, BASE62, 24)}`;
export const openaiLegacy = (r: Rng) => `sk-${pick(r, BASE62, 20)}T3BlbkFJ${pick(r, BASE62, 20)}`;
export const openaiProject = (r: Rng) => `sk-proj-${pick(r, `${BASE62}_-`, 74)}T3BlbkFJ${pick(r, `${BASE62}_-`, 74)}`;
export const huggingface = (r: Rng) => `hf_${pick(r, LETTERS, 34)}`;
export const googleApiKey = (r: Rng) => `AIza${pick(r, `${BASE62}_-`, 35)}`;

export function jwtToken(header: object, payload: object, signature: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

export function pemBlock(r: Rng, label: string, bodyChars = 1600, lineBreak = '\n'): string {
  const body = pick(r, BASE64, bodyChars);
  const lines = body.match(/.{1,64}/g)!.join(lineBreak);
  return `-----BEGIN ${label}PRIVATE KEY-----${lineBreak}${lines}${lineBreak}-----END ${label}PRIVATE KEY-----`;
}

export function opensshBlock(r: Rng, cipher: string): string {
  const name = Buffer.from(cipher);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  const bytes = Buffer.concat([Buffer.from('openssh-key-v1\0'), length, name, Buffer.from(pick(r, BASE62, 600))]);
  const lines = bytes
    .toString('base64')
    .match(/.{1,70}/g)!
    .join('\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----`;
}

export function serviceAccountJson(r: Rng): string {
  return JSON.stringify(
    {
      type: 'service_account',
      project_id: 'demo-project-1234',
      private_key_id: pick(r, HEXDIGITS, 40),
      private_key: `${pemBlock(r, '', 1200)}\n`,
      client_email: 'trainer@demo-project-1234.iam.gserviceaccount.com',
      client_id: pick(r, '0123456789', 21),
    },
    null,
    2,
  );
}

const byId = new Map(secretDetectors.map((d) => [d.id, d]));

/** Runs one detector the way the engine does: quick first, then detect. */
export function run(id: string, text: string, column?: string): DetectorMatch[] {
  const detector = byId.get(id);
  if (!detector) throw new Error(`no detector ${id}`);
  if (!mayMatch(detector, text)) return [];
  return detector.detect(text, column === undefined ? {} : { column });
}

/** Runs every secret detector. */
export function runAll(text: string, column?: string): Array<DetectorMatch & { id: string }> {
  return secretDetectors.flatMap((d) =>
    !mayMatch(d, text) ? [] : d.detect(text, column === undefined ? {} : { column }).map((m) => ({ ...m, id: d.id })),
  );
}

/** One table row: a value (fixed or built from a seeded generator), its column, and what must come out. */
export interface Case {
  readonly name: string;
  readonly id: string;
  readonly text: string | ((r: Rng) => string);
  readonly column?: string;
  /** `none`: the detector reports nothing. Otherwise the first match must have these properties. */
  readonly expect:
    | 'none'
    | {
        readonly entity: string;
        readonly severity: Severity;
        readonly minScore?: number;
        readonly maxScore?: number;
        /** Substring of the value the span must cover exactly (a function gets the generated value). */
        readonly span?: string | ((text: string) => string);
        readonly reason?: RegExp;
      };
}

export function check(c: Case, seed = 7): void {
  const text = typeof c.text === 'string' ? c.text : c.text(rng(seed));
  const matches = run(c.id, text, c.column);
  if (c.expect === 'none') {
    expect(matches, `${c.name}: ${text}`).toEqual([]);
    return;
  }
  expect(matches.length, `${c.name}: no match in ${text}`).toBeGreaterThan(0);
  const detector = secretDetectors.find((d) => d.id === c.id)!;
  const m = matches[0]!;
  expect(m.entity).toBe(c.expect.entity);
  expect(m.severity ?? detector.severity, `${c.name}: ${m.reason}`).toBe(c.expect.severity);
  expect(m.score).toBeGreaterThanOrEqual(c.expect.minScore ?? 0);
  expect(m.score).toBeLessThanOrEqual(c.expect.maxScore ?? 1);
  expect(m.reason).toBeTruthy();
  if (c.expect.span !== undefined) {
    const want = typeof c.expect.span === 'string' ? c.expect.span : c.expect.span(text);
    expect(text.slice(m.start, m.end)).toBe(want);
  }
  if (c.expect.reason) expect(m.reason).toMatch(c.expect.reason);
}
