import { crc32 } from 'node:zlib';
import { shapeOf } from '../shape.js';
import { documentedExample, placeholderReason } from './examples.js';
import {
  base62,
  charClasses,
  columnWords,
  type Hit,
  hasPhrase,
  looksRandom,
  low,
  type SecretRule,
  shannon,
  type Verdict,
  wordsBefore,
} from './shared.js';

/**
 * Provider credentials with a recognisable prefix. Each rule: a linear pattern anchored on the prefix, a
 * validator (checksum where the provider has one, otherwise a randomness test on the part that should be
 * random), and `low` verdicts for documented examples, placeholders and test-mode keys.
 */

const ROTATE =
  'Revoke or rotate the credential at the provider now, then remove it from the dataset (or redact the span) and rebuild anything trained on it.';

function example(value: string): Verdict | undefined {
  const known = documentedExample(value);
  return known ? low(`documented example value: ${known.source}`) : undefined;
}

function placeholder(randomPart: string): Verdict | undefined {
  const reason = placeholderReason(randomPart);
  return reason ? low(reason) : undefined;
}

// --- GitHub ------------------------------------------------------------------------------------------

/** The 6-character base62 CRC32 of the 30-character random part, as GitHub appends it to classic tokens. */
export function githubChecksum(random30: string): string {
  return base62(crc32(random30), 6);
}

export const githubToken: SecretRule = {
  id: 'secret.github-token',
  entity: 'GITHUB_TOKEN',
  title: 'GitHub token',
  severity: 'critical',
  description:
    'GitHub personal access, OAuth, user, installation or refresh token (ghp_/gho_/ghu_/ghs_/ghr_ with a valid CRC32 checksum): critical because it can read private code and push to repositories, a supply-chain entry point.',
  remediation: `${ROTATE} GitHub revokes tokens reported through secret scanning; check the audit log for use.`,
  needles: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  minLength: 40,
  pattern: /(?<![A-Za-z0-9_])gh([pousr])_([A-Za-z0-9]{36,80})(?![A-Za-z0-9_])/g,
  validate({ match }) {
    const [token, kind, body] = match as unknown as [string, string, string];
    const known = example(token);
    if (known) return known;
    if (body.length !== 36) {
      // Only refresh tokens have been issued in a longer form (without a documented checksum).
      if (kind !== 'r' || body.length !== 76) return undefined;
      return (
        placeholder(body) ??
        (looksRandom(body, 4) ? { score: 0.7, reason: 'long refresh-token format, no checksum' } : undefined)
      );
    }
    const guess = placeholder(body);
    if (guess) return guess;
    if (githubChecksum(body.slice(0, 30)) === body.slice(30)) return { score: 0.99, reason: 'CRC32 checksum valid' };
    return low('checksum mismatch: not a token GitHub issued (placeholder, truncated or altered)', 0.3);
  },
};

export const githubFineGrainedToken: SecretRule = {
  id: 'secret.github-fine-grained-token',
  entity: 'GITHUB_TOKEN',
  title: 'GitHub fine-grained personal access token',
  severity: 'critical',
  description:
    'GitHub fine-grained personal access token (github_pat_<id>_<secret>): critical like classic tokens; scoped to chosen repositories, but those usually include private code.',
  remediation: `${ROTATE} Fine-grained tokens are listed under Settings → Developer settings → Personal access tokens.`,
  needles: ['github_pat_'],
  minLength: 80,
  pattern: /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9]{20,40})_([A-Za-z0-9]{50,90})(?![A-Za-z0-9_])/g,
  validate({ match }) {
    const [token, id, secret] = match as unknown as [string, string, string];
    return (
      example(token) ??
      placeholder(id + secret) ??
      (looksRandom(secret, 4)
        ? { score: 0.92, reason: 'fine-grained token format (no public checksum)' }
        : low('fine-grained token prefix with a low-entropy body', 0.3))
    );
  },
};

// --- AWS ---------------------------------------------------------------------------------------------

