import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { documentedExamples } from './examples.js';
import { githubChecksum } from './providers.js';
import { BASE62, base62 } from './shared.js';
import {
  awsKeyId,
  awsSecret,
  type Case,
  check,
  githubClassic,
  githubFineGrained,
  githubWrongChecksum,
  googleApiKey,
  huggingface,
  openaiLegacy,
  openaiProject,
  pick,
  rng,
  run,
  slackApp,
  slackBot,
  slackUser,
  slackWebhook,
  stripe,
} from './test-support.js';

describe('GitHub checksum', () => {
  it('is the zero-padded base62 CRC32 of the 30-character random part', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 6)).toBe('00000z');
    expect(base62(62, 6)).toBe('000010');
    expect(base62(0xffffffff, 6)).toBe('4gfFC3');
    const random = 'a'.repeat(30);
    expect(githubChecksum(random)).toBe(base62(crc32(random), 6));
  });

  it('accepts every generated token and rejects every single-character corruption of the checksum', () => {
    const r = rng(1);
    for (let i = 0; i < 200; i++) {
      const token = githubClassic(r, ['ghp', 'gho', 'ghu', 'ghs', 'ghr'][i % 5]);
      expect(run('secret.github-token', token)[0]?.score).toBeGreaterThan(0.9);
      const broken = githubWrongChecksum(r);
      expect(run('secret.github-token', broken)[0]).toMatchObject({ severity: 'low', score: 0.3 });
    }
  });
});

const GH = 'secret.github-token';
const GHF = 'secret.github-fine-grained-token';
const AK = 'secret.aws-access-key';
const AS = 'secret.aws-secret-key';
const SL = 'secret.slack-token';
const SW = 'secret.slack-webhook';
const ST = 'secret.stripe-key';
const OA = 'secret.openai-api-key';
const HF = 'secret.huggingface-token';
const GO = 'secret.google-api-key';

