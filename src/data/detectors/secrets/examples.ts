/**
 * Credentials that vendors print in their own documentation. They are valid-looking on purpose and turn
 * up in every tutorial, so they are reported at `low` with this reason instead of as leaks. Each entry
 * names where it is published; add new ones here, never inline in a rule.
 */
export interface DocumentedExample {
  readonly value: string;
  readonly entity: string;
  readonly source: string;
}

export const documentedExamples: readonly DocumentedExample[] = [
  {
    value: 'AKIAIOSFODNN7EXAMPLE',
    entity: 'AWS_ACCESS_KEY',
    source: 'AWS IAM User Guide, "Manage access keys for IAM users" (example access key ID)',
  },
  {
    value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    entity: 'AWS_SECRET_KEY',
    source: 'AWS IAM User Guide, "Manage access keys for IAM users" (example secret access key)',
  },
  {
    value: 'ASIAIOSFODNN7EXAMPLE',
    entity: 'AWS_ACCESS_KEY',
    source: 'AWS STS API Reference, AssumeRole response example (temporary access key ID)',
  },
  {
    value: 'AKIAI44QH8DHBEXAMPLE',
    entity: 'AWS_ACCESS_KEY',
    source: 'AWS General Reference, Signature Version 4 examples',
  },
  {
    value: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    entity: 'AWS_SECRET_KEY',
    source: 'AWS General Reference, Signature Version 4 examples',
  },
  {
    value: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
    entity: 'STRIPE_KEY',
    source: 'Stripe API reference, authentication section (shared test-mode secret key)',
  },
  {
    value: 'pk_test_TYooMQauvdEDq54NiTphI7jx',
    entity: 'STRIPE_KEY',
    source: 'Stripe API reference and Stripe.js docs (shared test-mode publishable key)',
  },
  {
    value: 'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
    entity: 'STRIPE_KEY',
    source: 'Stripe API reference, older revisions (shared test-mode secret key)',
  },
  {
    value: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
    entity: 'GITHUB_TOKEN',
    source: 'GitHub Docs, "Authorizing OAuth apps" (example access_token in the web flow response)',
  },
  {
    value: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
    entity: 'GITHUB_TOKEN',
    source: 'GitHub Docs, "Generating a user access token for a GitHub App" (example user token)',
  },
  {
    value: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    entity: 'GITHUB_TOKEN',
    source: 'Derived: the GitHub Docs gho_/ghu_ example body under the ghp_ prefix, widespread in test suites',
  },
  {
    value: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    entity: 'GITHUB_TOKEN',
    source: 'Derived: the GitHub Docs gho_/ghu_ example body under the ghs_ prefix, widespread in test suites',
  },
  {
    value: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
    entity: 'GITHUB_TOKEN',
    source: 'GitHub Docs, "Refreshing user access tokens" for GitHub Apps (example refresh_token)',
  },
  {
    value:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    entity: 'JWT',
    source: 'jwt.io debugger default token (HS256, sub 1234567890, name "John Doe")',
  },
  {
    value: '2YotnFZFEjr1zCsicMWpAA',
    entity: 'GENERIC_SECRET',
    source: 'RFC 6749 (OAuth 2.0), example access_token in sections 4.1.4, 4.2.2 and 5.1',
  },
  {
    value: 'tGzv3JOkF0XG5Qx2TlKWIA',
    entity: 'GENERIC_SECRET',
    source: 'RFC 6749 (OAuth 2.0), example refresh_token in sections 4.1.4 and 5.1',
  },
  {
    value: 'SplxlOBeZQQYbYS6WxSbIA',
    entity: 'GENERIC_SECRET',
    source: 'RFC 6749 (OAuth 2.0), example authorization code in section 4.1.2',
  },
  {
    value: 'ad180jjd733klru7',
    entity: 'GENERIC_SECRET',
    source: 'RFC 5849 (OAuth 1.0), example oauth_token in section 3.5.1',
  },
];

const byValue = new Map(documentedExamples.map((example) => [example.value, example]));

/** The documented example `value` is, if any. */
export function documentedExample(value: string): DocumentedExample | undefined {
  return byValue.get(value);
}

// Placeholder shapes inside the random part of a token: vendor EXAMPLE markers, runs of x/X/*/0, counting
// sequences, and words people type where a secret goes. Only applied to the part that should be random,
// where any of these is astronomically unlikely by chance (a 6-char run of one symbol in base62: ~1e-9).
const PLACEHOLDER =
  /example|x{6}|\*{3}|0{8}|(.)\1{7}|123456789|abcdefgh|placeholder|redacted|your[_-]?(?:api|token|key|secret|pass)|dummy|fake|sample|changeme|insert|replace/i;

/** Why `randomPart` looks like a placeholder, or undefined when it does not. */
export function placeholderReason(randomPart: string): string | undefined {
  const m = PLACEHOLDER.exec(randomPart);
  return m ? `placeholder-looking value ("${m[0]}")` : undefined;
}
