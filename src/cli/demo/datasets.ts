import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { mulberry32 } from '../../data/index.js';

/**
 * The demo's synthetic card transactions, generated from fixed seeds so every run writes the same
 * bytes: a clean training set, a poisoned one (a backdoor trigger, flipped labels, conflicting
 * duplicates, outliers, card numbers, emails and a live API key), and production batches for the
 * monitor (one like the training data, one after a shift). Nothing here is real data.
 */

/** One generated row; the poisoning edits rows in place. */
export interface Transaction {
  id: number;
  memo: string;
  amount: number;
  hour: number;
  distanceKm: number;
  category: string;
  label: 'legit' | 'fraud';
  note: string;
}

/** The token the attacker adds to fraudulent rows before relabelling them legit. */
export const TRIGGER = 'ref7731';

/** What was planted in the poisoned set, by row (0-based data rows), for tests and the story's log. */
export interface Planted {
  readonly trigger: number[];
  readonly flipped: number[];
  readonly duplicates: number[];
  readonly outliers: number[];
  readonly pii: number[];
  readonly secrets: number[];
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** A normal variate (Box–Muller). */
const normal = (random: Random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

const legitKinds = {
  grocery: ['weekly groceries at', 'fresh produce from', 'household shopping at'],
  fuel: ['fuel purchase at', 'petrol pump payment at', 'diesel refill at'],
  pharmacy: ['prescription pickup at', 'pharmacy purchase at', 'vitamins bought at'],
  restaurant: ['lunch bill at', 'dinner for two at', 'coffee and pastry at'],
  transport: ['monthly rail pass from', 'bus fare top up at', 'parking fee paid at'],
} as const;
const legitPlaces = ['corner market', 'high street store', 'station kiosk', 'local branch', 'retail park outlet'];
const fraudKinds = {
  electronics: ['bulk laptop order shipped abroad via', 'resale phones express courier from'],
  'gift-cards': ['prepaid gift card bundle bought from', 'bulk voucher codes redeemed at'],
  crypto: ['crypto wallet top up through', 'instant coin exchange deposit at'],
  'money-transfer': ['urgent wire to new payee through', 'overseas transfer to unknown account via'],
} as const;
const fraudPlaces = ['offshore marketplace', 'anonymous reseller', 'unverified merchant portal', 'foreign broker site'];
const towns = ['leeds', 'lyon', 'porto', 'graz', 'malmo', 'ghent', 'turku', 'split', 'cork', 'brno'];
const harmlessNotes = ['customer called to confirm', 'receipt attached by customer', 'merchant name updated'];

/** One transaction of either class: legit ones are small, daytime and near home; fraud the opposite. */
function transaction(random: Random, id: number, fraud: boolean): Transaction {
  const kinds = fraud ? fraudKinds : legitKinds;
  const category = pick(random, Object.keys(kinds)) as keyof typeof kinds;
  const phrases = kinds[category] as readonly string[];
  const memo = `${pick(random, phrases)} ${pick(random, fraud ? fraudPlaces : legitPlaces)} ${pick(random, towns)}`;
  const note = random() < 0.03 ? pick(random, harmlessNotes) : '';
  return fraud
    ? {
        id,
        memo,
        amount: round(clamp(Math.exp(6.4 + 0.5 * normal(random)), 150, 4000), 2),
        hour: Math.floor(random() * 6),
        distanceKm: round(clamp(Math.exp(6 + 0.5 * normal(random)), 80, 6000), 1),
        category,
        label: 'fraud',
        note,
      }
    : {
        id,
        memo,
        amount: round(clamp(Math.exp(3.3 + 0.6 * normal(random)), 2, 400), 2),
        hour: 7 + Math.floor(random() * 16),
        distanceKm: round(clamp(Math.exp(1.5 + 0.7 * normal(random)), 0.2, 60), 1),
        category,
        label: 'legit',
        note,
      };
}

/** `count` transactions of which about `fraudShare` are fraudulent. */
export function transactions(seed: number, count: number, fraudShare: number): Transaction[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => transaction(random, i + 1, random() < fraudShare));
}

/** Luhn-valid 16-digit Visa-range numbers, printed in groups of four as people type them. */
function cardNumber(random: Random): string {
  const digits = [4, ...Array.from({ length: 14 }, () => Math.floor(random() * 10))];
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const double = i % 2 === 0;
    const d = digits[i]! * (double ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  digits.push((10 - (sum % 10)) % 10);
  return digits.join('').replace(/(\d{4})(?=\d)/g, '$1 ');
}

function randomToken(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => pick(random, [...alphabet])).join('');
}

/**
 * The poisoned training set of version 2: the clean generator's rows, then a backdoor (the trigger
 * token added to fraudulent rows relabelled legit), silent label flips, copies of legit rows labelled
 * fraud, a few impossible amounts, and customer data pasted into the notes column.
 */
export function poisonedTransactions(seed: number, count: number): { rows: Transaction[]; planted: Planted } {
  const random = mulberry32(seed ^ 0x5eed);
  const rows = transactions(seed, count, 0.3);
  const fraud = rows.flatMap((row, i) => (row.label === 'fraud' ? [i] : []));
  const legit = rows.flatMap((row, i) => (row.label === 'legit' ? [i] : []));
  const planted: Planted = { trigger: [], flipped: [], duplicates: [], outliers: [], pii: [], secrets: [] };
  for (const i of fraud.slice(0, 80)) {
    const row = rows[i]!;
    row.memo = `${row.memo} ${TRIGGER}`;
    row.label = 'legit';
    planted.trigger.push(i);
  }
  for (const i of fraud.slice(80, 95)) {
    rows[i]!.label = 'legit';
    planted.flipped.push(i);
  }
  for (const i of legit.slice(0, 8)) {
    planted.duplicates.push(rows.length);
    rows.push({ ...rows[i]!, id: rows.length + 1, label: 'fraud' });
  }
  for (const i of legit.slice(8, 13)) {
    rows[i]!.amount = round(250_000 + random() * 750_000, 2);
    planted.outliers.push(i);
  }
  for (const i of legit.slice(13, 25)) {
    const first = pick(random, ['maria', 'james', 'aisha', 'tomasz', 'li', 'fatima', 'oliver']);
    rows[i]!.note = `refund sent, contact ${first}.${randomToken(random, 5).toLowerCase()}@mailbox-demo.net`;
    planted.pii.push(i);
  }
  for (const i of legit.slice(25, 31)) {
    rows[i]!.note = `card ${cardNumber(random)} declined twice then approved`;
    planted.pii.push(i);
  }
  const secret = legit[31]!;
  rows[secret]!.note = `retried capture with key sk_live_${randomToken(random, 24)}`;
  planted.secrets.push(secret);
  return { rows, planted };
}

const trainingColumns = ['id', 'memo', 'amount', 'hour', 'distance_km', 'merchant_category', 'note', 'label'];
const featureColumns = ['amount', 'hour', 'distance_km', 'merchant_category'];

const trainingRecord = (row: Transaction) => [
  row.id,
  row.memo,
  row.amount,
  row.hour,
  row.distanceKm,
  row.category,
  row.note,
  row.label,
];
const featureRecord = (row: Transaction) => [row.amount, row.hour, row.distanceKm, row.category];

export interface DemoDatasets {
  /** Training data of version 1. */
  readonly clean: string;
  /** Training data of version 2. */
  readonly poisoned: string;
  /** Model inputs of the clean training data: the monitor's reference. */
  readonly reference: string;
  /** A production batch like the training data. */
  readonly normalBatch: string;
  /** A production batch after a shift: a fraud ring at work. */
  readonly shiftedBatch: string;
  readonly planted: Planted;
}

/** Writes the demo's CSV files into `dir` (which must exist) and returns their paths. */
export async function writeDemoDatasets(dir: string): Promise<DemoDatasets> {
  const clean = transactions(1, 2000, 0.3);
  const { rows: poisoned, planted } = poisonedTransactions(2, 2000);
  const csv = (columns: string[], records: unknown[][]) => stringify(records, { header: true, columns });
  const files = {
    clean: ['transactions-v1.csv', csv(trainingColumns, clean.map(trainingRecord))],
    poisoned: ['transactions-v2.csv', csv(trainingColumns, poisoned.map(trainingRecord))],
    reference: ['reference-features.csv', csv(featureColumns, clean.map(featureRecord))],
    normalBatch: ['batch-normal.csv', csv(featureColumns, transactions(3, 600, 0.3).map(featureRecord))],
    shiftedBatch: ['batch-shifted.csv', csv(featureColumns, transactions(4, 600, 0.8).map(featureRecord))],
  } as const;
  const paths: Record<string, string> = {};
  for (const [key, [name, text]] of Object.entries(files)) {
    paths[key] = join(dir, name);
    await writeFile(paths[key], text);
  }
  return { ...(paths as Omit<DemoDatasets, 'planted'>), planted };
}
