/**
 * IBAN lengths and BBAN structures per country, after the SWIFT IBAN registry: `n` digits, `a` upper-case
 * letters, `c` letters or digits, each preceded by its count. The total length is the 4 characters of
 * country code and check digits plus the BBAN; a unit test holds the two consistent.
 */
export const IBAN_REGISTRY: Readonly<Record<string, { readonly length: number; readonly bban: string }>> = {
  AD: { length: 24, bban: '4n4n12c' },
  AE: { length: 23, bban: '3n16n' },
  AL: { length: 28, bban: '8n16c' },
  AT: { length: 20, bban: '5n11n' },
  AZ: { length: 28, bban: '4a20c' },
  BA: { length: 20, bban: '3n3n8n2n' },
  BE: { length: 16, bban: '3n7n2n' },
  BG: { length: 22, bban: '4a4n2n8c' },
  BH: { length: 22, bban: '4a14c' },
  BI: { length: 27, bban: '5n5n11n2n' },
  BR: { length: 29, bban: '8n5n10n1a1c' },
  BY: { length: 28, bban: '4c4n16c' },
  CH: { length: 21, bban: '5n12c' },
  CR: { length: 22, bban: '4n14n' },
  CY: { length: 28, bban: '3n5n16c' },
  CZ: { length: 24, bban: '4n6n10n' },
  DE: { length: 22, bban: '8n10n' },
  DJ: { length: 27, bban: '5n5n11n2n' },
  DK: { length: 18, bban: '4n9n1n' },
  DO: { length: 28, bban: '4c20n' },
  EE: { length: 20, bban: '2n2n11n1n' },
  EG: { length: 29, bban: '4n4n17n' },
  ES: { length: 24, bban: '4n4n1n1n10n' },
  FI: { length: 18, bban: '3n11n' },
  FK: { length: 18, bban: '2a12n' },
  FO: { length: 18, bban: '4n9n1n' },
  FR: { length: 27, bban: '5n5n11c2n' },
  GB: { length: 22, bban: '4a6n8n' },
  GE: { length: 22, bban: '2a16n' },
  GI: { length: 23, bban: '4a15c' },
  GL: { length: 18, bban: '4n9n1n' },
  GR: { length: 27, bban: '3n4n16c' },
  GT: { length: 28, bban: '4c20c' },
  HN: { length: 28, bban: '4a20n' },
  HR: { length: 21, bban: '7n10n' },
  HU: { length: 28, bban: '3n4n1n15n1n' },
  IE: { length: 22, bban: '4a6n8n' },
  IL: { length: 23, bban: '3n3n13n' },
  IQ: { length: 23, bban: '4a3n12n' },
  IS: { length: 26, bban: '4n2n6n10n' },
  IT: { length: 27, bban: '1a5n5n12c' },
  JO: { length: 30, bban: '4a4n18c' },
  KW: { length: 30, bban: '4a22c' },
  KZ: { length: 20, bban: '3n13c' },
  LB: { length: 28, bban: '4n20c' },
  LC: { length: 32, bban: '4a24c' },
  LI: { length: 21, bban: '5n12c' },
  LT: { length: 20, bban: '5n11n' },
  LU: { length: 20, bban: '3n13c' },
  LV: { length: 21, bban: '4a13c' },
  LY: { length: 25, bban: '3n3n15n' },
  MC: { length: 27, bban: '5n5n11c2n' },
  MD: { length: 24, bban: '2c18c' },
  ME: { length: 22, bban: '3n13n2n' },
  MK: { length: 19, bban: '3n10c2n' },
  MN: { length: 20, bban: '4n12n' },
  MR: { length: 27, bban: '5n5n11n2n' },
  MT: { length: 31, bban: '4a5n18c' },
  MU: { length: 30, bban: '4a2n2n12n3n3a' },
  NI: { length: 28, bban: '4a20n' },
  NL: { length: 18, bban: '4a10n' },
  NO: { length: 15, bban: '4n6n1n' },
  OM: { length: 23, bban: '3n16c' },
  PK: { length: 24, bban: '4a16c' },
  PL: { length: 28, bban: '8n16n' },
  PS: { length: 29, bban: '4a21c' },
  PT: { length: 25, bban: '4n4n11n2n' },
  QA: { length: 29, bban: '4a21c' },
  RO: { length: 24, bban: '4a16c' },
  RS: { length: 22, bban: '3n13n2n' },
  RU: { length: 33, bban: '9n5n15c' },
  SA: { length: 24, bban: '2n18c' },
  SC: { length: 31, bban: '4a2n2n16n3a' },
  SD: { length: 18, bban: '2n12n' },
  SE: { length: 24, bban: '3n16n1n' },
  SI: { length: 19, bban: '5n8n2n' },
  SK: { length: 24, bban: '4n6n10n' },
  SM: { length: 27, bban: '1a5n5n12c' },
  SO: { length: 23, bban: '4n3n12n' },
  ST: { length: 25, bban: '4n4n11n2n' },
  SV: { length: 28, bban: '4a20n' },
  TL: { length: 23, bban: '3n14n2n' },
  TN: { length: 24, bban: '2n3n13n2n' },
  TR: { length: 26, bban: '5n1n16c' },
  UA: { length: 29, bban: '6n19c' },
  VA: { length: 22, bban: '3n15n' },
  VG: { length: 24, bban: '4a16n' },
  XK: { length: 20, bban: '4n10n2n' },
  YE: { length: 30, bban: '4a4n18c' },
};

const compiled = new Map<string, RegExp>();

/** The BBAN structure as an anchored regular expression, compiled once per country at module load. */
export function bbanPattern(bban: string): RegExp {
  let source = '^';
  for (const [, count, kind] of bban.matchAll(/(\d+)([nac])/g)) {
    source += `${kind === 'n' ? '[0-9]' : kind === 'a' ? '[A-Z]' : '[A-Z0-9]'}{${count}}`;
  }
  return new RegExp(`${source}$`);
}

for (const [country, entry] of Object.entries(IBAN_REGISTRY)) compiled.set(country, bbanPattern(entry.bban));

/** Whether the BBAN part of a compact IBAN matches its country's structure. */
export function bbanMatches(country: string, bban: string): boolean {
  return compiled.get(country)?.test(bban) ?? false;
}

/** IBANs printed in standards, bank documentation and tutorials: found, but reported as `low`. */
export const EXAMPLE_IBANS: ReadonlySet<string> = new Set([
  'GB82WEST12345698765432',
  'GB29NWBK60161331926819',
  'DE89370400440532013000',
  'DE44500105175407324931',
  'FR1420041010050500013M02606',
  'FR7630006000011234567890189',
  'NL91ABNA0417164300',
  'BE68539007547034',
  'CH9300762011623852957',
  'ES9121000418450200051332',
  'IT60X0542811101000000123456',
  'AT611904300234573201',
]);