/** Access key ids: AKIA (long-term) or ASIA (temporary, STS) + 16 upper-case base32 characters. */
const AWS_KEY_ID = /(?<![A-Za-z0-9])(AKIA|ASIA)([A-Z0-9]{16})(?![A-Za-z0-9])/;
const NOT_BASE32 = /[0189]/;
const AWS_HINT = /aws|secret.?access/i;
/** A 40-character base64 run: the shape of an AWS secret access key (30 random bytes). */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** Separate instance for the pairing test, so it never disturbs `AWS_SECRET_SHAPE`'s lastIndex mid-scan. */
const AWS_SECRET_PAIR = new RegExp(AWS_SECRET_SHAPE.source, 'g');

function awsSecretShaped(value: string): boolean {
  const k = charClasses(value);
  // 40 random base64 characters hold all three classes with probability > 99.8%; a hex digest has no upper case.
  return k.lower > 0 && k.upper > 0 && k.digit + k.other > 0 && shannon(value) >= 4;
}

function hasAwsSecretNear(text: string): boolean {
  if (text.length < 60) return false;
  AWS_SECRET_PAIR.lastIndex = 0;
  let found = false;
  for (let m = AWS_SECRET_PAIR.exec(text); m !== null && !found; m = AWS_SECRET_PAIR.exec(text))
    found = awsSecretShaped(m[0]) && !m[0].endsWith('EXAMPLEKEY');
  AWS_SECRET_PAIR.lastIndex = 0;
  return found;
}

function awsContext(hit: Hit): string | undefined {
  const list = [...columnWords(hit.context.column), ...wordsBefore(hit.text, hit.start, 64)];
  if (hasPhrase(list, 'secret access key') || list.includes('secretaccesskey') || list.includes('awssecretaccesskey'))
    return 'secret access key';
  if (list.includes('aws') && (list.includes('secret') || list.includes('key'))) return 'aws';
  return undefined;
}

export const awsAccessKey: SecretRule = {
  id: 'secret.aws-access-key',
  entity: 'AWS_ACCESS_KEY',
  title: 'AWS access key id',
  severity: 'high',
  description:
    'AWS access key id (AKIA… long-term, ASIA… temporary): high on its own because the secret key usually travels with it; critical with score 0.95 when a secret-shaped value sits in the same value.',
  remediation: `${ROTATE} Deactivate the key in IAM, review CloudTrail for its use, and prefer roles or SSO over long-term keys.`,
  needles: ['AKIA', 'ASIA'],
  minLength: 20,
  pattern: new RegExp(AWS_KEY_ID.source, 'g'),
  validate(hit) {
    const [id, prefix, body] = hit.match as unknown as [string, string, string];
    const known = example(id);
    if (known) return known;
    if (body.endsWith('EXAMPLE')) return low('ends in EXAMPLE, the AWS documentation convention');
    // Issued ids use the base32 alphabet (A-Z, 2-7); 0, 1, 8 or 9 means a look-alike.
    if (NOT_BASE32.test(body)) return undefined;
    const guess = placeholder(body);
    if (guess) return guess;
    const temporary = prefix === 'ASIA' ? ' (temporary STS key: also needs its session token)' : '';
    if (hasAwsSecretNear(hit.text))
      return {
        score: 0.95,
        severity: 'critical',
        reason: `paired with a secret-shaped value in the same value${temporary}`,
      };
    const context = awsContext(hit);
    return context
      ? { score: 0.85, reason: `key id format, context: "${context}"${temporary}` }
      : { score: 0.75, reason: `key id format${temporary}` };
  },
};

export const awsSecretKey: SecretRule = {
  id: 'secret.aws-secret-key',
  entity: 'AWS_SECRET_KEY',
  title: 'AWS secret access key',
  severity: 'critical',
  description:
    'AWS secret access key (40 base64 characters), reported only next to an access key id (critical) or under aws_secret_access_key-style context (high): with the id it signs any API call the IAM user may make.',
  remediation: `${ROTATE} Deactivate the key pair in IAM and review CloudTrail for calls signed with it.`,
  needles: undefined,
  minLength: 40,
  quick: (text) => shapeOf(text).base64Run >= 40,
  // Reported only with a key id in the value or AWS context, so values with neither skip the 40-char scan.
  gate: (text, context) =>
    text.includes('AKIA') ||
    text.includes('ASIA') ||
    AWS_HINT.test(text) ||
    columnWords(context.column).includes('secret') ||
    columnWords(context.column).includes('aws'),
  pattern: AWS_SECRET_SHAPE,
  validate(hit) {
    const secret = hit.match[0];
    const known = example(secret);
    if (known) return known;
    if (secret.endsWith('EXAMPLEKEY')) return low('ends in EXAMPLEKEY, the AWS documentation convention');
    if (!awsSecretShaped(secret) || placeholderReason(secret)) return undefined;
    const id = AWS_KEY_ID.exec(hit.text);
    if (id && !id[2]!.endsWith('EXAMPLE')) return { score: 0.95, reason: `paired with access key id ${id[1]}…` };
    const context = awsContext(hit);
    return context ? { score: 0.85, severity: 'high', reason: `context: "${context}"` } : undefined;
  },
};

