import { describe, expect, it } from 'vitest';
import {
  BASE64,
  type Case,
  check,
  jwtToken,
  opensshBlock,
  pemBlock,
  pick,
  rng,
  run,
  serviceAccountJson,
} from './test-support.js';

const PK = 'secret.private-key';
const JWT = 'secret.jwt';
const SA = 'secret.gcp-service-account';
const CS = 'secret.connection-string';
const CP = 'secret.connection-string-password';

const sig = (n = 43) => pick(rng(3), `${BASE64.slice(0, 62)}-_`, n);

const cases: Case[] = [
  // PEM private keys
  {
    name: 'RSA key block, span covers BEGIN…END',
    id: PK,
    text: (r) => `key:\n${pemBlock(r, 'RSA ')}\ntrailing`,
    expect: {
      entity: 'PRIVATE_KEY',
      severity: 'critical',
      minScore: 0.95,
      span: (t) => t.slice(5, t.indexOf('\ntrailing')),
    },
  },
  { name: 'PKCS#8 key', id: PK, text: (r) => pemBlock(r, ''), expect: { entity: 'PRIVATE_KEY', severity: 'critical' } },
  {
    name: 'EC key',
    id: PK,
    text: (r) => pemBlock(r, 'EC ', 300),
    expect: { entity: 'PRIVATE_KEY', severity: 'critical' },
  },
  {
    name: 'JSON-escaped key (literal \\n line breaks)',
    id: PK,
    text: (r) => JSON.stringify({ key: pemBlock(r, '') }),
    expect: { entity: 'PRIVATE_KEY', severity: 'critical', minScore: 0.95 },
  },
  {
    name: 'unencrypted OpenSSH key',
    id: PK,
    text: (r) => opensshBlock(r, 'none'),
    expect: { entity: 'PRIVATE_KEY', severity: 'critical' },
  },
  {
    name: 'passphrase-encrypted OpenSSH key → high',
    id: PK,
    text: (r) => opensshBlock(r, 'aes256-ctr'),
    expect: { entity: 'PRIVATE_KEY', severity: 'high', reason: /encrypted/ },
  },
  {
    name: 'ENCRYPTED PRIVATE KEY → high',
    id: PK,
    text: (r) => pemBlock(r, 'ENCRYPTED '),
    expect: { entity: 'PRIVATE_KEY', severity: 'high' },
  },
  {
    name: 'PGP armoured key block with headers',
    id: PK,
    text: (r) =>
      `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n${pick(r, BASE64, 64)}\n${pick(r, BASE64, 64)}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----`,
    expect: { entity: 'PRIVATE_KEY', severity: 'critical' },
  },
  {
    name: 'header line alone (text file scanned line by line) → high',
    id: PK,
    text: '-----BEGIN RSA PRIVATE KEY-----',
    expect: { entity: 'PRIVATE_KEY', severity: 'high', minScore: 0.8 },
  },
  {
    name: 'header in code → low',
    id: PK,
    text: 'if line.startswith("-----BEGIN RSA PRIVATE KEY-----"): return True',
    expect: { entity: 'PRIVATE_KEY', severity: 'low', maxScore: 0.3 },
  },
  {
    name: 'elided body in documentation → low',
    id: PK,
    text: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
    expect: { entity: 'PRIVATE_KEY', severity: 'low' },
  },
  { name: 'public key block', id: PK, text: (r) => pemBlock(r, '').replaceAll('PRIVATE', 'PUBLIC'), expect: 'none' },
  { name: 'certificate', id: PK, text: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', expect: 'none' },
  // JWT
  {
    name: 'HS256 token',
    id: JWT,
    text: () =>
      `Authorization: Bearer ${jwtToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u-42', exp: 1900000000 }, sig())}`,
    expect: { entity: 'JWT', severity: 'medium', minScore: 0.85, span: (t) => t.slice(22) },
  },
  {
    name: 'unsigned alg none',
    id: JWT,
    text: () => `${jwtToken({ alg: 'none' }, { sub: 'admin' }, '')}`,
    expect: { entity: 'JWT', severity: 'medium', reason: /alg none/ },
  },
  {
    name: 'jwt.io example → low',
    id: JWT,
    text: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    expect: { entity: 'JWT', severity: 'low', reason: /documented example/ },
  },
  {
    name: 'header without alg',
    id: JWT,
    text: () => jwtToken({ typ: 'JWT' }, { sub: 'x' }, sig()),
    expect: 'none',
  },
  {
    name: 'eyJ-prefixed base64 that is not JSON',
    id: JWT,
    text: 'eyJzzzzzzzzzzzz.eyJzzzzzzzzzzzzzz.abcdefghijklmnopqrstuvwxyz',
    expect: 'none',
  },
  { name: 'dotted version-like string', id: JWT, text: 'model.v1.2.checkpoint', expect: 'none' },
  // GCP service account
  {
    name: 'service-account key file in one value',
    id: SA,
    text: (r) => serviceAccountJson(r),
    expect: { entity: 'GCP_SERVICE_ACCOUNT', severity: 'critical', minScore: 0.95, reason: /gserviceaccount/ },
  },
  {
    name: 'service-account JSON escaped inside a CSV/JSONL string',
    id: SA,
    text: (r) => JSON.stringify({ creds: JSON.stringify(JSON.parse(serviceAccountJson(r))) }),
    expect: { entity: 'GCP_SERVICE_ACCOUNT', severity: 'critical', minScore: 0.95 },
  },
  {
    name: 'placeholder private_key → low',
    id: SA,
    text: '{"type": "service_account", "project_id": "p", "private_key": "...", "client_email": "x"}',
    expect: { entity: 'GCP_SERVICE_ACCOUNT', severity: 'low' },
  },
  {
    name: 'service-account metadata without a key',
    id: SA,
    text: '{"type": "service_account", "client_email": "a@p.iam.gserviceaccount.com"}',
    expect: 'none',
  },
  {
    name: 'prose mentions service_account',
    id: SA,
    text: 'set type to service_account and add a private_key later',
    expect: 'none',
  },
  // Connection URLs
  {
    name: 'postgres URL',
    id: CS,
    text: 'DATABASE_URL=postgres://app:Zq8v!rT2mWx9@db.prod.internal:5432/sales',
    expect: {
      entity: 'CONNECTION_STRING',
      severity: 'high',
      minScore: 0.85,
      span: 'postgres://app:Zq8v!rT2mWx9@db.prod.internal:5432',
    },
  },
  {
    name: 'SQLAlchemy driver suffix, URL-encoded password',
    id: CS,
    text: 'postgresql+psycopg2://etl:p%40ss%2Fw0rd9@10.2.3.4/dw',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  {
    name: 'mongodb+srv',
    id: CS,
    text: 'mongodb+srv://admin:Kd93jfQ0sLx@cluster0.ab1cd.mongodb.net/test',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  {
    name: 'redis with empty user',
    id: CS,
    text: 'redis://:r3d1sP4ssw0rdX@cache.internal:6379/0',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  {
    name: 'mysql',
    id: CS,
    text: 'mysql://root:h7Gk2pQx@mysql.corp:3306/app',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  {
    name: 'amqp',
    id: CS,
    text: 'amqps://svc:W8xk3mQ2zP@mq.corp/vhost',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  {
    name: 'local database → medium',
    id: CS,
    text: 'postgres://app:Zq8v!rT2mWx9@localhost:5432/dev',
    expect: { entity: 'CONNECTION_STRING', severity: 'medium' },
  },
  {
    name: 'default guest:guest → low',
    id: CS,
    text: 'amqp://guest:guest@localhost:5672/',
    expect: { entity: 'CONNECTION_STRING', severity: 'low' },
  },
  {
    name: 'placeholder password → low',
    id: CS,
    text: 'postgres://user:password@host:5432/db',
    expect: { entity: 'CONNECTION_STRING', severity: 'low' },
  },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder is the input under test
  { name: 'environment interpolation', id: CS, text: 'postgres://app:${DB_PASSWORD}@db:5432/app', expect: 'none' },
  { name: 'template placeholder', id: CS, text: 'mysql://<user>:<password>@<host>/<db>', expect: 'none' },
  { name: 'no password', id: CS, text: 'postgres://app@db.prod.internal:5432/sales', expect: 'none' },
  { name: 'https basic auth is out of scope', id: CS, text: 'https://user:Zq8v!rT2mWx9@example.org/', expect: 'none' },
  // Password= connection strings
  {
    name: 'ADO.NET connection string',
    id: CP,
    text: 'Server=tcp:sql.prod.corp,1433;Database=sales;User ID=etl;Password=Xk2!pQ9zLm;Encrypt=True',
    expect: { entity: 'CONNECTION_STRING', severity: 'high', span: 'Password=Xk2!pQ9zLm' },
  },
  {
    name: 'JDBC query parameters',
    id: CP,
    text: 'jdbc:postgresql://db.corp:5432/app?user=etl&password=Hj3kL9xQ2w',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  {
    name: 'ODBC Pwd=',
    id: CP,
    text: 'Driver={ODBC Driver 18};Server=db.corp;Uid=sa;Pwd=Vb7nM2qX9k;',
    expect: { entity: 'CONNECTION_STRING', severity: 'high' },
  },
  { name: 'Password= without any connection key', id: CP, text: 'reset link sent; password=unchanged', expect: 'none' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder is the input under test
  { name: 'password from a variable', id: CP, text: 'Server=db;User Id=sa;Password=${SA_PASSWORD};', expect: 'none' },
];

describe('structured secret detectors', () => {
  it.each(cases.map((c) => [`${c.id}: ${c.name}`, c] as const))('%s', (_name, c) => {
    check(c);
  });

  it('has a true and a false case for every structured detector', () => {
    for (const id of [PK, JWT, SA, CS, CP]) {
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

  it('reports each of many keys in one value once, at its own span', () => {
    const r = rng(11);
    const keys = [pemBlock(r, 'RSA '), pemBlock(r, 'EC '), pemBlock(r, '')];
    const text = keys.join('\n\n');
    const matches = run(PK, text);
    expect(matches.map((m) => text.slice(m.start, m.end))).toEqual(keys);
  });
});
