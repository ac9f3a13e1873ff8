import { shapeOf } from '../shape.js';
import { bbanMatches, EXAMPLE_IBANS, IBAN_REGISTRY } from './iban-registry.js';
import { type PiiRule, remediationFor } from './rule.js';
import { ibanMod97 } from './validators.js';

const QUICK = /[A-Z]{2}\d\d/;
/** Printed IBANs are grouped in fours, the last group shorter. */
const GROUPS_OF_FOUR = /^[A-Z0-9]{4}(?: [A-Z0-9]{4})*(?: [A-Z0-9]{1,4})?$/;

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export const ibanRule: PiiRule = {
  id: 'pii.iban',
  entity: 'IBAN',
  title: 'International bank account number (IBAN)',
  severity: 'high',
  description:
    'IBANs, compact or in groups of four: the country must be in the IBAN registry table, the length and BBAN structure must match that country, and the ISO 13616 mod-97 check must hold. High: a bank account number is financial data that enables direct-debit fraud; IBANs printed in standards and tutorials are reported as low.',
  remediation: remediationFor('Bank account numbers are financial personal data.'),
  contextWords: ['iban', 'bank', 'account', 'acct', 'bic', 'swift', 'sepa', 'payee', 'beneficiary'],
  contextBoost: 0.1,
  minLength: 15,
  quick: (text) => text.length >= 15 && shapeOf(text).upperPair && QUICK.test(text),
  patterns: [/(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g],
  validate(m, text) {
    const raw = m[0];
    const country = raw.slice(0, 2);
    const entry = IBAN_REGISTRY[country];
    if (!entry) return null;
    // Walk to exactly `length` alphanumerics: the pattern may have run on into the next word.
    let compact = '';
    let i = 0;
    for (; i < raw.length && compact.length < entry.length; i++) if (raw[i] !== ' ') compact += raw[i];
    if (compact.length !== entry.length) return null;
    const end = m.index + i;
    if (isAlnum(text.charCodeAt(end))) return null;
    const grouped = raw.slice(0, i).includes(' ');
    if (grouped && !GROUPS_OF_FOUR.test(raw.slice(0, i))) return null;
    if (!bbanMatches(country, compact.slice(4)) || !ibanMod97(compact)) return null;
    const base = { start: m.index, end };
    if (EXAMPLE_IBANS.has(compact)) {
      return {
        start: base.start,
        end: base.end,
        score: 0.7,
        severity: 'low',
        reason: 'documented example IBAN, mod-97 valid',
      };
    }
    return { start: base.start, end: base.end, score: 0.85, reason: `mod-97 valid, ${country} length and BBAN format` };
  },
};
