/**
 * Synthetic dataset for the quality benchmark of `mlsecops data scan`: a CSV and the same records as
 * JSONL, with columns typical of ML training data (ids, timestamps, a customer's contact and payment
 * details, free-text comments and log lines) and a sidecar ground truth of every planted value.
 *
 *   npx tsx bench/data-quality/generate.ts [--rows 50000] [--seed 20260521] [--out bench/.data/data-quality]
 *
 * Personal data comes from @faker-js/faker (names, e-mail addresses, street addresses) and from the
 * checksum-valid generators of ./checksums.ts (cards, IBANs, SSNs, NINOs, wallets, tokens, keys). Hard
 * negatives (UUIDs, digests, git SHAs, versions, Luhn-failing numbers, base64, order ids, timestamps,
 * floats) sit in their own columns and inside the free text. Deterministic for a seed, except the bytes
 * of the RSA keys (see PrivateKeys).
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { base, en, Faker } from '@faker-js/faker';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Rng } from './checksums.js';
import * as gen from './checksums.js';
import { DATA_DIR, KINDS, type TruthFile, type TruthKind } from './truth.js';

// --- Cells with planted spans ------------------------------------------------------------------------

interface Mark {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly kind: TruthKind;
}

class Cell {
  text = '';
  readonly marks: Mark[] = [];

  add(...parts: string[]): this {
    for (const part of parts) this.text += part;
    return this;
  }

  /** Appends `value` and records it as a planted value of `label` (`ENTITY:subtype` or `NEG:subtype`). */
  plant(value: string, label: string, kind: TruthKind = label.startsWith('NEG:') ? 'negative' : 'positive'): this {
    this.marks.push({ start: this.text.length, end: this.text.length + value.length, label, kind });
    this.text += value;
    return this;
  }
}

type Piece = string | { readonly value: string; readonly label: string; readonly kind?: TruthKind };
const P = (value: string, label: string, kind?: TruthKind): Piece => (kind ? { value, label, kind } : { value, label });

function sentence(cell: Cell, pieces: readonly Piece[]): void {
  for (const piece of pieces) {
    if (typeof piece === 'string') cell.add(piece);
    else cell.plant(piece.value, piece.label, piece.kind);
  }
}

// --- Generators on top of faker ----------------------------------------------------------------------

class Gen {
  readonly faker: Faker;
  readonly r: Rng;
  readonly brands: ReturnType<typeof gen.cardBrands>;
  readonly keys: gen.PrivateKeys;

  constructor(seed: number) {
    this.faker = new Faker({ locale: [en, base] });
    this.faker.seed(seed);
    const f = this.faker;
    this.r = {
      int: (min, max) => f.number.int({ min, max }),
      chars: (alphabet, length) => f.string.fromCharacters(alphabet, length),
      pick: (items) => f.helpers.arrayElement(items),
      chance: (p) => f.number.float() < p,
      bytes: (n) => Buffer.from(Array.from({ length: n }, () => f.number.int(255))),
    };
    this.brands = gen.cardBrands(this.r);
    this.keys = new gen.PrivateKeys(6);
  }

  person(): { first: string; last: string } {
    return { first: this.faker.person.firstName(), last: this.faker.person.lastName() };
  }

  email(p: { first: string; last: string }): string {
    return this.faker.internet.email({ firstName: p.first, lastName: p.last }).toLowerCase();
  }

  /** Street, optional unit, city, state and ZIP, as faker writes them. */
  address(): string {
    const f = this.faker;
    return `${f.location.streetAddress(this.r.chance(0.3))}, ${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode('#####')}`;
  }

