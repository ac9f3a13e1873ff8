/**
 * Generators for the values faker does not make (or makes without valid checksums). Written from the
 * published formats, independently of the detectors under test: Luhn, ISO 13616 mod-97, SSA and HMRC
 * structure rules, Base58Check, bech32/bech32m (BIP-173/350), EIP-55, GitHub's CRC32 base62 checksum.
 * Every secret is random from the seeded generator: none is a real credential.
 */
import { createECDH, createHash, createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { keccak_256 } from '@noble/hashes/sha3';

/** The randomness the generators need; backed by a seeded faker instance. */
export interface Rng {
  int(min: number, max: number): number;
  chars(alphabet: string, length: number): string;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  bytes(n: number): Buffer;
}

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const BASE62 = `${DIGITS}${UPPER}${LOWER}`;
export const BASE64 = `${UPPER}${LOWER}${DIGITS}+/`;
export const BASE64URL = `${UPPER}${LOWER}${DIGITS}-_`;
export const BASE32 = `${UPPER}234567`;
export const HEX = '0123456789abcdef';

// --- Payment cards -----------------------------------------------------------------------------------

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function luhnValid(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

interface Brand {
  readonly name: string;
  readonly prefixes: () => string;
  readonly length: number;
  /** Group sizes when written with separators. */
  readonly groups: readonly number[];
}

/** Issuer prefixes and lengths from the networks' published ranges (ISO/IEC 7812 IINs). */
export function cardBrands(r: Rng): readonly Brand[] {
  const four = [4, 4, 4, 4];
  return [
    { name: 'visa', prefixes: () => '4', length: 16, groups: four },
    { name: 'mastercard', prefixes: () => String(r.int(51, 55)), length: 16, groups: four },
    { name: 'mastercard-2series', prefixes: () => String(r.int(2221, 2720)), length: 16, groups: four },
    { name: 'amex', prefixes: () => r.pick(['34', '37']), length: 15, groups: [4, 6, 5] },
    { name: 'discover', prefixes: () => r.pick(['6011', '65', String(r.int(644, 649))]), length: 16, groups: four },
    { name: 'jcb', prefixes: () => String(r.int(3528, 3589)), length: 16, groups: four },
    { name: 'diners', prefixes: () => r.pick(['36', String(r.int(300, 305))]), length: 14, groups: [4, 6, 4] },
    { name: 'unionpay', prefixes: () => `62${r.int(40, 99)}`, length: 16, groups: four },
  ];
}

/** Published test numbers: never planted as positives. */
const TEST_CARDS = new Set([
  '4111111111111111',
  '4242424242424242',
  '5555555555554444',
  '378282246310005',
  '6011111111111117',
  '4012888888881881',
]);

export function cardNumber(r: Rng, brand: Brand): string {
  for (;;) {
    const prefix = brand.prefixes();
    const body = prefix + r.chars(DIGITS, brand.length - prefix.length - 1);
    const number = body + luhnCheckDigit(body);
    if (!TEST_CARDS.has(number) && !/^(\d)\1+$/.test(number)) return number;
  }
}

/** Same shape, wrong check digit: a brand prefix and length that fails Luhn. */
export function luhnFailing(r: Rng, brand: Brand): string {
  const valid = cardNumber(r, brand);
  const check = Number(valid.at(-1));
  return valid.slice(0, -1) + String((check + r.int(1, 9)) % 10);
}

export function group(value: string, sizes: readonly number[], separator: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(value.slice(at, at + size));
    at += size;
  }
  if (at < value.length) parts.push(value.slice(at));
  return parts.join(separator);
}

// --- IBAN --------------------------------------------------------------------------------------------

/** BBAN structures from the SWIFT IBAN registry (`n` digits, `a` upper-case letters, `c` alphanumerics). */
export const IBAN_FORMATS: Readonly<Record<string, string>> = {
  DE: '18n',
  GB: '4a14n',
  FR: '10n11c2n',
  ES: '20n',
  IT: '1a10n12c',
  NL: '4a10n',
  BE: '12n',
  CH: '5n12c',
  AT: '16n',
  PL: '24n',
  IE: '4a14n',
  SE: '20n',
};

const EXAMPLE_IBANS = new Set(['GB82WEST12345698765432', 'DE89370400440532013000', 'NL91ABNA0417164300']);

function ibanDigits(s: string): string {
  let out = '';
  for (const ch of s) out += ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
  return out;
}

export function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  return rest;
}

