import { shapeOf } from '../shape.js';
import { digitsOf, type PiiRule, remediationFor } from './rule.js';
import { luhnValid } from './validators.js';

const REPEATED_DIGIT = /^(\d)\1+$/;

/** Card brands: issuer prefix ranges (inclusive, compared on the first digits) and allowed lengths. */
interface CardBrand {
  readonly name: string;
  readonly ranges: readonly (readonly [string, string])[];
  readonly lengths: readonly number[];
}

/** Checked in order: co-branded Discover ranges inside 62 come before UnionPay. */
export const CARD_BRANDS: readonly CardBrand[] = [
  { name: 'Visa', ranges: [['4', '4']], lengths: [13, 16, 19] },
  {
    name: 'Mastercard',
    ranges: [
      ['51', '55'],
      ['2221', '2720'],
    ],
    lengths: [16],
  },
  {
    name: 'American Express',
    ranges: [
      ['34', '34'],
      ['37', '37'],
    ],
    lengths: [15],
  },
  {
    name: 'Discover',
    ranges: [
      ['6011', '6011'],
      ['644', '649'],
      ['65', '65'],
      ['622126', '622925'],
    ],
    lengths: [16, 17, 18, 19],
  },
  { name: 'JCB', ranges: [['3528', '3589']], lengths: [16, 17, 18, 19] },
  {
    name: 'Diners Club',
    ranges: [
      ['300', '305'],
      ['3095', '3095'],
      ['36', '36'],
      ['38', '39'],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { name: 'UnionPay', ranges: [['62', '62']], lengths: [16, 17, 18, 19] },
  {
    name: 'Maestro',
    ranges: [
      ['5018', '5018'],
      ['5020', '5020'],
      ['5038', '5038'],
      ['5893', '5893'],
      ['6304', '6304'],
      ['6759', '6759'],
      ['6761', '6763'],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

/** The brand of a digit string by prefix and length, or undefined. */
export function cardBrand(digits: string): string | undefined {
  for (const brand of CARD_BRANDS) {
    if (!brand.lengths.includes(digits.length)) continue;
    for (const [from, to] of brand.ranges) {
      const prefix = Number(digits.slice(0, from.length));
      if (prefix >= Number(from) && prefix <= Number(to)) return brand.name;
    }
  }
  return undefined;
}

/** Test numbers published by card networks and payment processors: reported as `low`. */
export const TEST_CARD_NUMBERS: ReadonlySet<string> = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4222222222222',
  '4000056655665556',
  '4000000000000002',
  '4000000000000077',
  '4000000000009995',
  '4000000000003220',
  '4000002500003155',
  '4917610000000000',
  '4462030000000000',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '5454545454545454',
  '2223003122003222',
  '2223000048400011',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '340000000000009',
  '6011111111111117',
  '6011000990139424',
  '6011000000000004',
  '3530111333300000',
  '3566002020360505',
  '3566111111111113',
  '30569309025904',
  '38520000023237',
  '36227206271667',
  '6200000000000005',
  '6759649826438453',
  '6799990100000000019',
]);

/** Allowed group layouts when a number is written with spaces or hyphens. */
const GROUPINGS = new Set([
  '4-4-4-4',
  '4-6-5',
  '4-6-4',
  '4-4-4-4-3',
  '4-4-4-1',
  '4-4-5',
  '4-4-4-2',
  '4-4-4-3',
  '4-4-4',
]);

export const creditCardRule: PiiRule = {
  id: 'pii.credit-card',
  entity: 'CREDIT_CARD',
  title: 'Payment card number',
  severity: 'high',
  description:
    'Payment card numbers (PAN): 12-19 digits, plain or grouped, that pass the Luhn check and match a brand prefix and length (Visa, Mastercard incl. 2-series, Amex, Discover, JCB, Diners, UnionPay, Maestro). High: a PAN is regulated cardholder data (PCI DSS) and enables fraud; published test numbers are reported as low.',
  remediation: remediationFor('Card numbers must never be in training data (PCI DSS).'),
  contextWords: [
    'card',
    'cards',
    'credit',
    'debit',
    'cc',
    'ccn',
    'pan',
    'visa',
    'mastercard',
    'amex',
    'cardnumber',
    'creditcard',
    'payment',
    'cvv',
    'expiry',
  ],
  contextBoost: 0.25,
  minLength: 12,
  quick: (text) => shapeOf(text).groupedDigits >= 12,
  patterns: [/(?<![A-Za-z0-9_\-.])\d(?:[ -]?\d){11,18}(?![A-Za-z0-9_]|[.-]\d)/g],
  validate(m) {
    const raw = m[0];
    const digits = digitsOf(raw);
    const separator = raw.length === digits.length ? '' : raw.includes('-') ? '-' : ' ';
    if (separator) {
      if (raw.includes(separator === '-' ? ' ' : '-')) return null;
      const layout = raw
        .split(separator)
        .map((group) => group.length)
        .join('-');
      if (!GROUPINGS.has(layout)) return null;
    }
    if (REPEATED_DIGIT.test(digits)) return null;
    const brand = cardBrand(digits);
    if (!brand || !luhnValid(digits)) return null;
    const base = { start: m.index, end: m.index + raw.length };
    if (TEST_CARD_NUMBERS.has(digits)) {
      return {
        start: base.start,
        end: base.end,
        score: 0.7,
        severity: 'low',
        reason: `published ${brand} test card number, Luhn valid`,
      };
    }
    // A bare digit run is often an id; grouping is how people write card numbers.
    return {
      start: base.start,
      end: base.end,
      score: separator ? 0.75 : 0.55,
      reason: `Luhn valid, ${brand} prefix and length`,
    };
  },
};