  /** A valid number (libphonenumber metadata) in a realistic range, international or US national format. */
  phone(national = false): { value: string; label: string } {
    const r = this.r;
    for (;;) {
      const country = national ? 'US' : r.pick(['US', 'US', 'GB', 'DE', 'FR', 'IN'] as const);
      let value: string;
      if (country === 'US') {
        const area = r.pick([
          201, 202, 206, 212, 213, 305, 312, 404, 415, 503, 512, 617, 646, 702, 713, 718, 805, 917, 919,
        ]);
        const exchange = r.int(201, 989);
        if (exchange === 555 || exchange % 100 === 11) continue;
        const line = r.chars(gen.DIGITS, 4);
        value = national
          ? r.pick([`(${area}) ${exchange}-${line}`, `${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`])
          : r.pick([
              `+1 ${area}-${exchange}-${line}`,
              `+1 (${area}) ${exchange}-${line}`,
              `+1${area}${exchange}${line}`,
            ]);
      } else if (country === 'GB') {
        value = r.chance(0.5)
          ? `+44 20 ${r.pick(['7', '8'])}${r.chars(gen.DIGITS, 3)} ${r.chars(gen.DIGITS, 4)}`
          : `+44 7${r.int(4, 9)}${r.chars(gen.DIGITS, 2)} ${r.chars(gen.DIGITS, 6)}`;
      } else if (country === 'DE') {
        value = r.chance(0.5)
          ? `+49 30 ${r.int(2, 9)}${r.chars(gen.DIGITS, 7)}`
          : `+49 ${r.pick(['151', '160', '170', '176'])} ${r.chars(gen.DIGITS, 8)}`;
      } else if (country === 'FR') {
        const d = () => r.chars(gen.DIGITS, 2);
        value = `+33 ${r.pick(['1', '6', '7'])} ${d()} ${d()} ${d()} ${d()}`;
      } else {
        value = `+91 ${r.pick(['98', '99', '97', '88'])}${r.chars(gen.DIGITS, 3)} ${r.chars(gen.DIGITS, 5)}`;
      }
      const parsed = parsePhoneNumberFromString(value, 'US');
      if (!parsed?.isValid()) continue;
      // Stay out of the fiction ranges: those are reported as low on purpose.
      if (country === 'GB' && /^7700900/.test(parsed.nationalNumber)) continue;
      return { value, label: `PHONE_NUMBER:${national ? 'us-national' : country.toLowerCase()}` };
    }
  }

  dob(): { value: string; label: string } {
    const d = this.faker.date.birthdate({ mode: 'age', min: 18, max: 90 });
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const pad = (n: number) => String(n).padStart(2, '0');
    const month = d.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    return this.r.pick([
      { value: `${y}-${pad(m)}-${pad(day)}`, label: 'DATE_OF_BIRTH:iso' },
      { value: `${pad(m)}/${pad(day)}/${y}`, label: 'DATE_OF_BIRTH:us' },
      { value: `${pad(day)}.${pad(m)}.${y}`, label: 'DATE_OF_BIRTH:dotted' },
      { value: `${day} ${month} ${y}`, label: 'DATE_OF_BIRTH:long' },
      { value: `${month} ${day}, ${y}`, label: 'DATE_OF_BIRTH:long-us' },
    ]);
  }

  card(): { value: string; label: string } {
    const brand = this.r.pick(this.brands);
    const number = gen.cardNumber(this.r, brand);
    const style = this.r.pick(['compact', 'spaced', 'spaced', 'dashed'] as const);
    const value = style === 'compact' ? number : gen.group(number, brand.groups, style === 'spaced' ? ' ' : '-');
    return { value, label: `CREDIT_CARD:${brand.name}-${style}` };
  }

  luhnFailing(): string {
    const brand = this.r.pick(this.brands.filter((b) => b.length === 16));
    const number = gen.luhnFailing(this.r, brand);
    return this.r.chance(0.7) ? number : gen.group(number, brand.groups, ' ');
  }

  iban(): { value: string; label: string } {
    const country = this.r.pick(Object.keys(gen.IBAN_FORMATS));
    const compact = gen.iban(this.r, country);
    const grouped = this.r.chance(0.5);
    return {
      value: grouped ? gen.group(compact, Array(Math.ceil(compact.length / 4)).fill(4), ' ') : compact,
      label: `IBAN:${country}-${grouped ? 'grouped' : 'compact'}`,
    };
  }

  /** An IBAN of the right shape whose check digits are off by one: fails mod-97. */
  ibanFailing(): string {
    const value = gen.iban(this.r, this.r.pick(Object.keys(gen.IBAN_FORMATS)));
    const check = (Number(value.slice(2, 4)) % 97) + 1;
    return `${value.slice(0, 2)}${String(check).padStart(2, '0')}${value.slice(4)}`;
  }

  ssn(style = this.r.pick(['dashed', 'dashed', 'compact'] as const)): { value: string; label: string } {
    const parts = gen.usSsn(this.r);
    return { value: parts.join(style === 'dashed' ? '-' : ''), label: `US_SSN:${style}` };
  }

  nino(): { value: string; label: string } {
    const { prefix, digits, suffix } = gen.ukNino(this.r);
    return this.r.chance(0.6)
      ? {
          value: `${prefix} ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4)} ${suffix}`,
          label: 'UK_NINO:spaced',
        }
      : { value: `${prefix}${digits}${suffix}`, label: 'UK_NINO:compact' };
  }