export function iban(r: Rng, country: string): string {
  for (;;) {
    let bban = '';
    for (const [, count, kind] of IBAN_FORMATS[country]!.matchAll(/(\d+)([nac])/g)) {
      const alphabet = kind === 'n' ? DIGITS : kind === 'a' ? UPPER : `${UPPER}${DIGITS}`;
      bban += r.chars(alphabet, Number(count));
    }
    const check = 98 - mod97(ibanDigits(`${bban}${country}00`));
    const value = `${country}${String(check).padStart(2, '0')}${bban}`;
    if (!EXAMPLE_IBANS.has(value)) return value;
  }
}

export function ibanValid(value: string): boolean {
  const compact = value.replaceAll(' ', '');
  return mod97(ibanDigits(compact.slice(4) + compact.slice(0, 4))) === 1;
}

// --- Government identifiers --------------------------------------------------------------------------

/** US SSN: area 001-899 except 666, group 01-99, serial 0001-9999 (SSA rules); not the famous samples. */
export function usSsn(r: Rng): [string, string, string] {
  for (;;) {
    const area = r.int(1, 899);
    if (area === 666) continue;
    const parts: [string, string, string] = [
      String(area).padStart(3, '0'),
      String(r.int(1, 99)).padStart(2, '0'),
      String(r.int(1, 9999)).padStart(4, '0'),
    ];
    const joined = parts.join('');
    if (joined !== '078051120' && joined !== '219099999' && joined !== '123456789') return parts;
  }
}

