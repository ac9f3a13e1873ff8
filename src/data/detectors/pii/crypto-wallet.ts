import { shapeOf } from '../shape.js';
import { type PiiRule, remediationFor, type Verdict } from './rule.js';
import { base58CheckDecode, eip55Valid, segwitValid } from './validators.js';

const ALL_ZERO = /^0+$/;
const HEX_LETTER = /[a-fA-F]/;

/** Base58Check version bytes of Bitcoin addresses. */
const BASE58_VERSIONS: Readonly<Record<number, { kind: string; testnet: boolean }>> = {
  0: { kind: 'Bitcoin P2PKH', testnet: false },
  5: { kind: 'Bitcoin P2SH', testnet: false },
  111: { kind: 'Bitcoin testnet P2PKH', testnet: true },
  196: { kind: 'Bitcoin testnet P2SH', testnet: true },
};

/** Addresses everyone has seen (genesis block, burn addresses): reported as `low`. */
const WELL_KNOWN = new Set([
  '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
  '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  '1111111111111111111114oLvT2',
  '1CounterpartyXXXXXXXXXXXXXXXUWLpVr',
  '0x000000000000000000000000000000000000dEaD',
]);

const BASE58_ADDRESS = /(?<![A-Za-z0-9])[123mn][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const SEGWIT_ADDRESS = /(?<![A-Za-z0-9])(?:bc1|tb1|BC1|TB1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![A-Za-z0-9])/g;
const SEGWIT_PREFIX = /bc1|tb1/i;
const ETH_ADDRESS = /(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![A-Za-z0-9])/g;

export const cryptoWalletRule: PiiRule = {
  id: 'pii.crypto-wallet',
  entity: 'CRYPTO_WALLET',
  title: 'Cryptocurrency wallet address',
  severity: 'medium',
  description:
    'Bitcoin addresses verified by checksum (Base58Check P2PKH/P2SH with version byte; bech32/bech32m segwit with witness version and program length) and Ethereum addresses (EIP-55 mixed-case checksum; all-lower-case or all-upper-case ones carry no checksum and need a context word). Medium: a pseudonymous identifier that links a person to their whole public transaction history; testnet and well-known addresses are low.',
  remediation: remediationFor('Wallet addresses link people to their transaction history.'),
  contextWords: [
    'wallet',
    'address',
    'addr',
    'btc',
    'bitcoin',
    'eth',
    'ethereum',
    'crypto',
    'erc20',
    'metamask',
    'recipient',
    'payout',
    'deposit',
  ],
  contextBoost: 0.15,
  minLength: 26,
  // Base58 and Ethereum addresses are alphanumeric runs of 26 or more; segwit ones start bc1 or tb1.
  quick: (text) => {
    if (text.length < 26) return false;
    const run = shapeOf(text).alnumRun;
    return run >= 26 || (run >= 11 && SEGWIT_PREFIX.test(text));
  },
  patterns: [BASE58_ADDRESS, { regex: SEGWIT_ADDRESS, requires: '1' }, { regex: ETH_ADDRESS, requires: '0x' }],
  validate(m): Verdict | null {
    const value = m[0];
    const base = { start: m.index, end: m.index + value.length };
    if (WELL_KNOWN.has(value))
      return { start: base.start, end: base.end, score: 0.6, severity: 'low', reason: 'well-known public address' };
    if (value.startsWith('0x')) {
      const hex = value.slice(2);
      if (ALL_ZERO.test(hex)) return null;
      // All-lower and all-upper hex carry no checksum (unless an all-upper one happens to be EIP-55 valid).
      const letters = HEX_LETTER.test(hex);
      const checked = letters && hex !== hex.toLowerCase() && eip55Valid(value);
      if (!checked) {
        if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase()) return null;
        return {
          start: base.start,
          end: base.end,
          score: 0.5,
          reason: 'Ethereum address without EIP-55 checksum',
          requiresContext: true,
        };
      }
      return { start: base.start, end: base.end, score: 0.85, reason: 'Ethereum address, EIP-55 checksum valid' };
    }
    const prefix = value.slice(0, 3).toLowerCase();
    if (prefix === 'bc1' || prefix === 'tb1') {
      const segwit = segwitValid(value, ['bc', 'tb']);
      if (!segwit) return null;
      const kind = `${segwit.version === 0 ? 'bech32' : 'bech32m'} segwit v${segwit.version}`;
      if (segwit.hrp === 'tb')
        return {
          start: base.start,
          end: base.end,
          score: 0.6,
          severity: 'low',
          reason: `Bitcoin testnet ${kind}, checksum valid`,
        };
      return { start: base.start, end: base.end, score: 0.85, reason: `Bitcoin ${kind}, checksum valid` };
    }
    const payload = base58CheckDecode(value);
    if (!payload || payload.length !== 21) return null;
    const version = BASE58_VERSIONS[payload[0]!];
    if (!version) return null;
    if (version.testnet)
      return {
        start: base.start,
        end: base.end,
        score: 0.6,
        severity: 'low',
        reason: `${version.kind}, Base58Check valid`,
      };
    return { start: base.start, end: base.end, score: 0.85, reason: `${version.kind}, Base58Check valid` };
  },
};
