import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entropyFloor, keyKind, wordLike } from './generic.js';
import { BASE62, shannon, words } from './shared.js';
import { BASE64, type Case, check, pick, rng, run } from './test-support.js';

const G = 'secret.generic-secret';
const sha = (alg: string, s: string) => createHash(alg).update(s).digest('hex');

const cases: Case[] = [
  // True cases
  {
    name: 'api_key = "…" in Python',
    id: G,
    text: 'client = Client(url)\napi_key = "q8Zr4mX2kLp9Vt7nB3wY"\n',
    expect: { entity: 'GENERIC_SECRET', severity: 'medium', minScore: 0.7, span: 'q8Zr4mX2kLp9Vt7nB3wY' },
  },
  {
    name: 'JSON "client_secret"',
    id: G,
    text: (r) => `{"client_id": "app-1", "client_secret": "${pick(r, BASE62, 32)}"}`,
    expect: { entity: 'GENERIC_SECRET', severity: 'medium', minScore: 0.7 },
  },
  {
    name: 'YAML secret: value',
    id: G,
    text: (r) => `  webhook_secret: ${pick(r, BASE62, 24)}`,
    expect: { entity: 'GENERIC_SECRET', severity: 'medium' },
  },
  {
    name: 'env export with camelCase key',
    id: G,
    text: (r) => `export authToken=${pick(r, BASE62, 40)}`,
    expect: { entity: 'GENERIC_SECRET', severity: 'medium' },
  },
  {
    name: 'password assignment with a strong password',
    id: G,
    text: 'DB_PASSWORD=Tr0ub4dor&3xQ',
    expect: { entity: 'GENERIC_SECRET', severity: 'medium', minScore: 0.6, span: 'Tr0ub4dor&3xQ' },
  },
  {
    name: 'value in an api_key column',
    id: G,
    column: 'api_key',
    text: (r) => pick(r, BASE62, 32),
    expect: { entity: 'GENERIC_SECRET', severity: 'medium', span: (t) => t },
  },
  {
    name: 'quoted value in a camelCase secretToken column',
    id: G,
    column: 'user.secretToken',
    text: (r) => ` "${pick(r, BASE64, 28)}" `,
    expect: { entity: 'GENERIC_SECRET', severity: 'medium', span: (t) => t.trim().slice(1, -1) },
  },
  {
    name: 'hex secret under SECRET_KEY → low (may be a digest)',
    id: G,
    text: (r) => `SECRET_KEY = '${pick(r, '0123456789abcdef', 64)}'`,
    expect: { entity: 'GENERIC_SECRET', severity: 'low', maxScore: 0.5 },
  },
  // Hard negatives: shapes that are never generic secrets
  { name: 'uuid under token', id: G, text: () => `"token": "${randomUUID()}"`, expect: 'none' },
  { name: 'uuid in token column', id: G, column: 'token', text: () => randomUUID(), expect: 'none' },
  { name: 'md5 in a text', id: G, text: `md5: ${sha('md5', 'a')}`, expect: 'none' },
  { name: 'sha256 digest', id: G, text: `sha256=${sha('sha256', 'a')}`, expect: 'none' },
  { name: 'sha1 under password_hash', id: G, text: `password_hash: ${sha('sha1', 'a')}`, expect: 'none' },
  { name: 'git SHA', id: G, text: `commit ${sha('sha1', 'b')} Merge pull request`, expect: 'none' },
  { name: 'git SHA in a commit column', id: G, column: 'commit_sha', text: sha('sha1', 'c'), expect: 'none' },
  { name: 'hex digest under a short auth token key', id: G, text: `auth: ${sha('md5', 'b')}`, expect: 'none' },
  { name: 'version string', id: G, text: 'token_version: 2.14.3-beta.1+build.77', expect: 'none' },
  { name: 'version under secret', id: G, text: 'secret: v10.22.1-rc.3', expect: 'none' },
  {
    name: 'PNG base64 under a token-ish key',
    id: G,
    text: (r) => `"access_token_image": "iVBORw0KGgoAAAANSUhEUgAA${pick(r, BASE64, 120)}"`,
    expect: 'none',
  },
  {
    name: 'data URI in a secret column',
    id: G,
    column: 'secret',
    text: (r) => `data:image/png;base64,${pick(r, BASE64, 200)}`,
    expect: 'none',
  },
  { name: 'random base64 blob without key', id: G, text: (r) => `thumbnail ${pick(r, BASE64, 300)}`, expect: 'none' },
  { name: 'environment variable reference', id: G, text: 'api_key = os.environ["OPENAI_API_KEY"]', expect: 'none' },
  { name: 'code reference', id: G, text: 'SECRET_KEY = settings.DJANGO_SECRET_KEY_VALUE', expect: 'none' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder is the input under test
  { name: 'interpolation', id: G, text: 'password: ${{ secrets.DB_PASSWORD }}', expect: 'none' },
  { name: 'placeholder words', id: G, text: 'api_key: "your-api-key-goes-here"', expect: 'none' },
  { name: 'identifier value', id: G, text: 'token = my_super_secret_token_value', expect: 'none' },
  { name: 'camelCase identifier', id: G, text: 'secret: ProductionDatabasePassword2024', expect: 'none' },
  { name: 'metadata key (token_type)', id: G, text: 'token_type: Bearer8x7Zq2Lm9Kp4Vn6', expect: 'none' },
  { name: 'metadata key (max_tokens)', id: G, text: 'max_tokens=4096', expect: 'none' },
  { name: 'public_key is not a secret', id: G, text: (r) => `public_key: ${pick(r, BASE62, 44)}`, expect: 'none' },
  { name: '"pass" inside a longer word', id: G, text: (r) => `compass=${pick(r, BASE62, 24)}`, expect: 'none' },
  {
    name: '"lic"-style substring: tokens ≠ token',
    id: G,
    text: (r) => `tokens: ${pick(r, BASE62, 24)}`,
    expect: 'none',
  },
  { name: 'weak password', id: G, text: 'password=hunter22', expect: 'none' },
  { name: 'password placeholder', id: G, text: 'password: changeme123', expect: 'none' },
  {
    name: 'bcrypt hash under password',
    id: G,
    text: 'password: $2b$12$KIXQJf6pPq1Zb0Jx8m7yUeXbK9jv0q1Zb0Jx8m7yUeXbK9jv0q1Zb',
    expect: 'none',
  },
  { name: 'email under an auth column', id: G, column: 'auth_user', text: 'jane.doe@example.com', expect: 'none' },
  { name: 'NLP token column with words', id: G, column: 'token', text: 'unbelievable', expect: 'none' },
  { name: 'provider token left to its own detector', id: G, text: 'token=AKIAQWERTYUIOPASDFGH', expect: 'none' },
  { name: 'timestamp under token_expiry', id: G, text: 'token_expiry: 2025-01-01T00:00:00Z', expect: 'none' },
  { name: 'path to a key file', id: G, text: 'private_key: /etc/ssl/private/server.key', expect: 'none' },
  { name: 'no secret-like key at all', id: G, text: (r) => `checksum: ${pick(r, BASE62, 32)}`, expect: 'none' },
  {
    name: 'connection-string password left to its detector',
    id: G,
    text: 'Server=db.corp;User ID=etl;Password=Xk2!pQ9zLm;',
    expect: 'none',
  },
];

describe('generic secret detector', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    check(c);
  });

  it('tokenizes keys into whole words (snake, kebab, camel, dotted)', () => {
    expect(words('AWS_SECRET_ACCESS_KEY')).toEqual(['aws', 'secret', 'access', 'key']);
    expect(words('spring.datasource.dbPassword')).toEqual(['spring', 'datasource', 'db', 'password']);
    expect(words('APIKey')).toEqual(['api', 'key']);
    expect(keyKind(words('public'))).toBeUndefined();
    expect(keyKind(words('api_key'))).toEqual({ kind: 'secret', phrase: 'api key' });
    expect(keyKind(words('DB_PASSWORD'))).toEqual({ kind: 'password', phrase: 'password' });
    expect(keyKind(words('password_reset_url'))).toBeUndefined();
  });

  it('entropy floor lets ≥ 98% of random [a-z0-9] secrets through and holds for base62', () => {
    const r = rng(5);
    for (const n of [16, 24, 32, 40, 64]) {
      let pass36 = 0;
      let pass62 = 0;
      for (let i = 0; i < 2000; i++) {
        if (shannon(pick(r, '0123456789abcdefghijklmnopqrstuvwxyz', n)) >= entropyFloor(n)) pass36++;
        if (shannon(pick(r, BASE62, n)) >= entropyFloor(n)) pass62++;
      }
      expect(pass36 / 2000, `n=${n}`).toBeGreaterThan(0.98);
      expect(pass62 / 2000, `n=${n}`).toBeGreaterThan(0.99);
    }
  });

  it('word test separates identifiers from random strings', () => {
    expect(wordLike('my_super_secret_token_value')).toBe(true);
    expect(wordLike('ProductionDatabasePassword2024')).toBe(true);
    const r = rng(9);
    let random = 0;
    for (let i = 0; i < 1000; i++) if (wordLike(pick(r, BASE62, 24))) random++;
    expect(random).toBeLessThanOrEqual(5); // ≤ 0.5% of random 24-character values lost to the word test
  });

  it('does not report random secrets with no key context (precision over recall)', () => {
    const r = rng(13);
    for (let i = 0; i < 200; i++) expect(run(G, `value ${pick(r, BASE62, 32)} here`)).toEqual([]);
  });
});