const cases: Case[] = [
  // GitHub classic
  {
    name: 'ghp_ token with valid checksum in a config line',
    id: GH,
    text: (r) => `GITHUB_TOKEN=${githubClassic(r)}`,
    expect: { entity: 'GITHUB_TOKEN', severity: 'critical', minScore: 0.95, span: (t) => t.slice(13) },
  },
  {
    name: 'gho_ token inside JSON',
    id: GH,
    text: (r) => `{"access_token":"${githubClassic(r, 'gho')}","scope":"repo"}`,
    expect: { entity: 'GITHUB_TOKEN', severity: 'critical', minScore: 0.95, reason: /checksum valid/ },
  },
  {
    name: 'almost-token: right shape, wrong CRC32 → low',
    id: GH,
    text: (r) => githubWrongChecksum(r, 'ghs'),
    expect: { entity: 'GITHUB_TOKEN', severity: 'low', maxScore: 0.3, reason: /checksum mismatch/ },
  },
  {
    name: 'GitHub Docs example token → low, documented',
    id: GH,
    text: 'curl -H "Authorization: Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a"',
    expect: { entity: 'GITHUB_TOKEN', severity: 'low', reason: /documented example/ },
  },
  { name: 'prefix inside a longer identifier', id: GH, text: (r) => `xghp_${pick(r, BASE62, 36)}`, expect: 'none' },
  { name: 'too short body', id: GH, text: (r) => `ghp_${pick(r, BASE62, 30)}`, expect: 'none' },
  { name: 'too long body (not ghr_)', id: GH, text: (r) => `ghp_${pick(r, BASE62, 40)}`, expect: 'none' },
  {
    name: 'placeholder body',
    id: GH,
    text: 'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    expect: { entity: 'GITHUB_TOKEN', severity: 'low', reason: /placeholder/ },
  },
  // GitHub fine-grained
  {
    name: 'fine-grained PAT',
    id: GHF,
    text: (r) => `export GH_TOKEN="${githubFineGrained(r)}"`,
    expect: { entity: 'GITHUB_TOKEN', severity: 'critical', minScore: 0.9 },
  },
  {
    name: 'fine-grained sequential placeholder',
    id: GHF,
    text: 'github_pat_11ABCDEFGH0123456789AB_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456',
    expect: { entity: 'GITHUB_TOKEN', severity: 'low' },
  },
  {
    name: 'malformed: id part too short',
    id: GHF,
    text: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
    expect: 'none',
  },
  {
    name: 'github_pat_ prefix only, in prose',
    id: GHF,
    text: 'tokens start with github_pat_ these days',
    expect: 'none',
  },
  // AWS access key id
  {
    name: 'key id alone',
    id: AK,
    text: (r) => `key,${awsKeyId(r)},us-east-1`,
    expect: { entity: 'AWS_ACCESS_KEY', severity: 'high', minScore: 0.7, maxScore: 0.8 },
  },
  {
    name: 'key id with secret in the same value → critical',
    id: AK,
    text: (r) => `aws_access_key_id = ${awsKeyId(r)}\naws_secret_access_key = ${awsSecret(r)}`,
    expect: { entity: 'AWS_ACCESS_KEY', severity: 'critical', minScore: 0.95, reason: /paired/ },
  },
  {
    name: 'ASIA temporary key id with column context',
    id: AK,
    column: 'aws_access_key_id',
    text: (r) => awsKeyId(r, 'ASIA'),
    expect: { entity: 'AWS_ACCESS_KEY', severity: 'high', minScore: 0.85, reason: /temporary/ },
  },
  {
    name: 'AWS documentation example key id → low',
    id: AK,
    text: 'AKIAIOSFODNN7EXAMPLE',
    expect: { entity: 'AWS_ACCESS_KEY', severity: 'low', reason: /documented example/ },
  },
  { name: 'non-base32 digits (look-alike)', id: AK, text: 'AKIA0123456789ABCDEF', expect: 'none' },
  { name: 'lower-case / too short', id: AK, text: 'akia1234 AKIAABCDEFGH234', expect: 'none' },
  { name: 'inside a longer word', id: AK, text: 'XAKIAQWERTYUIOPASDFGH2', expect: 'none' },
  // AWS secret key
  {
    name: 'secret next to a key id',
    id: AS,
    text: (r) => `${awsKeyId(r)}:${awsSecret(r)}`,
    expect: { entity: 'AWS_SECRET_KEY', severity: 'critical', minScore: 0.95, span: (t) => t.slice(21) },
  },
  {
    name: 'secret under aws_secret_access_key column',
    id: AS,
    column: 'aws_secret_access_key',
    text: (r) => awsSecret(r),
    expect: { entity: 'AWS_SECRET_KEY', severity: 'high', minScore: 0.85 },
  },
  {
    name: 'documented example secret → low',
    id: AS,
    text: 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    expect: { entity: 'AWS_SECRET_KEY', severity: 'low' },
  },
  {
    name: 'sha1 hex under secret context',
    id: AS,
    column: 'aws_secret_access_key',
    text: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    expect: 'none',
  },
  {
    name: '40 base64 chars without any AWS context',
    id: AS,
    text: (r) => `secretary notes ${awsSecret(r)}`,
    expect: 'none',
  },
  // Slack
  {
    name: 'bot token',
    id: SL,
    text: (r) => `SLACK_BOT_TOKEN=${slackBot(r)}`,
    expect: { entity: 'SLACK_TOKEN', severity: 'high', minScore: 0.9, span: (t) => t.slice(16) },
  },
  {
    name: 'user token',
    id: SL,
    text: (r) => slackUser(r),
    expect: { entity: 'SLACK_TOKEN', severity: 'high', minScore: 0.9 },
  },
  { name: 'app-level token', id: SL, text: (r) => slackApp(r), expect: { entity: 'SLACK_TOKEN', severity: 'high' } },
  {
    name: 'docs-style sequential token → low',
    id: SL,
    text: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    expect: { entity: 'SLACK_TOKEN', severity: 'low' },
  },
  { name: 'truncated token', id: SL, text: 'xoxb-1234-abcd', expect: 'none' },
  { name: 'word xoxo', id: SL, text: 'hugs and kisses, xoxo-xoxo', expect: 'none' },
  {
    name: 'incoming webhook',
    id: SW,
    text: (r) => `curl -X POST ${slackWebhook(r)} -d '{}'`,
    expect: { entity: 'SLACK_WEBHOOK', severity: 'high', minScore: 0.9 },
  },
  {
    name: 'Slack docs placeholder webhook → low',
    id: SW,
    text: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    expect: { entity: 'SLACK_WEBHOOK', severity: 'low' },
  },
  {
    name: 'hooks.slack.com without secret path',
    id: SW,
    text: 'see https://hooks.slack.com/services/ for docs',
    expect: 'none',
  },
  // Stripe
  {
    name: 'live secret key',
    id: ST,
    text: (r) => `stripe.api_key = "${stripe(r, 'sk_live')}"`,
    expect: { entity: 'STRIPE_KEY', severity: 'critical', minScore: 0.9 },
  },
  {
    name: 'restricted live key → high',
    id: ST,
    text: (r) => stripe(r, 'rk_live'),
    expect: { entity: 'STRIPE_KEY', severity: 'high', minScore: 0.9 },
  },
  {
    name: 'test secret key → low',
    id: ST,
    text: (r) => stripe(r, 'sk_test'),
    expect: { entity: 'STRIPE_KEY', severity: 'low' },
  },
  {
    name: 'test publishable key → low',
    id: ST,
    text: (r) => stripe(r, 'pk_test'),
    expect: { entity: 'STRIPE_KEY', severity: 'low' },
  },
  {
    name: 'Stripe documented test key → low, documented',
    id: ST,
    text: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
    expect: { entity: 'STRIPE_KEY', severity: 'low', reason: /documented example/ },
  },
  { name: 'publishable live key is public by design', id: ST, text: (r) => stripe(r, 'pk_live'), expect: 'none' },
  { name: 'snake_case identifier', id: ST, text: 'run_test_suite and desk_live_stream', expect: 'none' },
  // OpenAI
  {
    name: 'legacy key with T3BlbkFJ marker',
    id: OA,
    text: (r) => `OPENAI_API_KEY=${openaiLegacy(r)}`,
    expect: { entity: 'OPENAI_API_KEY', severity: 'high', minScore: 0.95 },
  },
  {
    name: 'project key',
    id: OA,
    text: (r) => openaiProject(r),
    expect: { entity: 'OPENAI_API_KEY', severity: 'high', minScore: 0.95 },
  },
  {
    name: 'project key without marker → lower score',
    id: OA,
    text: (r) => `sk-proj-${pick(r, BASE62, 60)}`,
    expect: { entity: 'OPENAI_API_KEY', severity: 'high', minScore: 0.75, maxScore: 0.85 },
  },
  {
    name: 'Anthropic-style key is not OpenAI',
    id: OA,
    text: (r) => `sk-ant-api03-${pick(r, BASE62, 80)}`,
    expect: 'none',
  },
  { name: 'generic sk- id without marker', id: OA, text: (r) => `sk-${pick(r, BASE62, 48)}`, expect: 'none' },
  { name: 'word with sk- inside', id: OA, text: 'a task-oriented desk-based approach', expect: 'none' },
  // Hugging Face
  {
    name: 'user access token',
    id: HF,
    text: (r) => `huggingface-cli login --token ${huggingface(r)}`,
    expect: { entity: 'HUGGINGFACE_TOKEN', severity: 'high', minScore: 0.9 },
  },
  {
    name: 'legacy org token',
    id: HF,
    text: (r) => `api_org_${pick(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 34)}`,
    expect: { entity: 'HUGGINGFACE_TOKEN', severity: 'high', reason: /organisation/ },
  },
  {
    name: 'snake_case identifier of the same length',
    id: HF,
    text: 'hf_hubdownloadconfigurationmanagerxy',
    expect: 'none',
  },
  { name: 'placeholder hf_XXXX', id: HF, text: 'HF_TOKEN="hf_XXXXXXXX"', expect: 'none' },
  // Google
  {
    name: 'API key in a URL',
    id: GO,
    text: (r) => `https://maps.googleapis.com/maps/api/geocode/json?key=${googleApiKey(r)}`,
    expect: { entity: 'GOOGLE_API_KEY', severity: 'high', minScore: 0.9 },
  },
  { name: 'AIza prefix too short', id: GO, text: 'AIzaSyShort', expect: 'none' },
  { name: 'AIza prefix too long', id: GO, text: (r) => `AIza${pick(r, BASE62, 40)}`, expect: 'none' },
  {
    name: 'placeholder key → low',
    id: GO,
    text: 'AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    expect: { entity: 'GOOGLE_API_KEY', severity: 'low' },
  },
];

