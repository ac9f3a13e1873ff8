import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Detector, mayMatch } from '../types.js';
import { piiDetectors } from './index.js';

const COLUMNS = [
  undefined,
  'email',
  'phone',
  'ssn',
  'dob',
  'passport',
  'name',
  'customer_name',
  'address',
  'iban',
  'nino',
  'wallet',
];

function check(detector: Detector, text: string, column: string | undefined): void {
  if (!mayMatch(detector, text)) return;
  const matches = detector.detect(text, column === undefined ? {} : { column });
  for (const match of matches) {
    expect(match.start).toBeGreaterThanOrEqual(0);
    expect(match.end).toBeLessThanOrEqual(text.length);
    expect(match.start).toBeLessThan(match.end);
    expect(match.score).toBeGreaterThanOrEqual(0);
    expect(match.score).toBeLessThanOrEqual(1);
    expect(match.entity).toMatch(/^[A-Z_]+$/);
  }
}

/** Characters PII patterns care about, so random strings actually reach the validators. */
const PII_ALPHABET = [
  ...'0123456789 -.:/@+()#,xX0aAbBcCdDeEfFgGqQzZ\u00a0éß',
  'Mr ',
  'bc1',
  '0x',
  'DE',
  'GB',
  'ssn ',
  'dob ',
  'Street',
  '@a.io',
];

describe('detect() never throws and spans stay inside the value', () => {
  it('on arbitrary unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...COLUMNS), (text, column) => {
        for (const detector of piiDetectors) check(detector, text, column);
      }),
      { numRuns: 400 },
    );
  });

  it('on strings built from PII-shaped pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PII_ALPHABET), { maxLength: 120 }).map((parts) => parts.join('')),
        fc.constantFrom(...COLUMNS),
        (text, column) => {
          for (const detector of piiDetectors) check(detector, text, column);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

/**
 * The gates (`minLength`, `quick` on the value's shape) may only skip values `detect` finds nothing in:
 * detect runs on its own, without them, and any match it finds must have passed them.
 */
describe('gates never skip a value detect would match', () => {
  const gated = (text: string, column: string | undefined) => {
    for (const detector of piiDetectors) {
      const matches = detector.detect(text, column === undefined ? {} : { column });
      if (matches.length > 0) expect(mayMatch(detector, text), `${detector.id} on ${JSON.stringify(text)}`).toBe(true);
    }
  };

  it('on strings built from PII-shaped pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PII_ALPHABET), { maxLength: 120 }).map((parts) => parts.join('')),
        fc.constantFrom(...COLUMNS),
        gated,
      ),
      { numRuns: 3000 },
    );
  });

  it('on values that hold each entity', () => {
    const values = [
      'a@b.cd',
      'Contact jane.doe@mailbox.org today',
      '+44 20 7946 0958',
      '(213) 373-4253',
      '0049 30 901820',
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      'DE89 3704 0044 0532 0130 00',
      'GB82WEST12345698765432',
      '123-45-6789',
      '123 45 6789',
      'A12345678',
      '123456789',
      'AB 12 34 56 C',
      'AB123456C',
      '81.2.69.160',
      '::1',
      '2001:db8::ff00:42:8329',
      '00:1a:2b:3c:4d:5e',
      '001a.2b3c.4d5e',
      '0012.3456.7890',
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      '0x52908400098527886E0F7030069857D2E4169EE7',
      '1985-03-12',
      '12 March 1985',
      'born 3/12/85',
      'Mr Smith',
      'James Smith',
      'jane doe',
      '221B Baker Street',
      'Musterstraße 12a',
      '12 rue de la Paix',
      'PO Box 123',
      '12 Main St, Springfield',
    ];
    for (const value of values) for (const column of COLUMNS) gated(value, column);
  });
});

/** Long adversarial inputs: near-misses repeated so a backtracking regex would explode. */
const ADVERSARIAL: Record<string, string> = {
  letters: 'a'.repeat(100_000),
  digits: '1'.repeat(100_000),
  spacedDigits: '1 '.repeat(50_000),
  dashedDigits: '12-'.repeat(33_000),
  dots: '1.'.repeat(50_000),
  colons: 'a:'.repeat(50_000),
  hexColons: 'ab:'.repeat(33_000),
  ats: 'a@'.repeat(50_000),
  emailish: `${'a.'.repeat(40_000)}@${'b.'.repeat(10_000)}`,
  domainRun: `a@${'b-'.repeat(50_000)}`,
  capitals: 'Aa '.repeat(33_000),
  names: 'John '.repeat(20_000),
  honorifics: 'Mr '.repeat(33_000),
  streets: '12 Main '.repeat(12_000),
  ibanish: `DE89${' 1234'.repeat(20_000)}`,
  upperDigits: 'A1'.repeat(50_000),
  base58: '1'.repeat(10) + 'z'.repeat(99_990),
  bech: `bc1${'q'.repeat(99_997)}`,
  hex: `0x${'a'.repeat(99_998)}`,
  parens: '(1'.repeat(50_000),
  plus: '+1 '.repeat(33_000),
  dates: '12/12/'.repeat(16_000),
  months: '12 March '.repeat(11_000),
  mixed: '4111 1111 1111 1111 2024-01-15 +1 213 373 4253 '.repeat(2_000),
};

// Not a speed test (throughput.test.ts is): a backtracking regex takes seconds to hours on these inputs,
// a linear one milliseconds (worst measured ~8 ms alone, ~60 ms in a loaded parallel run), so a generous ceiling separates
// them without flaking.
const CEILING_MS = 2_000;

describe('linear time on 100k-character adversarial inputs', () => {
  for (const detector of piiDetectors) {
    it(`${detector.id} does not backtrack`, () => {
      detector.detect('warm up 4111 1111 1111 1111 a@b.io', { column: 'name' });
      for (const [name, text] of Object.entries(ADVERSARIAL)) {
        for (const column of [undefined, 'dob']) {
          const started = performance.now();
          if (mayMatch(detector, text)) detector.detect(text, column === undefined ? {} : { column });
          const ms = performance.now() - started;
          expect(ms, `${name}${column ? `/${column}` : ''}`).toBeLessThan(CEILING_MS);
        }
      }
    });
  }
});
