import { type CountryCode, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { shapeOf } from '../shape.js';
import { type ValidNumber, validInternationalDigits } from './phone-metadata.js';
import { digitsOf, type PiiRule, remediationFor, type Verdict } from './rule.js';

/**
 * Regions tried, in order, for a number written without a country code (`(213) 373-4253`,
 * `020 7946 0958`). Such numbers are only looked at when a phone context word is in the column name or
 * near the number: without the `+`/`00` prefix a digit run is as likely an id, a date or an amount.
 */
export const PHONE_DEFAULT_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'AU'];

const NANP_FICTION = /^\d{3}55501\d\d$/;
const OFCOM_DRAMA = /^(?:7700900|2079460|1134960|1632960|1174960)/;
const TRAILING_SEPARATORS = /[ \-.(]+$/;
const ENDS_WITH_DIGIT = /\d$/;
const DOUBLE_ZERO_PREFIX = /^00[1-9]/;
/** `00` starting a digit run and followed by a calling code's first digit. */
const INTERNATIONAL_ZEROS = /(?<![0-9])00[1-9]/;
const DATE_LIKE = [
  /^\d{4}([-. ])\d{1,2}\1\d{1,2}$/,
  /^\d{1,2}([-. ])\d{1,2}\1\d{2,4}$/,
  /^(?:19|20)\d\d-(?:19|20)\d\d$/,
];

function balanced(raw: string): boolean {
  const open = raw.indexOf('(');
  const close = raw.indexOf(')');
  if (open === -1 && close === -1) return true;
  return open !== -1 && close > open && raw.indexOf('(', open + 1) === -1 && raw.indexOf(')', close + 1) === -1;
}

/** Shapes that are not phone numbers even when the digit count fits. */
function rejectShape(raw: string, international: boolean): 'date' | 'dotted' | 'bare' | 'parens' | undefined {
  if (!balanced(raw)) return 'parens';
  if (international) return undefined;
  for (const pattern of DATE_LIKE) if (pattern.test(raw)) return 'date';
  let dots = false;
  let other = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '.') dots = true;
    else if (ch < '0' || ch > '9') other = true;
  }
  if (dots && !other) return 'dotted'; // versions, IPs, 1.234.567 amounts
  if (!dots && !other) return 'bare'; // ids, timestamps, amounts
  return undefined;
}

/** Numbers reserved for fiction and documentation: valid-looking, reported as `low`. */
function fictional(country: string | undefined, national: string): string | undefined {
  if ((country === 'US' || country === 'CA') && NANP_FICTION.test(national)) return 'NANP 555-01xx fiction range';
  if (country === 'GB' && OFCOM_DRAMA.test(national)) return 'Ofcom drama range';
  return undefined;
}

/** The candidate and up to two shorter variants without a trailing group (`+1 213 373 4253 17` → drop `17`). */
function variants(raw: string): string[] {
  const out = [raw];
  let current = raw;
  for (let i = 0; i < 2; i++) {
    const cut = Math.max(current.lastIndexOf(' '), current.lastIndexOf('-'));
    if (cut <= 0) break;
    current = current.slice(0, cut).replace(TRAILING_SEPARATORS, '');
    if (!ENDS_WITH_DIGIT.test(current)) break;
    out.push(current);
  }
  return out;
}

export const phoneRule: PiiRule = {
  id: 'pii.phone-number',
  entity: 'PHONE_NUMBER',
  title: 'Phone number',
  severity: 'medium',
  description:
    'Phone numbers validated against libphonenumber-js "max" metadata (length and per-country number patterns), not only a regex. International numbers (+ or 00 prefix) are validated on their own; national numbers need a phone context word and are tried against the default regions US, GB, DE, FR, IN, AU. Dates, dotted versions/amounts and bare digit runs are rejected first. Medium: a number contacts and usually identifies a person, but is not a credential.',
  remediation: remediationFor('Phone numbers identify and contact people.'),
  contextWords: [
    'phone',
    'phones',
    'telephone',
    'tel',
    'mobile',
    'cell',
    'cellphone',
    'fax',
    'whatsapp',
    'sms',
    'msisdn',
    'landline',
    'call',
    'contact',
    'phone number',
  ],
  contextBoost: 0.2,
  minLength: 7,
  // Validation needs ≥ 7 digits in the match, and a match is a run of phone characters.
  quick: (text) => shapeOf(text).phoneDigits >= 7,
  // International numbers carry `+` or `00`; any other number needs a context word.
  gate: (text, env) => text.indexOf('+') !== -1 || INTERNATIONAL_ZEROS.test(text) || env.mayHaveContext(),
  patterns: [/(?<![A-Za-z0-9_+\-./\\$€£¥])(?:\+|\(\+?)?\d[\d \-.()\u00a0]{5,22}\d(?![A-Za-z0-9_]|[.\-/,]\d)/g],
  validate(m, _text, env): Verdict | null {
    const first = m[0];
    const plus = first.startsWith('+') || first.startsWith('(+');
    const doubleZero = !plus && DOUBLE_ZERO_PREFIX.test(first);
    const international = plus || doubleZero;
    // National numbers and odd shapes need a phone word; without one anywhere, stop here.
    if (!international && !env.mayHaveContext()) return null;
    let contextChecked = false;
    let hasContext = false;
    for (const raw of variants(first)) {
      const digits = digitsOf(raw);
      const significant = doubleZero ? digits.length - 2 : digits.length;
      if (significant < 7 || significant > 15) continue;
      const shape = rejectShape(raw, international);
      if (shape === 'parens' || shape === 'date') continue;
      const start = m.index;
      const end = m.index + raw.length;
      if (!international || shape) {
        if (!contextChecked) {
          hasContext = env.context(start, end) !== undefined;
          contextChecked = true;
        }
        if (!hasContext) continue;
      }
      const parsed = international ? validInternational(doubleZero ? digits.slice(2) : digits) : validNational(raw);
      if (!parsed) continue;
      const where = parsed.country === '001' ? `+${parsed.callingCode}` : parsed.country;
      const fiction = fictional(parsed.country, parsed.nationalNumber);
      if (fiction) return { start, end, score: 0.6, severity: 'low', reason: `${fiction} (${where})` };
      return {
        start,
        end,
        score: international ? 0.7 : 0.45,
        reason: `valid ${where} number (libphonenumber metadata${international ? '' : ', national format'})`,
        requiresContext: !international,
      };
    }
    return null;
  },
};

/**
 * International numbers go through the compiled metadata only: it agrees with the library's
 * parse + isValid() (a differential property test holds them equal) at ~1/40 of the cost.
 */
function validInternational(digits: string): ValidNumber | undefined {
  return validInternationalDigits(digits);
}

/** National numbers (context only, rare) are parsed by the library itself with each default region. */
function validNational(raw: string): ValidNumber | undefined {
  for (const region of PHONE_DEFAULT_REGIONS) {
    const valid = fromLibrary(parsePhoneNumberFromString(raw, region));
    if (valid) return valid;
  }
  return undefined;
}

function fromLibrary(parsed: PhoneNumber | undefined): ValidNumber | undefined {
  if (!parsed?.isValid()) return undefined;
  return {
    callingCode: parsed.countryCallingCode,
    country: parsed.country ?? '001',
    nationalNumber: parsed.nationalNumber,
  };
}
