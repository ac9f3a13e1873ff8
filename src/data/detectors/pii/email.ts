import { type PiiRule, remediationFor } from './rule.js';

/** Domains reserved for documentation (RFC 2606 / RFC 6761): matches are reported as `low`. */
const EXAMPLE_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/;
/** "TLDs" that are really file extensions: `logo@2x.png`, `icon@3x.webp`. */
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'css', 'js', 'ts', 'json']);
/** Role and system mailboxes: still addresses, but not a person's. */
const ROLE_LOCAL_PARTS = new Set([
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'info',
  'support',
  'admin',
  'postmaster',
  'webmaster',
  'hostmaster',
  'abuse',
  'sales',
  'contact',
  'help',
  'security',
  'git',
  'root',
  'mailer-daemon',
]);

export const emailRule: PiiRule = {
  id: 'pii.email',
  entity: 'EMAIL',
  title: 'Email address',
  severity: 'medium',
  description:
    'Email addresses (local part, @, a dotted domain with an alphabetic TLD). Medium: an address identifies and contacts a person directly but is not by itself a credential or financial identifier; reserved example domains and role mailboxes (noreply@, support@) are reported as low.',
  remediation: remediationFor('Email addresses identify people and end up reproducible by the model.'),
  contextWords: ['email', 'emails', 'mail', 'e-mail', 'mailto', 'contact', 'recipient', 'sender', 'from', 'to', 'cc'],
  contextBoost: 0.1,
  minLength: 6, // `a@b.cd`
  quick: (text) => text.indexOf('@') !== -1,
  // Local part must start a run (the look-behind), so a long run of letters without `@` costs one scan.
  patterns: [
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g,
  ],
  validate(m) {
    const value = m[0];
    const at = value.indexOf('@');
    const local = value.slice(0, at);
    const domain = value.slice(at + 1).toLowerCase();
    if (local.includes('..') || local.endsWith('.')) return null;
    const tld = domain.slice(domain.lastIndexOf('.') + 1);
    if (FILE_EXTENSIONS.has(tld)) return null;
    const base = { start: m.index, end: m.index + value.length };
    if (EXAMPLE_DOMAIN.test(domain)) {
      return {
        start: base.start,
        end: base.end,
        score: 0.6,
        severity: 'low',
        reason: 'reserved example domain (RFC 2606)',
      };
    }
    const plus = local.indexOf('+');
    const localKey = (plus === -1 ? local : local.slice(0, plus)).toLowerCase();
    if (ROLE_LOCAL_PARTS.has(localKey))
      return { start: base.start, end: base.end, score: 0.6, severity: 'low', reason: 'role mailbox' };
    return { start: base.start, end: base.end, score: 0.85, reason: 'email address syntax' };
  },
};