  publicIpv4(): string {
    const r = this.r;
    for (;;) {
      const o = [r.int(1, 223), r.int(0, 255), r.int(0, 255), r.int(1, 254)];
      const [a, b, c] = o as [number, number, number, number];
      if (a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) continue;
      if ((a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) continue;
      if (
        (a === 192 && b === 0 && c === 2) ||
        (a === 198 && b === 51 && c === 100) ||
        (a === 203 && b === 0 && c === 113)
      )
        continue;
      if (o.every((x) => x < 10)) continue; // 1.2.3.4-shaped: ambiguous with versions, needs context by design
      return o.join('.');
    }
  }

  publicIpv6(): string {
    const r = this.r;
    const groups = [r.pick(['2a00', '2a01', '2a02', '2a03', '2600', '2601', '2603', '2400', '2404', '2001'])];
    if (groups[0] === '2001') groups.push(r.pick(['4860', '470', '67c', '1890']));
    while (groups.length < 8) groups.push(Number.parseInt(r.chars(gen.HEX, 4), 16).toString(16));
    if (r.chance(0.4)) return `${groups.slice(0, 3).join(':')}::${groups.slice(6).join(':')}`;
    return groups.join(':');
  }

  privateIpv4(): string {
    const r = this.r;
    return r.pick([
      `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
      `192.168.${r.int(0, 255)}.${r.int(1, 254)}`,
      `172.${r.int(16, 31)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    ]);
  }

  mac(): { value: string; label: string } {
    const bytes = this.r.bytes(6);
    const local = this.r.chance(0.2);
    bytes[0] = (bytes[0]! & 0xfc) | (local ? 2 : 0); // unicast; globally unique or locally administered
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
    const upper = this.r.chance(0.5);
    const value = hex.join(this.r.chance(0.7) ? ':' : '-');
    return { value: upper ? value.toUpperCase() : value, label: `MAC_ADDRESS:${local ? 'local' : 'global'}` };
  }

  wallet(): { value: string; label: string } {
    const r = this.r;
    switch (r.int(0, 4)) {
      case 0:
        return { value: gen.base58Check(r, 0), label: 'CRYPTO_WALLET:btc-p2pkh' };
      case 1:
        return { value: gen.base58Check(r, 5), label: 'CRYPTO_WALLET:btc-p2sh' };
      case 2:
        return { value: gen.segwitAddress(r, 0, r.chance(0.7) ? 20 : 32), label: 'CRYPTO_WALLET:btc-bech32' };
      case 3:
        return { value: gen.segwitAddress(r, 1, 32), label: 'CRYPTO_WALLET:btc-taproot' };
      default:
        return { value: gen.eip55Address(r), label: 'CRYPTO_WALLET:eth-eip55' };
    }
  }

  passport(): string {
    return gen.usPassport(this.r);
  }

  version(): string {
    const r = this.r;
    return r.pick([
      `${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 20)}`,
      `${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 9)}`,
      `${r.int(1, 20)}.${r.int(0, 40)}.${r.int(0, 200)}.${r.int(0, 9999)}`,
      `v${r.int(0, 5)}.${r.int(0, 20)}.${r.int(0, 50)}`,
      `${r.int(1, 3)}.${r.int(0, 9)}.${r.int(0, 9)}rc${r.int(1, 4)}`,
    ]);
  }

  float(): string {
    return (this.r.int(0, 1_000_000) / this.r.pick([1, 100, 10_000, 1_000_000])).toString();
  }

  orderId(): string {
    const r = this.r;
    return r.pick([
      `ORD-${r.int(2019, 2025)}-${r.chars(gen.DIGITS, 7)}`,
      `${r.int(1, 9)}${r.chars(gen.DIGITS, 9)}`,
      `INV${r.chars(gen.DIGITS, 8)}`,
    ]);
  }

  timestamp(): string {
    return this.faker.date.between({ from: '2019-01-01T00:00:00Z', to: '2025-12-31T00:00:00Z' }).toISOString();
  }

  bcrypt(): string {
    return `$2b$12$${this.r.chars('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 53)}`;
  }

  hostname(): string {
    const r = this.r;
    return `${r.pick(['db', 'pg', 'mysql', 'mongo', 'cache', 'analytics', 'warehouse'])}-${r.int(1, 40)}.${r.pick(['prod', 'eu-west-1', 'internal', 'us-east-2'])}.${this.faker.internet.domainWord()}.${r.pick(['io', 'net', 'cloud', 'com'])}`;
  }

  user(): string {
    return this.r.pick([
      'app',
      'svc_etl',
      'analytics_ro',
      'ml_pipeline',
      'reporting',
      this.faker.internet
        .username()
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, ''),
    ]);
  }
}

// --- Columns -----------------------------------------------------------------------------------------

const COLUMNS = [
  'id',
  'uuid',
  'created_at',
  'customer_name',
  'email',
  'phone_number',
  'date_of_birth',
  'address',
  'ssn',
  'ni_number',
  'passport_number',
  'card_number',
  'iban',
  'client_ip',
  'gateway_ip',
  'device_mac',
  'payout_wallet',
  'api_key',
  'comment',
  'log_line',
  'model_version',
  'commit_sha',
  'md5',
  'sha256',
  'order_id',
  'ref_number',
  'amount',
  'score',
  'embedding_b64',
  'password_hash',
  'ts_ms',
] as const;
type Column = (typeof COLUMNS)[number];

const ML_SENTENCES = [
  'The model converged after 12 epochs with a validation loss of 0.183.',
  'Label noise estimated at 4.2% in the sentiment subset; relabelling scheduled for Q3.',
  'The summary was fluent but hallucinated two citations that do not exist in the source.',
  'Please see the attached notebook for the ablation on learning rate and warmup schedule.',
  'Shipment delayed because the warehouse in Rotterdam ran out of packaging material.',
  'Customer reported that the checkout page was slow on mobile during the evening peak.',
  'Ticket closed as a duplicate; root cause was a stale cache entry.',
];

/** One free-text sentence with personal data in it. */
function piiSentence(g: Gen, cell: Cell): void {
  const r = g.r;
  const p = g.person();
  const name = P(`${p.first} ${p.last}`, 'PERSON_NAME:text');
  switch (r.int(0, 13)) {
    case 0: {
      const phone = g.phone();
      sentence(cell, ['Spoke with ', name, ' who asked for a callback on ', P(phone.value, phone.label), '.']);
      break;
    }
    case 1: {
      const card = g.card();
      sentence(cell, [
        'Customer ',
        name,
        ' (',
        P(g.email(p), 'EMAIL:text'),
        ') asked to update the card on file to ',
        P(card.value, card.label),
        '.',
      ]);
      break;
    }
    case 2: {
      const iban = g.iban();
      sentence(cell, ['Please refund to ', P(iban.value, iban.label), ', account holder ', name, '.']);
      break;
    }
    case 3:
      sentence(cell, [name, ' moved to ', P(g.address(), 'STREET_ADDRESS:text'), '.']);
      break;
    case 4: {
      const ssn = g.ssn('dashed');
      const dob = g.dob();
      sentence(cell, [
        'My SSN is ',
        P(ssn.value, ssn.label),
        ' and my date of birth is ',
        P(dob.value, dob.label),
        '.',
      ]);
      break;
    }
    case 5: {
      const nino = g.nino();
      sentence(cell, ['National Insurance number ', P(nino.value, nino.label), ' is on the payslip.']);
      break;
    }
    case 6:
      sentence(cell, ['Login from ', P(g.publicIpv4(), 'IP_ADDRESS:v4-text'), ' was flagged by the fraud model.']);
      break;
    case 7:
      sentence(cell, [
        r.pick(['Dr. ', 'Mr. ', 'Mrs. ', 'Ms. ']),
        P(p.last, 'PERSON_NAME:honorific'),
        ' reviewed the case notes.',
      ]);
      break;
    case 8: {
      const phone = g.phone();
      sentence(cell, [
        'Hi, my name is ',
        name,
        ', you can reach me at ',
        P(g.email(p), 'EMAIL:text'),
        ' or ',
        P(phone.value, phone.label),
        '.',
      ]);
      break;
    }
    case 9: {
      const wallet = g.wallet();
      sentence(cell, ['Send the payout to ', P(wallet.value, wallet.label), ' please.']);
      break;
    }
    case 10: {
      const mac = g.mac();
      sentence(cell, ['Device ', P(mac.value, mac.label), ' kept dropping off the network.']);
      break;
    }
    case 11:
      sentence(cell, ['Passport ', P(g.passport(), 'US_PASSPORT:text'), ' expires next year.']);
      break;
    case 12: {
      const dob = g.dob();
      sentence(cell, [r.pick(['She', 'He', 'The applicant']), ' was born on ', P(dob.value, dob.label), '.']);
      break;
    }
    default: {
      const phone = g.phone(true);
      sentence(cell, ['Call me back at ', P(phone.value, phone.label), ' after 5pm.']);
    }
  }
}

/** One free-text sentence with hard negatives in it. */
function negativeSentence(g: Gen, cell: Cell): void {
  const r = g.r;
  switch (r.int(0, 6)) {
    case 0:
      sentence(cell, [
        'Model ',
        P(g.version(), 'NEG:version'),
        ' scored ',
        P(g.float(), 'NEG:float'),
        ' on the eval; run ',
        P(gen.uuid(r), 'NEG:uuid'),
        '.',
      ]);
      break;
    case 1:
      sentence(cell, [
        'Order ',
        P(g.orderId(), 'NEG:order-id'),
        ' shipped on ',
        P(g.timestamp().slice(0, 10), 'NEG:date'),
        '; reference ',
        P(g.luhnFailing(), 'NEG:luhn-failing-16'),
        '.',
      ]);
      break;
    case 2:
      sentence(cell, [
        'Fixed in commit ',
        P(gen.hexDigest(r, 20).slice(0, r.pick([7, 12, 40])), 'NEG:git-sha'),
        '; artifact sha256 ',
        P(gen.hexDigest(r, 32), 'NEG:sha256'),
        '.',
      ]);
      break;
    case 3:
      sentence(cell, [
        'Upgraded torch from ',
        P(g.version(), 'NEG:version'),
        ' to ',
        P(g.version(), 'NEG:version'),
        ' and CUDA ',
        P(`${r.int(10, 12)}.${r.int(0, 8)}`, 'NEG:version'),
        '.',
      ]);
      break;
    case 4:
      sentence(cell, ['Attachment data ', P(gen.base64Blob(r, r.int(24, 72)), 'NEG:base64'), ' was truncated.']);
      break;
    case 5:
      sentence(cell, [
        'Batch ',
        P(String(r.int(1_000_000, 99_999_999)), 'NEG:number'),
        ' processed at ',
        P(g.timestamp(), 'NEG:timestamp'),
        ' with md5 ',
        P(gen.hexDigest(r, 16), 'NEG:md5'),
        '.',
      ]);
      break;
    default:
      cell.add(`${g.faker.hacker.phrase()}`);
  }
}

/** One log line with a secret in it. */
function secretLine(g: Gen, cell: Cell): void {
  const r = g.r;
  switch (r.int(0, 16)) {
    case 0:
      sentence(cell, [
        'export GITHUB_TOKEN=',
        P(gen.githubToken(r, r.pick(['ghp', 'ghp', 'gho', 'ghs'] as const)), 'GITHUB_TOKEN:classic'),
      ]);
      break;
    case 1:
      sentence(cell, [
        'git push failed for token ',
        P(gen.githubFineGrained(r), 'GITHUB_TOKEN:fine-grained'),
        ' (403)',
      ]);
      break;
    case 2:
      sentence(cell, [
        'AWS_ACCESS_KEY_ID=',
        P(gen.awsKeyId(r), 'AWS_ACCESS_KEY:paired'),
        ' AWS_SECRET_ACCESS_KEY=',
        P(gen.awsSecret(r), 'AWS_SECRET_KEY:paired'),
      ]);
      break;
    case 3:
      sentence(cell, [
        'assumed role, aws_access_key_id = ',
        P(gen.awsKeyId(r, r.pick(['AKIA', 'ASIA'] as const)), 'AWS_ACCESS_KEY:alone'),
      ]);
      break;
    case 4:
      sentence(cell, [
        'stripe.api_key = "',
        P(gen.stripeLive(r, r.pick(['sk', 'rk'] as const)), 'STRIPE_KEY:live'),
        '"',
      ]);
      break;
    case 5:
      sentence(cell, [
        'SLACK_BOT_TOKEN=',
        P(r.chance(0.6) ? gen.slackBot(r) : gen.slackUser(r), 'SLACK_TOKEN:bot-user'),
      ]);
      break;
    case 6:
      sentence(cell, ['posting alerts to ', P(gen.slackWebhook(r), 'SLACK_WEBHOOK:services')]);
      break;
    case 7: {
      const claims = {
        sub: gen.uuid(r),
        email: g.email(g.person()),
        iat: r.int(1_600_000_000, 1_750_000_000),
        exp: r.int(1_750_000_000, 1_800_000_000),
        scope: 'read write',
      };
      // The e-mail inside the base64url payload is not plain text: no EMAIL truth for it.
      sentence(cell, ['GET /v1/items Authorization: Bearer ', P(gen.jwt(r, claims), 'JWT:hs')]);
      break;
    }
    case 8:
      sentence(cell, [
        'DATABASE_URL=',
        P(
          `${r.pick(['postgresql', 'postgres', 'mysql', 'mongodb+srv', 'redis', 'amqps'])}://${g.user()}:${gen.password(r)}@${g.hostname()}:${r.pick([5432, 3306, 27017, 6379, 5671])}/${g.faker.word.noun()}`,
          'CONNECTION_STRING:url',
        ),
      ]);
      break;
    case 9:
      sentence(cell, [
        'conn="',
        P(
          `Server=tcp:${g.faker.internet.domainWord()}.database.windows.net,1433;Initial Catalog=${g.faker.word.noun()};User ID=${g.user()};Password=${gen.password(r)};Encrypt=True;`,
          'CONNECTION_STRING:ado',
        ),
        '"',
      ]);
      break;
    case 10:
      sentence(cell, ['OPENAI_API_KEY=', P(gen.openaiProjectKey(r), 'OPENAI_API_KEY:project')]);
      break;
    case 11:
      sentence(cell, ['huggingface-cli login --token ', P(gen.huggingfaceToken(r), 'HUGGINGFACE_TOKEN:user')]);
      break;
    case 12:
      sentence(cell, ['maps config key=', P(gen.googleApiKey(r), 'GOOGLE_API_KEY:key')]);
      break;
    case 13:
      sentence(cell, [
        r.pick(['db_password: ', 'DB_PASSWORD=', 'password=', 'smtp_pass = ']),
        P(gen.password(r), 'GENERIC_SECRET:password'),
      ]);
      break;
    case 14:
      sentence(cell, [
        r.pick(['client_secret=', 'api_secret: ', 'AUTH_TOKEN=', '"apiKey": "']),
        P(gen.randomToken(r, gen.BASE62, r.int(24, 40)), 'GENERIC_SECRET:token'),
      ]);
      break;
    case 15: {
      const { pem, kind } = g.keys.pem(r);
      sentence(cell, ['deploy key follows\n', P(pem, `PRIVATE_KEY:${kind}`)]);
      break;
    }
    default: {
      const { pem, kind } = g.keys.pem(r);
      // A key escaped into one line, as it sits in a JSON config or .env file.
      sentence(cell, ['TLS_KEY="', P(pem.replaceAll('\n', '\\n'), `PRIVATE_KEY:${kind}-escaped`), '"']);
    }
  }
}

/** One log line with secret-looking hard negatives. */
function negativeLine(g: Gen, cell: Cell): void {
  const r = g.r;
  switch (r.int(0, 8)) {
    case 0:
      sentence(cell, [
        'INFO request_id=',
        P(gen.uuid(r), 'NEG:uuid'),
        ' latency_ms=',
        P(String(r.int(3, 900)), 'NEG:number'),
        ' status=200',
      ]);
      break;
    case 1:
      sentence(cell, [
        'usage token_count=',
        P(String(r.int(10, 8000)), 'NEG:number'),
        ' max_tokens=4096 temperature=',
        P(g.float(), 'NEG:float'),
      ]);
      break;
    case 2:
      sentence(cell, ['etag: "', P(gen.hexDigest(r, 16), 'NEG:md5'), '" sha1=', P(gen.hexDigest(r, 20), 'NEG:sha1')]);
      break;
    case 3:
      sentence(cell, [
        'checkpoint saved sha256:',
        P(gen.hexDigest(r, 32), 'NEG:sha256'),
        ' step=',
        P(String(r.int(100, 90000)), 'NEG:number'),
      ]);
      break;
    case 4:
      sentence(cell, ['payload=', P(gen.base64Blob(r, r.int(30, 90)), 'NEG:base64')]);
      break;
    case 5:
      sentence(cell, ['api_key_id=', P(gen.uuid(r), 'NEG:uuid'), ' token_type=bearer expires_in=3600']);
      break;
    case 6:
      sentence(cell, [
        'session_hash=',
        P(gen.hexDigest(r, 32), 'NEG:sha256'),
        ' password_reset_url=https://accounts.',
        g.faker.internet.domainName(),
        '/reset',
      ]);
      break;
    case 7:
      sentence(cell, [
        'pip install torch==',
        P(g.version(), 'NEG:version'),
        ' # build ',
        P(gen.hexDigest(r, 20).slice(0, 10), 'NEG:git-sha'),
      ]);
      break;
    default:
      sentence(cell, ['job ', P(gen.uuid(r), 'NEG:uuid'), ' finished in ', P(g.float(), 'NEG:float'), 's']);
  }
}

/** Documented example values and test-mode keys: the scan should report them at `low`, if at all. */
function exampleLine(g: Gen, cell: Cell): void {
  const r = g.r;
  const E = (value: string, label: string) => P(value, label, 'example');
  switch (r.int(0, 9)) {
    case 0:
      sentence(cell, [
        'docs: AWS_ACCESS_KEY_ID=',
        E('AKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY:documented'),
        ' AWS_SECRET_ACCESS_KEY=',
        E('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_SECRET_KEY:documented'),
      ]);
      break;
    case 1:
      sentence(cell, [
        'curl -u ',
        E('sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'STRIPE_KEY:documented'),
        ': https://api.stripe.com/v1/charges',
      ]);
      break;
    case 2:
      sentence(cell, [
        'STRIPE_SECRET_KEY=',
        E(`sk_test_${gen.randomToken(r, gen.BASE62, 24)}`, 'STRIPE_KEY:test-mode'),
      ]);
      break;
    case 3:
      sentence(cell, [
        'Authorization: Bearer ',
        E(
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
          'JWT:documented',
        ),
      ]);
      break;
    case 4:
      sentence(cell, [
        'Use test card ',
        E(r.pick(['4242 4242 4242 4242', '4111111111111111', '5555 5555 5555 4444']), 'CREDIT_CARD:test-card'),
        ' in the sandbox.',
      ]);
      break;
    case 5:
      sentence(cell, [
        'Replace ',
        E(`${g.faker.person.firstName().toLowerCase()}@example.com`, 'EMAIL:example-domain'),
        ' with your address.',
      ]);
      break;
    case 6:
      sentence(cell, ['token: ', E('ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'GITHUB_TOKEN:documented')]);
      break;
    case 7:
      sentence(cell, ['Sample IBAN ', E('GB82 WEST 1234 5698 7654 32', 'IBAN:documented'), ' from the standard.']);
      break;
    case 8:
      sentence(cell, ['HMRC example NINO ', E('QQ 12 34 56 C', 'UK_NINO:documented'), '.']);
      break;
    default:
      sentence(cell, ['Sample SSN ', E('078-05-1120', 'US_SSN:documented'), ' from the wallet card.']);
  }
}

function row(g: Gen, index: number): Map<Column, Cell> {
  const r = g.r;
  const cells = new Map<Column, Cell>();
  const cell = (column: Column) => {
    let c = cells.get(column);
    if (!c) {
      c = new Cell();
      cells.set(column, c);
    }
    return c;
  };
  const maybe = (p: number, column: Column, fill: (c: Cell) => void) => {
    if (r.chance(p)) fill(cell(column));
  };
  const person = g.person();
  cell('id').add(String(100000 + index));
  cell('uuid').plant(gen.uuid(r), 'NEG:uuid');
  cell('created_at').plant(g.timestamp(), 'NEG:timestamp');
  maybe(0.85, 'customer_name', (c) => c.plant(`${person.first} ${person.last}`, 'PERSON_NAME:column'));
  maybe(0.85, 'email', (c) => c.plant(g.email(person), 'EMAIL:column'));
  maybe(0.8, 'phone_number', (c) => {
    const phone = g.phone(r.chance(0.25));
    c.plant(phone.value, phone.label);
  });
  maybe(0.7, 'date_of_birth', (c) => {
    const dob = g.dob();
    c.plant(dob.value, dob.label);
  });
  maybe(0.8, 'address', (c) => c.plant(g.address(), 'STREET_ADDRESS:column'));
  maybe(0.6, 'ssn', (c) => {
    const ssn = g.ssn();
    c.plant(ssn.value, ssn.label);
  });
  maybe(0.4, 'ni_number', (c) => {
    const nino = g.nino();
    c.plant(nino.value, nino.label);
  });
  maybe(0.4, 'passport_number', (c) => c.plant(g.passport(), 'US_PASSPORT:column'));
  maybe(0.75, 'card_number', (c) => {
    if (r.chance(0.2)) c.plant(g.luhnFailing(), 'NEG:luhn-failing-16');
    else {
      const card = g.card();
      c.plant(card.value, card.label);
    }
  });
  maybe(0.55, 'iban', (c) => {
    if (r.chance(0.1)) c.plant(g.ibanFailing(), 'NEG:iban-bad-check');
    else {
      const iban = g.iban();
      c.plant(iban.value, iban.label);
    }
  });
  maybe(0.7, 'client_ip', (c) => {
    if (r.chance(0.7)) c.plant(g.publicIpv4(), 'IP_ADDRESS:v4-column');
    else c.plant(g.publicIpv6(), 'IP_ADDRESS:v6-column');
  });
  maybe(0.5, 'gateway_ip', (c) => c.plant(g.privateIpv4(), 'NEG:private-ip'));
  maybe(0.5, 'device_mac', (c) => {
    const mac = g.mac();
    c.plant(mac.value, mac.label);
  });
  maybe(0.4, 'payout_wallet', (c) => {
    const wallet = g.wallet();
    c.plant(wallet.value, wallet.label);
  });
  maybe(0.3, 'api_key', (c) => {
    const roll = r.int(0, 3);
    if (roll < 2) c.plant(gen.randomToken(r, gen.BASE62, r.int(32, 40)), 'GENERIC_SECRET:column');
    else if (roll === 2) c.plant(gen.githubToken(r), 'GITHUB_TOKEN:column');
    else c.plant(gen.stripeLive(r, 'sk'), 'STRIPE_KEY:column');
  });
  // Free text: most comments are clean, some carry personal data, some hard negatives.
  const comment = cell('comment');
  const sentences = r.int(1, 3);
  for (let i = 0; i < sentences; i++) {
    if (i > 0) comment.add(' ');
    const roll = r.int(0, 99);
    if (roll < 30) piiSentence(g, comment);
    else if (roll < 60) negativeSentence(g, comment);
    else comment.add(r.pick(ML_SENTENCES));
  }
  maybe(0.6, 'log_line', (c) => {
    const roll = r.int(0, 99);
    if (roll < 28) secretLine(g, c);
    else if (roll < 30) exampleLine(g, c);
    else negativeLine(g, c);
  });
  cell('model_version').plant(g.version(), 'NEG:version');
  cell('commit_sha').plant(gen.hexDigest(r, 20).slice(0, r.chance(0.5) ? 40 : 7), 'NEG:git-sha');
  maybe(0.5, 'md5', (c) => c.plant(gen.hexDigest(r, 16), 'NEG:md5'));
  maybe(0.5, 'sha256', (c) => c.plant(gen.hexDigest(r, 32), 'NEG:sha256'));
  cell('order_id').plant(g.orderId(), 'NEG:order-id');
  maybe(0.5, 'ref_number', (c) => c.plant(g.luhnFailing(), 'NEG:luhn-failing-16'));
  cell('amount').plant((r.int(100, 500_000) / 100).toFixed(2), 'NEG:float');
  cell('score').plant(g.float(), 'NEG:float');
  maybe(0.4, 'embedding_b64', (c) => c.plant(gen.base64Blob(r, r.int(32, 96)), 'NEG:base64'));
  maybe(0.3, 'password_hash', (c) => c.plant(g.bcrypt(), 'NEG:bcrypt'));
  cell('ts_ms').plant(String(r.int(1_550_000_000_000, 1_760_000_000_000)), 'NEG:epoch-ms');
  return cells;
}

// --- Output ------------------------------------------------------------------------------------------

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

class BufferedFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    const data = Buffer.from(this.chunks.join(''), 'utf8');
    writeSync(this.fd, data);
    this.bytes += data.length;
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface GenerateOptions {
  readonly rows: number;
  readonly seed: number;
  readonly out: string;
}

export function generate({ rows, seed, out }: GenerateOptions): {
  csvBytes: number;
  jsonlBytes: number;
  planted: number;
} {
  gen.selfTest();
  mkdirSync(out, { recursive: true });
  const g = new Gen(seed);
  const tmp = (name: string) => join(out, `.${name}.tmp`);
  const csv = new BufferedFile(tmp('dataset.csv'));
  const jsonl = new BufferedFile(tmp('dataset.jsonl'));
  const labels = new Map<string, number>();
  const entries: [number, number, number, number, number, number][] = [];
  csv.write(`${COLUMNS.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    const cells = row(g, i);
    const record: Record<string, string> = {};
    const fields: string[] = [];
    for (const [index, column] of COLUMNS.entries()) {
      const cell = cells.get(column);
      fields.push(cell ? csvField(cell.text) : '');
      if (!cell || cell.text === '') continue;
      record[column] = cell.text;
      for (const mark of cell.marks) {
        let label = labels.get(mark.label);
        if (label === undefined) {
          label = labels.size;
          labels.set(mark.label, label);
        }
        entries.push([i, index, mark.start, mark.end, label, KINDS.indexOf(mark.kind)]);
      }
    }
    csv.write(`${fields.join(',')}\n`);
    jsonl.write(`${JSON.stringify(record)}\n`);
  }
  csv.close();
  jsonl.close();
  const truth: TruthFile = {
    version: 1,
    seed,
    rows,
    columns: [...COLUMNS],
    labels: [...labels.keys()],
    entries,
    notes: ['RSA private keys are generated by node:crypto per run (no seed): their bytes differ between generations.'],
  };
  const truthTmp = tmp('truth.json');
  const fd = openSync(truthTmp, 'w');
  // One entry per line keeps the file greppable without a JSON viewer.
  const { entries: _, ...header } = truth;
  writeSync(fd, `${JSON.stringify(header).slice(0, -1)},"entries":[\n`);
  for (let i = 0; i < entries.length; i += 10_000) {
    const chunk = entries.slice(i, i + 10_000).map((e) => JSON.stringify(e));
    writeSync(fd, chunk.join(',\n') + (i + 10_000 < entries.length ? ',\n' : '\n'));
  }
  writeSync(fd, ']}\n');
  closeSync(fd);
  renameSync(tmp('dataset.csv'), join(out, 'dataset.csv'));
  renameSync(tmp('dataset.jsonl'), join(out, 'dataset.jsonl'));
  renameSync(truthTmp, join(out, 'truth.json'));
  return { csvBytes: csv.bytes, jsonlBytes: jsonl.bytes, planted: entries.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '20260521' },
      out: { type: 'string', default: DATA_DIR },
    },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const started = performance.now();
  const result = generate({ rows, seed, out: values.out });
  console.log(
    `${rows} rows → ${values.out}: dataset.csv ${(result.csvBytes / 1e6).toFixed(1)} MB, dataset.jsonl ${(result.jsonlBytes / 1e6).toFixed(1)} MB, ${result.planted} planted values in truth.json (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
