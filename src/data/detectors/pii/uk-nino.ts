import { shapeOf } from '../shape.js';
import { type PiiRule, remediationFor } from './rule.js';

/** First letters never used, second letters never used, and prefixes never allocated (HMRC rules). */
const BAD_FIRST = new Set('DFIQUV');
const BAD_SECOND = new Set('DFIOQUV');
const BAD_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);
/** Numbers used as examples in HMRC and payroll documentation. */
const EXAMPLE_NINOS = new Set(['QQ123456C', 'QQ123456A', 'AB123456C']);

export const ukNinoRule: PiiRule = {
  id: 'pii.uk-nino',
  entity: 'UK_NINO',
  title: 'UK National Insurance number',
  severity: 'high',
  description:
    'UK National Insurance numbers: two prefix letters (no D, F, I, Q, U, V first; no D, F, I, O, Q, U, V second; not BG, GB, NK, KN, TN, NT, ZZ), six digits and a suffix A-D. The spaced form (AB 12 34 56 C) stands alone; the compact form also looks like a product code, so it needs a context word. High: a NINO is a government identifier used in tax and benefit fraud; HMRC example numbers (QQ 12 34 56 C) are low.',
  remediation: remediationFor('National Insurance numbers are government identifiers.'),
  contextWords: ['nino', 'nin', 'ni', 'national insurance', 'insurance number', 'ni number'],
  contextBoost: 0.35,
  minLength: 9,
  quick: (text) => {
    const shape = shapeOf(text);
    return shape.length >= 9 && shape.upperPair && shape.groupedDigits >= 6;
  },
  patterns: [/(?<![A-Za-z0-9])([A-Z]{2})( ?)(\d{2})\2(\d{2})\2(\d{2})\2([A-D])(?![A-Za-z0-9])/g],
  validate(m) {
    const [value, prefix = '', space = '', a = '', b = '', c = '', suffix = ''] = m;
    const compact = prefix + a + b + c + suffix;
    const base = { start: m.index, end: m.index + value.length };
    // The compact form is also a product-code shape: it needs a context word.
    const requiresContext = space === '';
    if (EXAMPLE_NINOS.has(compact)) {
      return {
        start: base.start,
        end: base.end,
        score: 0.6,
        severity: 'low',
        reason: 'HMRC documentation example number',
        requiresContext,
      };
    }
    if (BAD_FIRST.has(prefix[0]!) || BAD_SECOND.has(prefix[1]!) || BAD_PREFIXES.has(prefix)) return null;
    if (space) return { start: base.start, end: base.end, score: 0.6, reason: 'NINO format, spaced, valid prefix' };
    return { start: base.start, end: base.end, score: 0.5, reason: 'NINO format, valid prefix', requiresContext };
  },
};