// --- Slack -------------------------------------------------------------------------------------------

export const slackToken: SecretRule = {
  id: 'secret.slack-token',
  entity: 'SLACK_TOKEN',
  title: 'Slack token',
  severity: 'high',
  description:
    'Slack bot, user, app-level or refresh token (xoxb-/xoxp-/xoxa-/xoxe-/xapp-): high because it reads and posts workspace messages, files and member data with the scopes of its app.',
  remediation: `${ROTATE} Revoke it with auth.revoke or in the app settings and review the workspace access logs.`,
  needles: ['xox', 'xapp-'],
  minLength: 24,
  pattern:
    /(?<![A-Za-z0-9-])(?:xox[abeprs]-(?:[0-9]{1,16}-){1,4}([A-Za-z0-9]{16,80})|xapp-[0-9]-[A-Z0-9]{6,16}-[0-9]{6,16}-([A-Za-z0-9]{32,80}))(?![A-Za-z0-9-])/g,
  validate({ match }) {
    const random = match[1] ?? match[2] ?? '';
    const guess = placeholder(match[0].slice(5));
    if (guess) return guess;
    return looksRandom(random, 3)
      ? { score: 0.92, reason: 'token format with a random secret part' }
      : low('token format with a low-entropy secret part', 0.3);
  },
};

export const slackWebhook: SecretRule = {
  id: 'secret.slack-webhook',
  entity: 'SLACK_WEBHOOK',
  title: 'Slack incoming webhook URL',
  severity: 'high',
  description:
    'Slack incoming webhook or workflow trigger URL: the URL is the credential, so anyone holding it can post into the channel (phishing from a trusted source); high, not critical, since it cannot read.',
  remediation:
    'Delete the webhook in the Slack app configuration and create a new one; keep webhook URLs in a secret store.',
  needles: ['hooks.slack.com'],
  minLength: 40,
  pattern: /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/([A-Za-z0-9_/]{10,200})/g,
  validate({ match }) {
    const [, kind, path] = match as unknown as [string, string, string];
    const parts = path.split('/').filter(Boolean);
    const secret = parts.at(-1) ?? '';
    if (parts.length < 2 || secret.length < 16) return undefined;
    if (kind === 'services' && !(parts[0]!.startsWith('T') && parts[1]!.startsWith('B') && parts.length === 3))
      return undefined;
    const guess = placeholder(path);
    if (guess) return guess;
    return looksRandom(secret, 3)
      ? { score: 0.95, reason: `${kind} webhook URL with a random secret` }
      : low('webhook URL with a low-entropy secret', 0.3);
  },
};

// --- Stripe ------------------------------------------------------------------------------------------

export const stripeKey: SecretRule = {
  id: 'secret.stripe-key',
  entity: 'STRIPE_KEY',
  title: 'Stripe API key',
  severity: 'critical',
  description:
    'Stripe live secret key (sk_live_, critical: moves money and reads customer payment data) or restricted key (rk_live_, high); test-mode keys (sk_/rk_/pk_test_) are low and pk_live_ is public by design.',
  remediation: `${ROTATE} Roll the key in the Stripe dashboard (Developers → API keys) and review the request log.`,
  needles: ['_live_', '_test_'],
  minLength: 24,
  pattern: /(?<![A-Za-z0-9_])([spr]k)_(live|test)_([A-Za-z0-9]{16,247})(?![A-Za-z0-9_])/g,
  validate({ match }) {
    const [key, kind, mode, body] = match as unknown as [string, string, string, string];
    const known = example(key);
    if (known) return known;
    if (mode === 'test') return low('test-mode key: no access to live data or money', 0.6);
    if (kind === 'pk') return undefined;
    const guess = placeholder(body);
    if (guess) return guess;
    if (!looksRandom(body, 3)) return low('live key prefix with a low-entropy body', 0.3);
    return kind === 'rk'
      ? { score: 0.95, severity: 'high', reason: 'restricted live key: limited to the permissions it was granted' }
      : { score: 0.95, reason: 'live secret key' };
  },
};