/** UK NINO: HMRC prefix rules, six digits, suffix A-D; never the QQ documentation prefix. */
export function ukNino(r: Rng): { prefix: string; digits: string; suffix: string } {
  const first = [...UPPER].filter((c) => !'DFIQUV'.includes(c));
  const second = [...UPPER].filter((c) => !'DFIOQUV'.includes(c));
  for (;;) {
    const prefix = r.pick(first) + r.pick(second);
    if (['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(prefix)) continue;
    return { prefix, digits: r.chars(DIGITS, 6), suffix: r.pick(['A', 'B', 'C', 'D']) };
  }
}

export function usPassport(r: Rng): string {
  return r.chance(0.5)
    ? `${r.int(1, 9)}${r.chars(DIGITS, 8)}`
    : `${r.pick([...'ACEFGHJKLMNPRSTUVWXYZ'])}${r.chars(DIGITS, 8)}`;
}

// --- Cryptocurrency addresses ------------------------------------------------------------------------

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** P2PKH (version 0x00) or P2SH (0x05) address of a random 20-byte hash. */
export function base58Check(r: Rng, version: 0 | 5): string {
  return base58CheckOf(version, r.bytes(20));
}

export function base58CheckOf(version: number, hash: Uint8Array): string {
  const payload = Buffer.concat([Buffer.from([version]), hash]);
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  return base58(Buffer.concat([payload, checksum]));
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  return [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
}

function toWords(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** Segwit address: v0 with a 20- or 32-byte program (bech32), v1 taproot with 32 bytes (bech32m). */
export function segwitAddress(r: Rng, version: 0 | 1, programLength: 20 | 32): string {
  return segwitOf(version, r.bytes(programLength));
}

export function segwitOf(version: 0 | 1, program: Uint8Array): string {
  const hrp = 'bc';
  const data = [version, ...toWords(program)];
  const constant = version === 0 ? 1 : 0x2bc830a3;
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => BECH32[v]).join('')}`;
}

/** Ethereum address with the EIP-55 mixed-case checksum (keccak-256 of the lower-case hex). */
export function eip55Address(r: Rng): string {
  for (;;) {
    const out = eip55Of(r.chars(HEX, 40));
    // Need at least one upper and one lower letter, or the checksum is not visible.
    if (/[A-F]/.test(out) && /[a-f]/.test(out)) return out;
  }
}

export function eip55Of(lowerHex: string): string {
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(lowerHex))).toString('hex');
  let out = '0x';
  for (let i = 0; i < 40; i++) out += Number.parseInt(hash[i]!, 16) >= 8 ? lowerHex[i]!.toUpperCase() : lowerHex[i]!;
  return out;
}

// --- Provider secrets --------------------------------------------------------------------------------

export function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** Words a random token must not contain by chance, or a detector would rightly call it a placeholder. */
const PLACEHOLDER_WORDS =
  /example|x{6}|\*{3}|0{8}|(.)\1{5}|123456|abcdef|placeholder|redacted|your|dummy|fake|sample|changeme|insert|replace|test/i;

export function randomToken(r: Rng, alphabet: string, length: number): string {
  for (;;) {
    const s = r.chars(alphabet, length);
    if (PLACEHOLDER_WORDS.test(s)) continue;
    const lower = /[a-z]/.test(s);
    const upper = /[A-Z]/.test(s);
    const digit = /[0-9]/.test(s);
    // Alphabets with several classes: insist on all of them, as any real 20+ char random token has.
    const need = [alphabet.match(/[a-z]/), alphabet.match(/[A-Z]/), alphabet.match(/[0-9]/)];
    if ((need[0] && !lower) || (need[1] && !upper) || (need[2] && !digit)) continue;
    return s;
  }
}

/** Classic GitHub token: prefix, 30 random base62 characters, 6-character base62 CRC32 of those 30. */
export function githubToken(r: Rng, prefix: 'ghp' | 'gho' | 'ghu' | 'ghs' | 'ghr' = 'ghp'): string {
  const random = randomToken(r, BASE62, 30);
  return `${prefix}_${random}${base62(crc32(random), 6)}`;
}

export function githubFineGrained(r: Rng): string {
  return `github_pat_11${randomToken(r, `${UPPER}${DIGITS}`, 20)}_${randomToken(r, BASE62, 59)}`;
}

export const awsKeyId = (r: Rng, prefix: 'AKIA' | 'ASIA' = 'AKIA') => `${prefix}${randomToken(r, BASE32, 16)}`;
export const awsSecret = (r: Rng) => randomToken(r, BASE64, 40);
export const stripeLive = (r: Rng, kind: 'sk' | 'rk') =>
  `${kind}_live_${r.chance(0.5) ? randomToken(r, BASE62, 24) : `51${randomToken(r, BASE62, 97)}`}`;
export const slackBot = (r: Rng) =>
  `xoxb-${r.int(1, 9)}${r.chars(DIGITS, 11)}-${r.int(1, 9)}${r.chars(DIGITS, 12)}-${randomToken(r, BASE62, 24)}`;
export const slackUser = (r: Rng) =>
  `xoxp-${r.int(1, 9)}${r.chars(DIGITS, 10)}-${r.int(1, 9)}${r.chars(DIGITS, 10)}-${r.int(1, 9)}${r.chars(DIGITS, 12)}-${randomToken(r, HEX, 32)}`;
export const slackWebhook = (r: Rng) =>
  `https://hooks.slack.com/services/T${randomToken(r, `${UPPER}${DIGITS}`, 10)}/B${randomToken(r, `${UPPER}${DIGITS}`, 10)}/${randomToken(r, BASE62, 24)}`;
export const openaiProjectKey = (r: Rng) =>
  `sk-proj-${randomToken(r, `${BASE62}_-`, 74)}T3BlbkFJ${randomToken(r, `${BASE62}_-`, 74)}`;
export const huggingfaceToken = (r: Rng) => `hf_${randomToken(r, `${UPPER}${LOWER}`, 34)}`;
export const googleApiKey = (r: Rng) => `AIza${randomToken(r, `${BASE62}_-`, 35)}`;

/** HS256 JWT over realistic claims, signed with a random key (node:crypto HMAC). */
export function jwt(r: Rng, claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const alg = r.pick(['HS256', 'HS384', 'HS512'] as const);
  const signingInput = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  const signature = createHmac(`sha${alg.slice(2)}`, r.bytes(32))
    .update(signingInput)
    .digest('base64url');
  return `${signingInput}.${signature}`;
}

// --- Private keys ------------------------------------------------------------------------------------

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * PEM private keys made by node:crypto. Ed25519 and P-256 keys are derived from seeded bytes, so they are
 * reproducible; RSA keys come from a small pool generated per run (node:crypto cannot seed RSA key
 * generation), so their bytes differ between runs while their shape does not.
 */
export class PrivateKeys {
  private readonly rsaPool: string[] = [];

  constructor(rsaKeys: number) {
    for (let i = 0; i < rsaKeys; i++) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.rsaPool.push(privateKey.export({ type: i % 2 === 0 ? 'pkcs8' : 'pkcs1', format: 'pem' }).toString());
    }
  }

  pem(r: Rng): { pem: string; kind: string } {
    const kind = r.pick(['ed25519', 'ec-sec1', 'ec-pkcs8', 'rsa'] as const);
    if (kind === 'rsa') return { pem: r.pick(this.rsaPool), kind };
    if (kind === 'ed25519') {
      const key = createPrivateKey({
        key: Buffer.concat([ED25519_PKCS8_PREFIX, r.bytes(32)]),
        format: 'der',
        type: 'pkcs8',
      });
      return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), kind };
    }
    const ecdh = createECDH('prime256v1');
    for (;;) {
      try {
        ecdh.setPrivateKey(r.bytes(32));
        break;
      } catch {
        // out of range for the curve: draw again
      }
    }
    const pub = ecdh.getPublicKey();
    const key = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: ecdh.getPrivateKey().toString('base64url'),
        x: pub.subarray(1, 33).toString('base64url'),
        y: pub.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
    return {
      pem: key
        .export({ type: kind === 'ec-sec1' ? 'sec1' : 'pkcs8', format: 'pem' })
        .toString()
        .trimEnd(),
      kind,
    };
  }
}

