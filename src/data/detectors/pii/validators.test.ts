import { describe, expect, it } from 'vitest';
import { CARD_BRANDS, cardBrand } from './credit-card.js';
import { bbanMatches, IBAN_REGISTRY } from './iban-registry.js';
import {
  base58CheckDecode,
  bech32Decode,
  eip55Encode,
  eip55Valid,
  ibanMod97,
  isCalendarDate,
  luhnValid,
  segwitValid,
} from './validators.js';

describe('Luhn', () => {
  it.each([
    ['4539148803436467', true],
    ['79927398713', true],
    ['4539148803436468', false],
    ['', false],
    ['12a4', false],
  ])('%s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });
});

describe('card brands', () => {
  it.each([
    ['4539148803436467', 'Visa'],
    ['5425233430109903', 'Mastercard'],
    ['2223000048410010', 'Mastercard'],
    ['371449635398431', 'American Express'],
    ['6011111111111117', 'Discover'],
    ['6221260000000000', 'Discover'],
    ['3530111333300000', 'JCB'],
    ['36227206271667', 'Diners Club'],
    ['6200000000000005', 'UnionPay'],
    ['6759649826438453', 'Maestro'],
    ['1234567812345678', undefined],
    ['4539148803436', 'Visa'],
    ['45391488034364', undefined],
  ])('%s → %s', (digits, brand) => {
    expect(cardBrand(digits)).toBe(brand);
  });

  it('every brand has ranges and lengths', () => {
    for (const brand of CARD_BRANDS) {
      expect(brand.ranges.length).toBeGreaterThan(0);
      for (const [from, to] of brand.ranges) expect(Number(from)).toBeLessThanOrEqual(Number(to));
    }
  });
});

describe('IBAN', () => {
  it('registry lengths agree with the BBAN structures', () => {
    for (const [country, { length, bban }] of Object.entries(IBAN_REGISTRY)) {
      const total = [...bban.matchAll(/(\d+)[nac]/g)].reduce((sum, [, n]) => sum + Number(n), 0);
      expect(total + 4, country).toBe(length);
    }
    expect(Object.keys(IBAN_REGISTRY).length).toBeGreaterThan(80);
  });

  it.each([
    ['GB82WEST12345698765432', true],
    ['DE89370400440532013000', true],
    ['NO9386011117947', true],
    ['GB82WEST12345698765433', false],
  ])('mod-97 %s → %s', (iban, valid) => {
    expect(ibanMod97(iban)).toBe(valid);
  });

  it('checks the BBAN structure', () => {
    expect(bbanMatches('GB', 'WEST12345698765432')).toBe(true);
    expect(bbanMatches('GB', '1234123456987654')).toBe(false);
    expect(bbanMatches('ZZ', '1')).toBe(false);
  });
});

describe('Bitcoin', () => {
  it('Base58Check', () => {
    expect(base58CheckDecode('1BoatSLRHtKNngkdXEeobR76b53LETtpyT')?.[0]).toBe(0);
    expect(base58CheckDecode('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')?.[0]).toBe(5);
    expect(base58CheckDecode('1BoatSLRHtKNngkdXEeobR76b53LETtpyU')).toBeUndefined();
    expect(base58CheckDecode('0OIl')).toBeUndefined();
  });

  it('bech32 and bech32m (BIP-173/350 vectors)', () => {
    expect(segwitValid('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', ['bc'])).toEqual({ hrp: 'bc', version: 0 });
    expect(segwitValid('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', ['bc'])).toEqual({
      hrp: 'bc',
      version: 1,
    });
    expect(segwitValid('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', ['bc', 'tb'])).toEqual({
      hrp: 'tb',
      version: 0,
    });
    // v0 program with a bech32m checksum is invalid (BIP-350).
    expect(segwitValid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', ['bc'])).toBeUndefined();
    expect(bech32Decode('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toBeUndefined();
  });
});

describe('EIP-55', () => {
  it.each([
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ])('%s is valid and round-trips', (address) => {
    expect(eip55Valid(address)).toBe(true);
    expect(eip55Encode(address.toLowerCase())).toBe(address);
  });

  it('a flipped case fails', () => {
    expect(eip55Valid('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toBe(false);
  });
});

describe('calendar dates', () => {
  it.each([
    [2000, 2, 29, true],
    [1900, 2, 29, false],
    [2023, 4, 31, false],
    [2023, 12, 31, true],
    [2023, 13, 1, false],
  ])('%i-%i-%i → %s', (y, m, d, valid) => {
    expect(isCalendarDate(y, m, d)).toBe(valid);
  });
});
