import { documentedExample, placeholderReason } from './examples.js';
import { decodeJsonSegment, type Hit, low, type SecretRule, type Verdict } from './shared.js';

/**
 * Secrets recognised by structure rather than a vendor prefix: PEM private keys, JWTs, Google
 * service-account key files and database connection strings with an inline password.
 */

// --- PEM private keys --------------------------------------------------------------------------------

/** Lines of a PEM body may be real newlines or the literal `\n` of a JSON- or CSV-escaped key. */
const PEM_LINE_BREAK = /\\[rn]|\r\n|[\r\n]/;
const BASE64_BODY = /^[A-Za-z0-9+/=]+$/;
const BASE64_RUN = /^(?:\s|\\[rn]|[A-Za-z0-9+/=]){0,4096}/;
const PEM_MAX_BODY = 16_384;
const BLANKS = /[ \t]+/g;

/** `-----END ` position for the value last searched, so many headers in one value cost one scan. */
let endMemo: { text: string; from: number; at: number } | undefined;
function nextEnd(text: string, from: number): number {
  if (endMemo && endMemo.text === text && endMemo.from <= from && (endMemo.at === -1 || endMemo.at >= from))
    return endMemo.at;
  const at = text.indexOf('-----END ', from);
  endMemo = { text, from, at };
  return at;
}

function pemBody(body: string): string | undefined {
  let out = '';
  for (const line of body.split(PEM_LINE_BREAK)) {
    if (line.includes(':')) continue; // RFC 1421 / OpenPGP armour headers (Proc-Type, DEK-Info, Version, Comment)
    out += line.replace(BLANKS, '');
  }
  return BASE64_BODY.test(out) ? out : undefined;
}

/** OpenSSH keys carry their cipher name inside the base64: anything but `none` is passphrase-protected. */
function opensshEncrypted(b64: string): boolean {
  const bytes = Buffer.from(b64.slice(0, 96), 'base64');
  const magic = 'openssh-key-v1\0';
  if (bytes.toString('latin1', 0, magic.length) !== magic) return false;
  const length = bytes.length >= magic.length + 4 ? bytes.readUInt32BE(magic.length) : 0;
  const cipher = bytes.toString('latin1', magic.length + 4, magic.length + 4 + Math.min(length, 32));
  return cipher !== '' && cipher !== 'none';
}

export const privateKey: SecretRule = {
  id: 'secret.private-key',
  entity: 'PRIVATE_KEY',
  title: 'Private key (PEM / OpenSSH / PGP)',
  severity: 'critical',
  description:
    'PEM, OpenSSH or PGP private key block with a base64 body: critical because it impersonates its owner (TLS server, SSH login, code or package signing) until every trust in it is revoked; high when passphrase-encrypted.',
  remediation:
    'Treat the key as compromised: revoke the certificate or remove it from authorized_keys / the keyring, issue a new key pair, and purge the block from the dataset.',
  needles: ['PRIVATE KEY'],
  minLength: 27,
  pattern: /-----BEGIN ((?:[A-Z0-9]{1,16} ){0,3})PRIVATE KEY(?: BLOCK)?-----/g,
  validate({ text, match, end }) {
    const label = (match[1] ?? '').trim() || 'PKCS#8';
    const endAt = nextEnd(text, end);
    if (endAt !== -1 && endAt - end <= PEM_MAX_BODY) {
      const close = text.indexOf('-----', endAt + 9);
      const spanEnd = close !== -1 && close - endAt < 64 ? close + 5 : endAt + 9;
      const body = pemBody(text.slice(end, endAt));
      if (!body || body.length < 64)
        return {
          ...low('BEGIN/END markers around a body that is not a key (elided or placeholder)', 0.3),
          end: spanEnd,
        };
      const encrypted =
        label.includes('ENCRYPTED') ||
        text.slice(end, endAt).includes('Proc-Type: 4,ENCRYPTED') ||
        (label === 'OPENSSH' && opensshEncrypted(body));
      return encrypted
        ? { score: 0.97, severity: 'high', reason: `${label} key, passphrase-encrypted`, end: spanEnd }
        : { score: 0.98, reason: `${label} key with a ${body.length}-character base64 body`, end: spanEnd };
    }
    const run = BASE64_RUN.exec(text.slice(end, end + 4096))?.[0] ?? '';
    const body = pemBody(run);
    if (body && body.length >= 64)
      return {
        score: 0.9,
        reason: `${label} key body without END marker (truncated value)`,
        end: end + run.trimEnd().length,
      };
    if (text.trim() === match[0])
      return { score: 0.8, severity: 'high', reason: 'header line alone: the key body is on the following lines' };
    return low('header mentioned without a key body (code or prose)', 0.3);
  },
};

// --- JWT ---------------------------------------------------------------------------------------------

