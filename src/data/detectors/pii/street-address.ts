import { shapeOf } from '../shape.js';
import type { DetectorContext, DetectorMatch } from '../types.js';
import { columnTokens } from './context.js';
import { type PiiRule, remediationFor, ruleDetector, type Verdict } from './rule.js';

const SUFFIX =
  '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Way|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Crescent|Close|Row|Trail|Alley|Plaza|Gardens|Grove|Mews|Walk)';
const WORD = "\\p{Lu}[\\p{Ll}'’]*\\.?";

/** `221B Baker Street`, `1600 Pennsylvania Ave NW`, `10 Downing St.` */
const ENGLISH = new RegExp(
  `(?<![\\p{L}\\p{N}])\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?,? (?:(?:N|S|E|W|North|South|East|West)\\.? )?(?:${WORD} ){1,4}${SUFFIX}(?![\\p{L}\\p{N}])\\.?(?: (?:NW|NE|SW|SE|N|S|E|W)(?![\\p{L}\\p{N}]))?`,
  'gu',
);
/** `Musterstraße 12a`, `Hauptstr. 5`, `Lindenweg 3` */
const GERMAN =
  /(?<![\p{L}\p{N}])\p{Lu}[\p{Ll}ß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz) \d{1,4}[a-z]?(?![\p{L}\p{N}])/gu;
/** `12 rue de la Paix`, `5 bis avenue Victor Hugo` */
const FRENCH =
  /(?<![\p{L}\p{N}])\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours) (?:(?:de|du|des|la|le|l'|d')\s?){0,2}\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+){0,3}/gu;
const PO_BOX = /(?<![\p{L}\p{N}])P\.? ?O\.? Box \d{1,6}(?![\p{L}\p{N}])/giu;

/** What may follow the street part: unit, city, state + ZIP or a UK postcode, within a short tail. */
const TAIL =
  /^(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|#)\.? ?[A-Za-z0-9-]{1,6})?(?:, ?\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*){0,3}){0,2}(?:,? (?:[A-Z]{2} \d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{5}))/u;

export const streetAddressRule: PiiRule = {
  id: 'pii.street-address',
  entity: 'STREET_ADDRESS',
  title: 'Street address',
  severity: 'medium',
  description:
    'Street addresses in free text without an NLP model: house number + capitalised street name + street suffix (US/UK), German -straße/-weg/-gasse + number, French number + rue/avenue/boulevard, and PO boxes; a following unit, city, state + ZIP or UK postcode raises the score and is included in the span. Values of an address column (address, street, address_line1; not email/ip/mac/wallet address) that hold a number and words are reported too. Medium: a home address locates a person physically.',
  remediation: remediationFor('Home addresses locate people.'),
  contextWords: [
    'address',
    'addresses',
    'street',
    'addr',
    'residence',
    'home',
    'lives',
    'live',
    'located',
    'mailing',
    'shipping',
    'billing',
  ],
  contextBoost: 0.15,
  minLength: 8,
  // Every form, and an address column's value, holds a house or box number.
  quick: (text) => {
    const shape = shapeOf(text);
    return shape.length >= 8 && shape.spaces > 0 && shape.digits > 0;
  },
  patterns: [ENGLISH, GERMAN, FRENCH, PO_BOX],
  validate(m, text): Verdict | null {
    const start = m.index;
    let end = start + m[0].length;
    const tail = TAIL.exec(text.slice(end, end + 80));
    let score = 0.6;
    let reason = m[0].startsWith('P') || m[0].startsWith('p') ? 'PO box' : 'house number, street name and suffix';
    if (tail) {
      end += tail[0].length;
      score = 0.8;
      reason += ', followed by city/postcode';
    }
    return { start, end, score, reason };
  },
};

const textDetector = ruleDetector(streetAddressRule);
const NOT_STREET = new Set([
  'email',
  'mail',
  'ip',
  'ipv4',
  'ipv6',
  'mac',
  'wallet',
  'btc',
  'eth',
  'web',
  'url',
  'server',
  'host',
  'hardware',
  'memory',
  'contract',
  'crypto',
]);
const ADDRESS_TOKENS = new Set(['address', 'addr', 'street', 'addressline', 'address1', 'address2', 'line1', 'line2']);
const columnIsAddress = new Map<string, boolean>();

/** A column holding postal addresses: `address`, `street`, `home_address`, `address_line1`; not `email_address`. */
export function addressColumn(column: string | undefined): boolean {
  if (!column) return false;
  let yes = columnIsAddress.get(column);
  if (yes === undefined) {
    const tail = columnTokens(column).slice(-3);
    yes = tail.some((token) => ADDRESS_TOKENS.has(token)) && !tail.some((token) => NOT_STREET.has(token));
    if (columnIsAddress.size > 4096) columnIsAddress.clear();
    columnIsAddress.set(column, yes);
  }
  return yes;
}

/** A number and words: at least one space, so a bare code (`GB82WEST1234…`) in an address column is not one. */
const ADDRESS_VALUE = /^(?=.*\d)(?=.*\p{L}{3})(?=.* )[\p{L}\p{N} ,.'’#/-]{8,120}$/u;

function detectStreetAddress(text: string, context: DetectorContext): DetectorMatch[] {
  const matches = textDetector.detect(text, context);
  if (matches.length === 0 && text.length <= 130 && addressColumn(context.column) && ADDRESS_VALUE.test(text.trim())) {
    const start = text.length - text.trimStart().length;
    return [
      {
        entity: 'STREET_ADDRESS',
        start,
        end: start + text.trim().length,
        score: 0.65,
        reason: `number and words in address column "${context.column}"`,
      },
    ];
  }
  return matches;
}

export const streetAddressDetector = { ...textDetector, detect: detectStreetAddress };
