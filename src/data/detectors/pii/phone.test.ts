import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { validInternationalDigits } from './phone-metadata.js';

const CALLING_CODES = ['1', '7', '20', '27', '31', '33', '34', '39', '44', '49', '52', '55', '61', '81', '86', '91'];
const MORE_CODES = ['234', '254', '351', '353', '380', '420', '800', '808', '882', '971', '972', '998', '999'];

describe('compiled phone metadata', () => {
  it('agrees with libphonenumber-js parse + isValid on random international numbers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CALLING_CODES, ...MORE_CODES),
        fc.stringMatching(/^[0-9]{5,13}$/),
        (callingCode, national) => {
          const digits = callingCode + national;
          const library = parsePhoneNumberFromString(`+${digits}`)?.isValid() ?? false;
          expect(validInternationalDigits(digits) !== undefined, `+${digits}`).toBe(library);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it.each([
    ['12133734253', 'US'],
    ['442071838750', 'GB'],
    ['4930901820', 'DE'],
    ['33123456789', 'FR'],
    ['8613800138000', 'CN'],
    ['919876543210', 'IN'],
    ['80012345678', '001'],
    ['4402071838750', 'GB'],
  ])('+%s is valid in %s', (digits, country) => {
    expect(validInternationalDigits(digits)?.country).toBe(country);
  });

  it.each(['15550100123', '99912345678', '4412', '1'])('+%s is not valid', (digits) => {
    expect(validInternationalDigits(digits)).toBeUndefined();
  });
});