export const jwt: SecretRule = {
  id: 'secret.jwt',
  entity: 'JWT',
  title: 'JSON Web Token',
  severity: 'medium',
  description:
    'JSON Web Token whose header decodes to JSON with "alg": medium because it is a bearer credential until it expires and its claims often hold identities, but most are short-lived session tokens.',
  remediation:
    'Remove or redact the token; if it may still be valid, revoke the session or rotate the signing key, and do not log bearer tokens.',
  needles: ['eyJ'],
  minLength: 30,
  pattern:
    /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,4096})\.(eyJ[A-Za-z0-9_-]{5,8192})\.([A-Za-z0-9_-]{0,2048})(?![A-Za-z0-9_-])/g,
  validate({ match }) {
    const [token, head, body, signature] = match as unknown as [string, string, string, string];
    const header = decodeJsonSegment(head);
    if (!header || typeof header.alg !== 'string') return undefined;
    const claims = decodeJsonSegment(body);
    if (!claims) return undefined;
    const known = documentedExample(token);
    if (known) return low(`documented example value: ${known.source}`);
    if (claims.name === 'John Doe' && claims.sub === '1234567890') return low('jwt.io example claims (John Doe)');
    const alg = header.alg.slice(0, 16);
    const names = Object.keys(claims).slice(0, 6).join(', ');
    if (alg.toLowerCase() === 'none') return { score: 0.8, reason: `unsigned token (alg none), claims: ${names}` };
    if (signature.length < 16) return low(`${alg} token without its signature`, 0.4);
    return { score: 0.9, reason: `${alg} token, claims: ${names}` };
  },
};

// --- Google service-account key file ----------------------------------------------------------------

/** Quotes may be plain, JSON-escaped (\"), CSV-doubled ("") or Python single quotes. */
const Q = `[\\\\"']{1,4}`;
const SA_PRIVATE_KEY = new RegExp(`${Q}private_key${Q}\\s{0,8}:\\s{0,8}${Q}`);
const SA_EMAIL = /\.iam\.gserviceaccount\.com/;
const SA_EMPTY_KEY = /^(?:[\\"']|\.\.\.|<|\$\{|x{3})/i;

/** Per-value facts, computed once however many type markers the value holds. */
let saMemo: { text: string; pk: { start: number; end: number } | undefined; email: string } | undefined;
function serviceAccountFacts(text: string): NonNullable<typeof saMemo> {
  if (saMemo?.text !== text) {
    const m = SA_PRIVATE_KEY.exec(text);
    saMemo = {
      text,
      pk: m ? { start: m.index, end: m.index + m[0].length } : undefined,
      email: SA_EMAIL.test(text) ? ', client_email in iam.gserviceaccount.com' : '',
    };
  }
  return saMemo;
}

export const gcpServiceAccount: SecretRule = {
  id: 'secret.gcp-service-account',
  entity: 'GCP_SERVICE_ACCOUNT',
  title: 'Google Cloud service-account key',
  severity: 'critical',
  description:
    'Google Cloud service-account key file ("type": "service_account" with a private_key): critical because it authenticates as the service account, which typically holds project-wide roles, until the key is deleted.',
  remediation:
    'Delete the key in IAM → Service accounts → Keys, review Cloud Audit Logs for its use, and prefer workload identity federation over exported keys.',
  needles: ['service_account'],
  minLength: 60,
  pattern: new RegExp(`${Q}type${Q}\\s{0,8}:\\s{0,8}${Q}service_account${Q}`, 'g'),
  validate({ text, start, end }) {
    const { pk, email } = serviceAccountFacts(text);
    if (!pk) return undefined;
    const valueAt = pk.end;
    const from = Math.min(start, pk.start);
    if (text.startsWith('-----BEGIN', valueAt)) {
      const close = text.indexOf('PRIVATE KEY-----', valueAt + 27);
      const to = close !== -1 && close - valueAt < PEM_MAX_BODY ? close + 16 : valueAt + 10;
      return {
        score: 0.97,
        reason: `service-account JSON with a PEM private_key${email}`,
        start: from,
        end: Math.max(end, to),
      };
    }
    if (SA_EMPTY_KEY.test(text.slice(valueAt, valueAt + 16)))
      return { ...low('service-account JSON with an empty or placeholder private_key', 0.3), start: from };
    return {
      score: 0.85,
      reason: `service-account JSON with a private_key field${email}`,
      start: from,
      end: Math.max(end, valueAt),
    };
  },
};

// --- Connection strings ------------------------------------------------------------------------------

/** `${DB_PASS}`, `{password}`, `<password>`, `%(pw)s`, `$(cat …)`, `****`: the data holds no secret. */
const INTERPOLATED =
  /^(?:\$\{[^}]*\}|\$[A-Za-z_]\w*|\$\(.*\)|\{\{.*\}\}|\{[A-Za-z_]\w*\}|<[^>]*>|\[[^\]]*\]|%\(?\w*\)?s|\*+|x+|X+|\.\.\.)$/;