// --- Passwords and connection strings ----------------------------------------------------------------

const PASSWORD_ALPHABET = `${BASE62}!#^*_-~`;

/** A random password with upper, lower, digit and a symbol; no URL or CSV syntax characters. */
export function password(r: Rng, length = r.int(12, 20)): string {
  for (;;) {
    const s = randomToken(r, PASSWORD_ALPHABET, length);
    if (/[!#^*_~-]/.test(s)) return s;
  }
}

// --- Hard negatives ----------------------------------------------------------------------------------

export const uuid = (r: Rng) => {
  const h = r.chars(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${r.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20)}`;
};
export const hexDigest = (r: Rng, bytes: 16 | 20 | 32) => r.chars(HEX, bytes * 2);
export const base64Blob = (r: Rng, bytes: number) => r.bytes(bytes).toString('base64');

// --- Self-test ---------------------------------------------------------------------------------------

/**
 * Published test vectors, checked before any data is generated, so a bug in a generator cannot pass
 * for a detector's false negative: BIP-173/350, the genesis-block address, EIP-55, ISO 13616, Luhn.
 */
export function selfTest(): void {
  const hex = (h: string) => Buffer.from(h, 'hex');
  const checks: [string, string, string][] = [
    [
      'bech32 v0 (BIP-173)',
      segwitOf(0, hex('751e76e8199196d454941c45d1b3a323f1433bd6')),
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    ],
    [
      'bech32m v1 (BIP-350)',
      segwitOf(1, hex('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798')),
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ],
    [
      'Base58Check P2PKH',
      base58CheckOf(0, hex('62e907b15cbf27d5425399ebf6f0fb50ebb88f18')),
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    ],
    ['EIP-55', eip55Of('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'), '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['EIP-55 (2)', eip55Of('fb6916095ca1df60bb79ce92ce3ea74c37c5d359'), '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
    ['IBAN check digits', String(98 - mod97(ibanDigits('WEST12345698765432GB00'))), '82'],
    ['Luhn', String(luhnCheckDigit('424242424242424')), '2'],
  ];
  for (const [name, got, want] of checks)
    if (got !== want) throw new Error(`self-test ${name}: got ${got}, want ${want}`);
  if (!ibanValid('GB82 WEST 1234 5698 7654 32') || ibanValid('GB83WEST12345698765432'))
    throw new Error('self-test mod-97');
}
