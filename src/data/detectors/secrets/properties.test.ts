import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayMatch } from '../types.js';
import { secretDetectors, secretEntities } from './index.js';
import {
  awsKeyId,
  awsSecret,
  githubClassic,
  githubFineGrained,
  googleApiKey,
  huggingface,
  jwtToken,
  openaiProject,
  pemBlock,
  rng,
  serviceAccountJson,
  slackBot,
  slackWebhook,
  stripe,
} from './test-support.js';

/** Fragments that steer random strings into the detectors' interesting paths. */
const FRAGMENTS = [
  'ghp_',
  'github_pat_',
  'AKIA',
  'ASIA',
  'xoxb-',
  'xapp-1-',
  'hooks.slack.com/services/T',
  'sk_live_',
  'sk-proj-',
  'T3BlbkFJ',
  'hf_',
  'AIza',
  'eyJ',
  '.eyJ',
  '-----BEGIN RSA PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----',
  '"type": "service_account"',
  '"private_key": "',
  'postgres://',
  ':',
  '@',
  'Password=',
  ';Server=',
  'api_key=',
  'password: ',
  'secret=',
  '"token": "',
  '\\n',
  '\n',
  '=',
  '/',
  '+',
  '_',
  '-',
  '.',
  ' ',
  '"',
  "'",
  'A',
  'z',
  '0',
  '9',
];

const r = rng(2024);
const SAMPLES = [
  githubClassic(r),
  githubFineGrained(r),
  `${awsKeyId(r)} ${awsSecret(r)}`,
  slackBot(r),
  slackWebhook(r),
  stripe(r, 'sk_live'),
  openaiProject(r),
  huggingface(r),
  googleApiKey(r),
  pemBlock(r, 'RSA '),
  jwtToken({ alg: 'HS256' }, { sub: 'x' }, 'abcdefghijklmnopqrstuvwxyz012345'),
  serviceAccountJson(r),
  'postgres://app:Zq8v!rT2mWx9@db.prod.internal:5432/sales',
  'Server=db.corp;Uid=sa;Pwd=Vb7nM2qX9k;',
  'api_key = "q8Zr4mX2kLp9Vt7nB3wY"',
];

function checkMatches(text: string, column: string | undefined): void {
  for (const detector of secretDetectors) {
    const matches = detector.detect(text, column === undefined ? {} : { column });
    if (matches.length > 0) expect(mayMatch(detector, text), `${detector.id} gates`).toBe(true);
    for (const m of matches) {
      expect(secretEntities.has(m.entity)).toBe(true);
      expect(Number.isInteger(m.start) && Number.isInteger(m.end)).toBe(true);
      expect(m.start).toBeGreaterThanOrEqual(0);
      expect(m.end).toBeGreaterThan(m.start);
      expect(m.end).toBeLessThanOrEqual(text.length);
      expect(m.score).toBeGreaterThanOrEqual(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
  }
}

describe('secret detectors: invariants', () => {
  it('ids, kinds and texts are well-formed and unique', () => {
    const ids = secretDetectors.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of secretDetectors) {
      expect(d.id).toMatch(/^secret\.[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(d.kind).toBe('secret');
      expect(d.title && d.description && d.remediation).toBeTruthy();
    }
  });

  it('detect never throws; spans lie within the value; quick never rejects a value detect would match', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 40 })
        .map((parts) => parts.join('')),
      fc.tuple(fc.constantFrom(...SAMPLES), fc.nat(), fc.nat(), fc.string({ maxLength: 8 })).map(([s, a, b, junk]) => {
        const i = a % (s.length + 1);
        const j = b % (s.length + 1);
        return s.slice(0, Math.min(i, j)) + junk + s.slice(Math.max(i, j));
      }),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
    );
    const column = fc.option(
      fc.constantFrom('api_key', 'password', 'aws_secret_access_key', 'token', 'text', 'a.b.secretToken'),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(text, column, (t, c) => {
        checkMatches(t, c);
      }),
      { numRuns: 1500 },
    );
  });

  it('finds every sample in its valid form and keeps spans in range', () => {
    for (const sample of SAMPLES) {
      const found = secretDetectors.flatMap((d) => (mayMatch(d, sample) ? d.detect(sample, {}) : []));
      expect(found.length, sample.slice(0, 40)).toBeGreaterThan(0);
      checkMatches(sample, undefined);
    }
  });
});

describe('secret detectors: adversarial input stays linear', () => {
  const N = 100_000;
  const adversarial: Array<[string, string]> = [
    ['one char', 'a'.repeat(N)],
    ['base64 run', 'Ab1+/'.repeat(N / 5)],
    ['repeated ghp_', 'ghp_'.repeat(N / 4)],
    ['repeated AKIA', 'AKIA'.repeat(N / 4)],
    ['slack digits', `xoxb-${'1-'.repeat(N / 2)}`],
    ['repeated eyJ', `${'eyJ'.repeat(N / 6)}.${'eyJ'.repeat(N / 6)}`],
    ['dotted eyJ', 'eyJabcde.'.repeat(N / 9)],
    ['PEM headers, no END', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(N / 32)],
    ['PEM header + huge body', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(N)}`],
    ['service_account repeated', '"type": "service_account", '.repeat(N / 27)],
    ['postgres schemes', 'postgres://a:'.repeat(N / 13)],
    ['mysql user run', `mysql://${'a'.repeat(N)}`],
    ['password= run', `Server=x;${'password='.repeat(N / 9)}`],
    ['assignments', 'api_key=aaaaaaaa '.repeat(N / 17)],
    ['long key', `${'secret_'.repeat(N / 7)}=x`],
    ['colons', ':'.repeat(N)],
    ['equals', '='.repeat(N)],
    ['hooks', 'https://hooks.slack.com/services/'.repeat(N / 33)],
    ['sk- runs', 'sk-'.repeat(N / 3)],
    ['hf_ letters', `hf_${'aB'.repeat(N / 2)}`],
    ['escaped newlines', '\\n'.repeat(N / 2)],
  ];
  // Not a speed test (BENCHMARKS.md has those): a backtracking regex takes seconds to hours on these
  // inputs, a linear one milliseconds, so a generous ceiling separates them on a loaded machine too.
  const ceilingMs = 2_000;
  for (const [name, text] of adversarial) {
    it(`${name}: no detector backtracks on ${text.length} characters`, () => {
      for (const detector of secretDetectors) {
        for (const column of [undefined, 'api_key']) {
          const t0 = performance.now();
          if (mayMatch(detector, text)) detector.detect(text, column ? { column } : {});
          const ms = performance.now() - t0;
          expect(ms, `${detector.id} (${column ?? 'no column'})`).toBeLessThan(ceilingMs);
        }
      }
    });
  }
});