describe('provider detectors', () => {
  it.each(cases.map((c) => [`${c.id}: ${c.name}`, c] as const))('%s', (_name, c) => {
    check(c);
  });

  it('has a true and a false case for every provider detector', () => {
    for (const id of [GH, GHF, AK, AS, SL, SW, ST, OA, HF, GO]) {
      expect(
        cases.some((c) => c.id === id && c.expect !== 'none' && c.expect.severity !== 'low'),
        id,
      ).toBe(true);
      expect(
        cases.some((c) => c.id === id && c.expect === 'none'),
        id,
      ).toBe(true);
    }
  });
});

describe('documented examples', () => {
  it('every entry is reported at low with its source by the detector of its entity', () => {
    for (const example of documentedExamples) {
      const id = {
        AWS_ACCESS_KEY: AK,
        AWS_SECRET_KEY: AS,
        STRIPE_KEY: ST,
        GITHUB_TOKEN: GH,
        JWT: 'secret.jwt',
        GENERIC_SECRET: 'secret.generic-secret',
      }[example.entity]!;
      const text =
        example.entity === 'AWS_SECRET_KEY'
          ? `aws_secret_access_key = ${example.value}`
          : example.entity === 'GENERIC_SECRET'
            ? `"access_token": "${example.value}"`
            : example.value;
      const [m] = run(id, text);
      expect(m, example.value).toBeDefined();
      expect(m!.severity).toBe('low');
      expect(m!.reason).toContain(example.source);
    }
  });
});