// --- OpenAI ------------------------------------------------------------------------------------------

export const openaiKey: SecretRule = {
  id: 'secret.openai-api-key',
  entity: 'OPENAI_API_KEY',
  title: 'OpenAI API key',
  severity: 'high',
  description:
    'OpenAI API key (legacy sk-…T3BlbkFJ…, project sk-proj-, service-account sk-svcacct-, admin sk-admin-): high because it spends the organisation budget and reads its files, fine-tunes and stored conversations.',
  remediation: `${ROTATE} Delete the key under platform.openai.com → API keys and check the usage dashboard.`,
  needles: ['sk-'],
  minLength: 23,
  pattern: /(?<![A-Za-z0-9_-])sk-(?:(proj|svcacct|admin)-)?([A-Za-z0-9_-]{20,250})(?![A-Za-z0-9_-])/g,
  validate({ match }) {
    const [, kind, body] = match as unknown as [string, string | undefined, string];
    if (!kind && body.startsWith('ant-')) return undefined; // Anthropic keys share the sk- prefix.
    const guess = placeholder(body);
    if (body.includes('T3BlbkFJ')) return guess ?? { score: 0.97, reason: 'contains T3BlbkFJ ("OpenAI" in base64)' };
    if (kind && body.length >= 40) {
      if (guess) return guess;
      return looksRandom(body, 4) ? { score: 0.8, reason: `sk-${kind}- prefix, no T3BlbkFJ marker` } : undefined;
    }
    return undefined;
  },
};

// --- Hugging Face ------------------------------------------------------------------------------------

export const huggingfaceToken: SecretRule = {
  id: 'secret.huggingface-token',
  entity: 'HUGGINGFACE_TOKEN',
  title: 'Hugging Face token',
  severity: 'high',
  description:
    'Hugging Face user access token (hf_ + 34 letters) or legacy organisation token (api_org_): high because a write token can replace model weights others download, and read tokens open private and gated repositories.',
  remediation: `${ROTATE} Invalidate it under huggingface.co/settings/tokens and review recent commits to your repositories.`,
  needles: ['hf_', 'api_org_'],
  minLength: 37,
  pattern: /(?<![A-Za-z0-9_])(hf|api_org)_([A-Za-z]{34})(?![A-Za-z0-9_])/g,
  validate({ match }) {
    const [, kind, body] = match as unknown as [string, string, string];
    const k = charClasses(body);
    // 34 random letters are mixed-case with near certainty; identifiers such as hf_modelcard... are not.
    if (k.upper < 3 || k.lower < 3 || shannon(body) < 3.8) return undefined;
    return (
      placeholder(body) ?? {
        score: 0.92,
        reason: kind === 'hf' ? 'user access token format' : 'legacy organisation token format',
      }
    );
  },
};

// --- Google ------------------------------------------------------------------------------------------

export const googleApiKey: SecretRule = {
  id: 'secret.google-api-key',
  entity: 'GOOGLE_API_KEY',
  title: 'Google API key',
  severity: 'high',
  description:
    'Google Cloud / Firebase API key (AIza + 35 characters): high because unrestricted keys bill paid APIs (Maps, Gemini, Vision) to the project; keys restricted to a web referrer or app are lower risk.',
  remediation: `${ROTATE} Delete or regenerate the key in the Cloud console (APIs & Services → Credentials) and add API and application restrictions.`,
  needles: ['AIza'],
  minLength: 39,
  pattern: /(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  validate({ match }) {
    const body = match[1]!;
    return (
      placeholder(body) ??
      (looksRandom(body, 3.5)
        ? { score: 0.9, reason: 'API key format' }
        : low('key prefix with a low-entropy body', 0.3))
    );
  },
};

export const providerRules: readonly SecretRule[] = [
  githubToken,
  githubFineGrainedToken,
  awsAccessKey,
  awsSecretKey,
  slackToken,
  slackWebhook,
  stripeKey,
  openaiKey,
  huggingfaceToken,
  googleApiKey,
];