const PLACEHOLDER_PASSWORDS = new Set(
  (
    'password pass passwd pwd secret changeme change_me example test testing guest admin root user username ' +
    'mypassword my_password mypass yourpassword your_password your-password somepassword dbpass dbpassword ' +
    'postgres mysql redis mongo foo bar foobar pa55word p@ssw0rd password1 password123 123456 12345678 qwerty s3cret'
  ).split(' '),
);
const LOCAL_HOST =
  /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)(?::\d+)?$/i;
const EXAMPLE_HOST =
  /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|your[-_]?host\w*|hostname|host)(?::\d+)?$/i;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Shared judgement of an inline password: undefined when the data holds no secret at all. */
function judgePassword(rawPassword: string, user: string | undefined, host: string | undefined): Verdict | undefined {
  const password = decode(rawPassword);
  if (INTERPOLATED.test(password)) return undefined;
  if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase())) return low(`placeholder or default password`, 0.3);
  if (user !== undefined && decode(user) === password)
    return low('password equals the user name (default credentials)', 0.3);
  const guess = placeholderReason(password);
  if (guess) return low(guess, 0.3);
  if (host && EXAMPLE_HOST.test(host)) return low('documentation host (example/test)', 0.3);
  if (host && LOCAL_HOST.test(host))
    return { score: 0.6, severity: 'medium', reason: 'inline password for a local database' };
  return { score: 0.9, reason: 'inline password' };
}

export const connectionString: SecretRule = {
  id: 'secret.connection-string',
  entity: 'CONNECTION_STRING',
  title: 'Database or broker URL with a password',
  severity: 'high',
  description:
    'Database, cache or broker URL with an inline password (postgres://, mysql://, mongodb(+srv)://, redis://, amqp://, jdbc:…): high because it grants direct data access to whoever can reach the host.',
  remediation:
    'Change the password of that database user, restrict network access, and load credentials from the environment or a secret store instead of the URL.',
  needles: ['://'],
  minLength: 14,
  pattern:
    /(?<![A-Za-z0-9+.-])((?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?|cassandra)(?:\+[a-z0-9]{1,20})?):\/\/([^\s:/@'"`<>]{0,128}):([^\s@/'"`<>]{1,256})@([^\s/?#'"`<>,;]{1,256})/g,
  validate({ match }) {
    const [, , user, password, host] = match as unknown as [string, string, string, string, string];
    return judgePassword(password, user, host);
  },
};

/** Another connection-string key in the same value, so `password=` alone (a form, a log line) does not count. */
const CONNECTION_KEYS =
  /(?:^|[;?&\s])(?:server|data source|host|hostname|address|addr|uid|user id|user|username|database|initial catalog|driver|dsn|port)\s{0,4}=|jdbc:/i;

const PARAM_USER = /(?:^|[;?&\s])(?:uid|user id|user|username)\s{0,4}=\s{0,4}([^;&\s'"]{1,128})/i;
const PARAM_HOST = /(?:^|[;?&\s])(?:server|data source|host|hostname|address)\s{0,4}=\s{0,4}([^;&\s'"]{1,256})/i;
const TCP_PREFIX = /^tcp:/i;
const PORT_SUFFIX = /,\d+$/;

export function looksLikeConnectionParams(text: string): boolean {
  return (text.includes(';') || text.includes('&') || text.includes('jdbc:')) && CONNECTION_KEYS.test(text);
}

export const connectionStringParams: SecretRule = {
  id: 'secret.connection-string-password',
  entity: 'CONNECTION_STRING',
  title: 'Connection string with a Password= parameter',
  severity: 'high',
  description:
    'ADO.NET / ODBC / JDBC connection string with Password= or Pwd= next to Server=, Data Source=, Uid= or jdbc: — high for the same reason as a database URL with a password.',
  remediation:
    'Change the password of that database user and move it out of the connection string (integrated auth, managed identity or a secret store).',
  needles: ['assword', 'ASSWORD', 'wd', 'WD'],
  minLength: 12,
  gate: looksLikeConnectionParams,
  // Case variants spelled out (no `i` flag) so the needles above are exactly what the pattern requires.
  pattern: /(?<![A-Za-z0-9_])(?:[Pp]assword|PASSWORD|[Pp]wd|PWD)\s{0,4}=\s{0,4}([^;&\s'"]{1,256})/g,
  validate({ text, match, start, end }: Hit) {
    const user = PARAM_USER.exec(text)?.[1];
    const host = PARAM_HOST.exec(text)?.[1]?.replace(TCP_PREFIX, '').replace(PORT_SUFFIX, '');
    const verdict = judgePassword(match[1]!, user, host);
    return verdict && { ...verdict, start, end };
  },
};

export const structuredRules: readonly SecretRule[] = [
  privateKey,
  jwt,
  gcpServiceAccount,
  connectionString,
  connectionStringParams,
];
