import { describe, expect, it } from 'vitest';
import { type Detector, type DetectorMatch, mayMatch } from '../types.js';
import { piiDetectors } from './index.js';
import { eip55Encode } from './validators.js';

function byId(id: string): Detector {
  const detector = piiDetectors.find((d) => d.id === id);
  if (!detector) throw new Error(`no detector ${id}`);
  return detector;
}

/** What the engine does: quick gate, then detect. */
function run(detector: Detector, text: string, column?: string): DetectorMatch[] {
  if (!mayMatch(detector, text)) return [];
  return detector.detect(text, column === undefined ? {} : { column });
}

interface Positive {
  readonly text: string;
  readonly column?: string;
  /** The matched substring. */
  readonly found: string;
  readonly severity?: string;
  readonly minScore?: number;
}

interface Negative {
  readonly text: string;
  readonly column?: string;
  readonly why: string;
}

const ethLower = '0x52908400098527886e0f7030069857d2e4169ee7';

const cases: Record<string, { positives: Positive[]; negatives: Negative[] }> = {
  'pii.email': {
    positives: [
      { text: 'Contact jane.doe+ml@acme-corp.co.uk today', found: 'jane.doe+ml@acme-corp.co.uk', minScore: 0.9 },
      { text: 'x@mail.example.com', found: 'x@mail.example.com', severity: 'low' },
      { text: 'noreply@github.com', found: 'noreply@github.com', severity: 'low' },
      { text: 'name,Émile <emile_z@uni-heidelberg.de>', found: 'emile_z@uni-heidelberg.de' },
    ],
    negatives: [
      { text: 'logo@2x.png', why: 'retina image file name' },
      { text: 'user@localhost', why: 'no dotted domain' },
      { text: 'pip install pkg@1.2.3', why: 'version pin' },
      { text: 'a..b@acme.io', why: 'double dot in local part' },
      { text: '@handle and @other', why: 'social handles' },
    ],
  },
  'pii.phone-number': {
    positives: [
      { text: 'Call +1 213 373 4253 now', found: '+1 213 373 4253', minScore: 0.85 },
      { text: 'tel:+442071838750', found: '+442071838750' },
      { text: 'Zentrale: 0049 30 901820', found: '0049 30 901820' },
      { text: '+33 1 23 45 67 89', found: '+33 1 23 45 67 89' },
      { text: '(213) 373-4253', column: 'phone', found: '(213) 373-4253' },
      { text: 'mobile: 2133734253', found: '2133734253' },
      { text: 'cell 020 7946 0958', found: '020 7946 0958', severity: 'low' },
      { text: '+1 213 373 4253 17', found: '+1 213 373 4253' },
    ],
    negatives: [
      { text: '(213) 373-4253', why: 'national number without phone context' },
      { text: '2024-01-15', column: 'phone', why: 'date' },
      { text: '15.01.2024', column: 'phone', why: 'date' },
      { text: 'release 10.20.30.40', why: 'version' },
      { text: 'total 1234567.89', why: 'price' },
      { text: 'order 4007123456', why: 'bare digit id without context' },
      { text: 'ts=1700000000123', why: 'timestamp' },
      { text: '+1 555 010 0123', why: 'invalid by metadata (area code 555)' },
      { text: '+999 1234 5678', why: 'no such country code' },
    ],
  },
  'pii.credit-card': {
    positives: [
      { text: 'card 4539 1488 0343 6467', found: '4539 1488 0343 6467', minScore: 0.9 },
      { text: '4539-1488-0343-6467', found: '4539-1488-0343-6467' },
      { text: 'cc=5425233430109903', found: '5425233430109903' },
      { text: 'mc2 2223 0000 4841 0010', found: '2223 0000 4841 0010' },
      { text: 'amex 3714 496353 98431', found: '3714 496353 98431', severity: 'low' },
      { text: '6011111111111117', found: '6011111111111117', severity: 'low' },
      { text: 'JCB 3530111333300000', found: '3530111333300000', severity: 'low' },
      { text: 'diners 36227206271667', found: '36227206271667', severity: 'low' },
      { text: 'unionpay 6200000000000005', found: '6200000000000005', severity: 'low' },
      { text: 'visa test 4111 1111 1111 1111', found: '4111 1111 1111 1111', severity: 'low' },
    ],
    negatives: [
      { text: '4539 1488 0343 6468', why: 'Luhn fails' },
      { text: '1234567812345678', why: 'no brand, Luhn fails' },
      { text: '0000000000000000', why: 'repeated digit' },
      { text: '4539 14880 3436 467', why: 'odd grouping' },
      { text: '4539 1488-0343 6467', why: 'mixed separators' },
      { text: 'ORD-4539148803436467', why: 'part of an order id' },
      { text: '1700000000123', why: 'ms timestamp' },
    ],
  },
  'pii.iban': {
    positives: [
      { text: 'IBAN: GB33BUKB20201555555555', found: 'GB33BUKB20201555555555', minScore: 0.9 },
      { text: 'pay to DE75 5121 0800 1245 1261 99 thanks', found: 'DE75 5121 0800 1245 1261 99' },
      { text: 'FR7630006000011234567890189', found: 'FR7630006000011234567890189', severity: 'low' },
      { text: 'NO9386011117947', found: 'NO9386011117947' },
    ],
    negatives: [
      { text: 'GB34BUKB20201555555555', why: 'mod-97 fails' },
      { text: 'XX33BUKB20201555555555', why: 'unknown country' },
      { text: 'GB33BUKB2020155555555', why: 'too short for GB' },
      { text: 'DE89370400440532013000123', why: 'longer alphanumeric run' },
      { text: 'GB331234B20201555555555', why: 'BBAN format: GB needs 4 letters' },
    ],
  },
  'pii.us-ssn': {
    positives: [
      { text: 'SSN: 536-22-1234', found: '536-22-1234', minScore: 0.85 },
      { text: '536-22-1234', found: '536-22-1234' },
      { text: '536221234', column: 'ssn', found: '536221234' },
      { text: 'social security number 536 22 1234', found: '536 22 1234' },
      { text: 'ssn 078-05-1120', found: '078-05-1120', severity: 'low' },
      { text: '219-09-9999', found: '219-09-9999', severity: 'low' },
    ],
    negatives: [
      { text: '000-12-3456', why: 'area 000' },
      { text: '666-12-3456', why: 'area 666' },
      { text: '912-12-3456', why: 'area 900-999' },
      { text: '536-00-1234', why: 'group 00' },
      { text: '536-22-0000', why: 'serial 0000' },
      { text: '536221234', why: 'undashed without context' },
      { text: 'classnames 536221234', why: '"ssn" inside a word is not context' },
      { text: '536-22-12345', why: 'longer number' },
      { text: '536-22/1234', why: 'mixed separators' },
    ],
  },
  'pii.us-passport': {
    positives: [
      { text: 'passport no. C03005988', found: 'C03005988' },
      { text: '340020013', column: 'passport_number', found: '340020013' },
    ],
    negatives: [
      { text: 'C03005988', why: 'no passport context' },
      { text: 'ticket 340020013', why: 'no passport context' },
      { text: 'passportless 340020013', why: 'passport only as part of a word' },
      { text: 'passport 000000000', why: 'repeated digit' },
    ],
  },
  'pii.uk-nino': {
    positives: [
      { text: 'NI number JG 10 37 59 A', found: 'JG 10 37 59 A', minScore: 0.9 },
      { text: 'JG 10 37 59 A', found: 'JG 10 37 59 A' },
      { text: 'JG103759A', column: 'nino', found: 'JG103759A' },
      { text: 'QQ 12 34 56 C', found: 'QQ 12 34 56 C', severity: 'low' },
    ],
    negatives: [
      { text: 'JG103759A', why: 'compact form without context (product code shape)' },
      { text: 'DA 10 37 59 A', why: 'first letter D' },
      { text: 'AO 10 37 59 A', why: 'second letter O' },
      { text: 'GB 10 37 59 A', why: 'prefix GB' },
      { text: 'TN 10 37 59 A', why: 'prefix TN' },
      { text: 'JG 10 37 59 E', why: 'suffix beyond D' },
      { text: 'JG 1037 59 A', why: 'inconsistent spacing' },
    ],
  },
  'pii.ip-address': {
    positives: [
      { text: 'client 203.0.114.7 connected', found: '203.0.114.7', minScore: 0.8 },
      { text: '81.2.69.160', found: '81.2.69.160' },
      { text: 'ip=8.8.8.8', found: '8.8.8.8' },
      { text: '2001:4860:4860::8888', found: '2001:4860:4860::8888' },
      { text: '192.168.1.10', found: '192.168.1.10', severity: 'info', minScore: 0.2 },
      { text: 'fe80::1ff:fe23:4567:890a', found: 'fe80::1ff:fe23:4567:890a', severity: 'info', minScore: 0.2 },
    ],
    negatives: [
      { text: 'version 10.2.3.4', why: 'version word' },
      { text: 'v1.2.3.4', why: 'v prefix' },
      { text: '1.2.3.4', why: 'single-digit quad without context' },
      { text: '1.2.3.4.5', why: 'five parts' },
      { text: '256.1.1.1', why: 'octet out of range' },
      { text: '255.255.255.0', why: 'netmask' },
      { text: '0.0.0.0', why: 'unspecified' },
      { text: 'std::vector and dead::beef', why: 'C++ scope, two groups' },
      { text: '12:30:45', why: 'time' },
      { text: '10.2.3.4-beta', why: 'version suffix' },
    ],
  },
  'pii.mac-address': {
    positives: [
      { text: 'wlan0 ether 00:1A:2B:3C:4D:5E', found: '00:1A:2B:3C:4D:5E', minScore: 0.85 },
      { text: 'a4-5e-60-c2-1b-9f', found: 'a4-5e-60-c2-1b-9f' },
      { text: '0017.fa03.2b4c', found: '0017.fa03.2b4c' },
    ],
    negatives: [
      { text: '00:00:00:00:00:00', why: 'all zero' },
      { text: 'ff:ff:ff:ff:ff:ff', why: 'broadcast' },
      { text: '01:00:5e:00:00:fb', why: 'multicast' },
      { text: '00:1A-2B:3C:4D:5E', why: 'mixed separators' },
      { text: '1234.5678.9012', why: 'dotted digits without a hex letter (version, product number)' },
      { text: '00:1A:2B:3C:4D:5E:6F', why: 'seven groups' },
    ],
  },
  'pii.crypto-wallet': {
    positives: [
      {
        text: 'send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
        found: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
        minScore: 0.8,
      },
      { text: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', found: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', severity: 'low' },
      { text: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', found: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
      {
        text: 'taproot bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
        found: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      },
      { text: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', found: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
      { text: `wallet: ${ethLower}`, found: ethLower },
      { text: eip55Encode(ethLower), found: eip55Encode(ethLower) },
    ],
    negatives: [
      { text: '1BoatSLRHtKNngkdXEeobR76b53LETtpyU', why: 'Base58Check fails' },
      { text: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', why: 'bech32 checksum fails' },
      { text: 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5xw7kv8f3t4', why: 'bech32 mixed case' },
      { text: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', why: 'EIP-55 checksum fails' },
      { text: ethLower, why: 'lower-case hex without context (could be a hash)' },
      { text: 'commit 0xda39a3ee5e6b4b0d3255bfef95601890afd80709', why: 'sha1 with 0x, no context' },
      { text: '0x0000000000000000000000000000000000000000', why: 'zero address' },
    ],
  },
  'pii.date-of-birth': {
    positives: [
      { text: '1985-03-12', column: 'dob', found: '1985-03-12', minScore: 0.8 },
      { text: '12/03/1985', column: 'dateOfBirth', found: '12/03/1985' },
      { text: 'She was born 12 March 1985 in Leeds', found: '12 March 1985' },
      { text: 'Birthday: March 12, 1985', found: 'March 12, 1985' },
      { text: '1985-03-12T00:00:00Z', column: 'birth_date', found: '1985-03-12' },
      { text: 'DOB 03.12.85', found: '03.12.85' },
    ],
    negatives: [
      { text: '1985-03-12', column: 'created_at', why: 'no birth context' },
      { text: 'stubborn bug since 1985-03-12', why: '"born" inside "stubborn"' },
      { text: 'adobe release 1985-03-12', why: '"dob" inside "adobe"' },
      { text: '1985-02-30', column: 'dob', why: 'not a calendar date' },
      { text: '2999-01-01', column: 'dob', why: 'future' },
      { text: '1.2.3', column: 'dob', why: 'version' },
    ],
  },
  'pii.person-name': {
    positives: [
      { text: 'Maria Garcia', column: 'customer_name', found: 'Maria Garcia', minScore: 0.8 },
      { text: "O'Brien, Siobhan", column: 'full_name', found: "O'Brien, Siobhan" },
      { text: 'Tendai Moyo', column: 'name', found: 'Tendai Moyo' },
      { text: 'The patient Mr. Alan Turing was seen', found: 'Alan Turing' },
      { text: 'Hi, my name is Zoltan Kovacs and I need help', found: 'Zoltan Kovacs' },
      { text: 'I met Sarah Connor at the airport', found: 'Sarah Connor' },
    ],
    negatives: [
      { text: 'Wireless Mouse', column: 'product_name', why: 'product name column' },
      { text: 'resnet50_v2.onnx', column: 'file_name', why: 'file name column' },
      { text: 'Order 12345 shipped', column: 'name', why: 'digits in value' },
      { text: 'The Model Card Toolkit Release', why: 'capitalised words, no given name' },
      { text: 'We visited Jordan River and Victoria Station', why: 'given name + place word' },
      { text: 'the quick brown fox', why: 'lower case prose' },
    ],
  },
  'pii.street-address': {
    positives: [
      {
        text: 'She lives at 221B Baker Street, London NW1 6XE.',
        found: '221B Baker Street, London NW1 6XE',
        minScore: 0.9,
      },
      {
        text: 'Ship to 1600 Pennsylvania Ave NW, Washington, DC 20500',
        found: '1600 Pennsylvania Ave NW, Washington, DC 20500',
      },
      { text: 'Musterstraße 12a', found: 'Musterstraße 12a' },
      { text: 'chez 12 rue de la Paix', found: '12 rue de la Paix' },
      { text: 'PO Box 4410', found: 'PO Box 4410' },
      { text: 'Flat 3, 14 Kensal Rise', column: 'address_line1', found: 'Flat 3, 14 Kensal Rise' },
    ],
    negatives: [
      { text: '3 Way Handshake', why: 'no street name before the suffix' },
      { text: 'jane@acme.io', column: 'email_address', why: 'email address column' },
      { text: '10.0.0.1', column: 'ip_address', why: 'ip address column' },
      { text: 'Step 2 Main loop', why: 'no suffix' },
      { text: 'Spring 2024 release', why: 'German suffix must not match "ring"' },
    ],
  },
};

describe('every PII detector', () => {
  it('has a table entry', () => {
    expect(Object.keys(cases).sort()).toEqual(piiDetectors.map((d) => d.id).sort());
  });

  for (const detector of piiDetectors) {
    const table = cases[detector.id]!;
    describe(detector.id, () => {
      it('has metadata', () => {
        expect(detector.kind).toBe('pii');
        expect(detector.id).toMatch(/^pii\.[a-z0-9-]+$/);
        expect(detector.description.length).toBeGreaterThan(40);
        expect(detector.remediation.length).toBeGreaterThan(20);
      });
      it.each(table.positives)('finds $found in $text', ({ text, column, found, severity, minScore }) => {
        const matches = run(detector, text, column);
        const hit = matches.find((m) => text.slice(m.start, m.end) === found);
        expect(hit, JSON.stringify(matches)).toBeDefined();
        expect(hit!.score).toBeGreaterThanOrEqual(minScore ?? 0.5);
        if (severity) expect(hit!.severity).toBe(severity);
        else expect(hit!.severity ?? detector.severity).toBe(detector.severity);
        expect(hit!.reason).toBeTruthy();
      });
      it.each(table.negatives)('ignores $text ($why)', ({ text, column }) => {
        expect(run(detector, text, column)).toEqual([]);
      });
    });
  }
});

/** Hard negatives that no PII detector may report above the default threshold (0.5). */
const HARD_NEGATIVES = [
  '550e8400-e29b-41d4-a716-446655440000',
  '{"id":"f47ac10b-58cc-4372-a567-0e02b2c3d479"}',
  'd41d8cd98f00b204e9800998ecf8427e',
  'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '0xda39a3ee5e6b4b0d3255bfef95601890afd80709',
  'v1.2.3.4',
  '1.2.3.4',
  'version 10.2.3.4',
  'node-v20.20.2-linux-x64',
  'torch==2.1.0+cu121',
  '4111111111111112',
  '1234567812345678',
  '4539 1488 0343 6468',
  'ORD-2024-000123',
  'order #10045678',
  'INV-20240115-0042',
  '2024-01-15T10:30:00Z',
  '2024-01-15 10:30:00.123456',
  '15/01/2024',
  '1700000000',
  '1700000000123',
  '20240115103000',
  'dGhpcyBpcyBhIHRlc3Qgc3RyaW5nIGZvciBiYXNlNjQgZW5jb2Rpbmc=',
  'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVm',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
  '3.14159265358979',
  '-122.41941550',
  '0.000123456789',
  '1234567.89',
  '$1,234,567.89',
  '1.234.567,89 €',
  '51.5074, -0.1278',
  'SKU-12345-XL',
  'PRD-000123',
  'B07XJ8C8F5',
  'AB123456C',
  'ISBN 978-3-16-148410-0',
  'a1b2c3d',
  'resnet50_v2_epoch_0042.ckpt',
  'accuracy 0.9321 loss 0.1873 lr 3e-4',
];

describe('hard negatives', () => {
  it.each(HARD_NEGATIVES)('%s survives every detector', (text) => {
    for (const detector of piiDetectors) {
      const strong = run(detector, text).filter((m) => m.score >= 0.5);
      expect(strong, `${detector.id}: ${JSON.stringify(strong)}`).toEqual([]);
    }
  });

  it('hard negatives survive in a generic column too', () => {
    for (const text of HARD_NEGATIVES) {
      for (const detector of piiDetectors) {
        const strong = run(detector, text, 'value').filter((m) => m.score >= 0.5);
        expect(strong, `${detector.id} on ${text}`).toEqual([]);
      }
    }
  });
});

describe('context words are whole words', () => {
  it('"ssn" in the column name counts, "classnames" does not', () => {
    const ssn = byId('pii.us-ssn');
    expect(run(ssn, '536221234', 'customer_ssn')).toHaveLength(1);
    expect(run(ssn, '536221234', 'classnames')).toEqual([]);
  });

  it('camelCase column names are split', () => {
    expect(run(byId('pii.date-of-birth'), '1985-03-12', 'patientDateOfBirth')).toHaveLength(1);
    expect(run(byId('pii.credit-card'), '4539148803436467', 'cardNumber')[0]!.score).toBeGreaterThan(0.7);
  });

  it('private addresses stay below the default threshold even in an ip column', () => {
    const [match] = run(byId('pii.ip-address'), '10.1.2.3', 'client_ip');
    expect(match?.severity).toBe('info');
    expect(match!.score).toBeLessThan(0.5);
  });

  it('JSON paths count as columns', () => {
    expect(run(byId('pii.phone-number'), '(213) 373-4253', 'user.contact.phone')).toHaveLength(1);
  });
});
