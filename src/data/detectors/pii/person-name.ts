import { shapeOf } from '../shape.js';
import type { DetectorContext, DetectorMatch } from '../types.js';
import { columnTokens } from './context.js';
import { FIRST_NAMES } from './first-names.js';
import { addMatch, type PiiRule, remediationFor, ruleDetector, type Verdict } from './rule.js';

/**
 * Person names without an NLP model. `compromise` was measured at ~0.15 MB/s on English sentences
 * (over 100x below the scan budget) so it is not used; instead three cheap signals:
 * 1. a person-name column (`first_name`, `full_name`, `customer_name`, `surname`...): the whole value,
 *    when it is shaped like a name;
 * 2. free text: an honorific (`Mr`, `Dr`, `Prof`...) or an introduction (`my name is`) before capitalised words;
 * 3. free text: a common given name (FIRST_NAMES) followed by a capitalised surname.
 */
const NAME_TOKENS = new Set([
  'name',
  'names',
  'surname',
  'forename',
  'firstname',
  'lastname',
  'fullname',
  'givenname',
  'familyname',
  'maidenname',
  'nickname',
]);
/** Qualifiers that make a `name` column about a person. */
const PERSON_QUALIFIERS = new Set([
  'first',
  'last',
  'full',
  'given',
  'middle',
  'family',
  'maiden',
  'person',
  'customer',
  'patient',
  'contact',
  'employee',
  'author',
  'owner',
  'holder',
  'cardholder',
  'client',
  'student',
  'member',
  'applicant',
  'beneficiary',
  'emergency',
  'legal',
  'display',
  'user',
  'recipient',
  'sender',
  'spouse',
  'mother',
  'father',
  'parent',
  'guardian',
  'doctor',
  'physician',
]);
/** Qualifiers that make a `name` column about something else. */
const THING_QUALIFIERS = new Set([
  'product',
  'file',
  'filename',
  'model',
  'dataset',
  'company',
  'org',
  'organization',
  'organisation',
  'host',
  'hostname',
  'table',
  'column',
  'class',
  'feature',
  'brand',
  'item',
  'street',
  'city',
  'country',
  'domain',
  'app',
  'package',
  'project',
  'repo',
  'branch',
  'event',
  'field',
  'key',
  'label',
  'category',
  'tag',
  'type',
  'team',
  'store',
  'shop',
  'business',
  'venue',
  'place',
  'bank',
  'service',
  'device',
  'server',
  'function',
  'variable',
  'species',
  'song',
  'album',
  'book',
  'title',
  'course',
  'drug',
  'ingredient',
]);

type ColumnKind = 'person' | 'bare' | undefined;
const columnKinds = new Map<string, ColumnKind>();

/** Whether a column holds person names: `person` (qualified), `bare` (just `name`), or not. */
export function personColumn(column: string | undefined): ColumnKind {
  if (!column) return undefined;
  let kind = columnKinds.get(column);
  if (kind === undefined && !columnKinds.has(column)) {
    const tokens = columnTokens(column);
    // JSON paths: only the last two segments describe the value (`orders[0].customer.name`).
    const tail = tokens.slice(-3);
    const hasName = tail.some((token) => NAME_TOKENS.has(token));
    if (!hasName || tail.some((token) => THING_QUALIFIERS.has(token))) kind = undefined;
    else if (
      tail.some(
        (token) => PERSON_QUALIFIERS.has(token) || (NAME_TOKENS.has(token) && token !== 'name' && token !== 'names'),
      )
    ) {
      kind = 'person';
    } else kind = 'bare';
    if (columnKinds.size > 4096) columnKinds.clear();
    columnKinds.set(column, kind);
  }
  return kind;
}

const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'la',
  'le',
  'del',
  'della',
  'da',
  'di',
  'du',
  'dos',
  'das',
  'bin',
  'binti',
  'al',
  'el',
  'ibn',
  'y',
]);
const NAME_WORD = /^(?:\p{Lu}[\p{Ll}\p{Lu}'’.-]*|\p{Lu}\.)$/u;
const LOWER_NAME_WORD = /^\p{Ll}[\p{Ll}'’-]+$/u;
const WORD_SEPARATORS = /[\s,]+/;
const HONORIFIC_START = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord)/;

/** A whole value shaped like a name: 1-5 words, letters only, capitalised (or particles), no digits. */
function nameShaped(value: string): { start: number; end: number; lowercase: boolean; first: string } | undefined {
  if (value.length > 80 || value.length < 2) return undefined;
  const start = value.length - value.trimStart().length;
  const trimmed = value.trim();
  const words = trimmed.split(WORD_SEPARATORS).filter(Boolean);
  if (words.length < 1 || words.length > 5) return undefined;
  let capitalised = 0;
  let lowercase = 0;
  for (const word of words) {
    if (NAME_WORD.test(word)) capitalised++;
    else if (PARTICLES.has(word)) continue;
    else if (LOWER_NAME_WORD.test(word)) lowercase++;
    else return undefined;
  }
  if (capitalised === 0 && lowercase === 0) return undefined;
  if (capitalised > 0 && lowercase > 0) return undefined;
  const first = trimmed.includes(',') ? (words[1] ?? words[0]!) : words[0]!;
  return { start, end: start + trimmed.length, lowercase: capitalised === 0, first };
}

/** Capitalised word, Unicode-aware: `O'Brien`, `Müller`, `Jean-Luc`. */
const CAP = "\\p{Lu}\\p{Ll}+(?:['’-]\\p{Lu}?\\p{Ll}+)?";
const HONORIFIC = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord)\\.? (?<name>${CAP}(?: ${CAP}){0,2})(?![\\p{L}\\p{N}])`,
  'gu',
);
const INTRODUCTION = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:[Mm]y name is|[Mm]y name's|I am called|[Ss]igned by|[Rr]egards,|[Ss]incerely,)\\s+(?<name>${CAP}(?: ${CAP}){0,2})(?![\\p{L}\\p{N}])`,
  'gu',
);
const HONORIFIC_WORD = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord)(?: |$)/;

/** A capitalised word with the next capitalised word captured in a look-ahead, so overlapping pairs are all tried. */
const GIVEN_SURNAME = new RegExp(
  `(?<![\\p{L}\\p{N}])(?<first>\\p{Lu}\\p{Ll}+)(?= (?<last>${CAP})(?![\\p{L}\\p{N}]))`,
  'gu',
);

/** Capitalised words that follow a given name but do not make a person (`Jordan Street`, `Victoria Station`). */
const NOT_SURNAMES = new Set([
  'Street',
  'Road',
  'Avenue',
  'Lane',
  'Station',
  'University',
  'College',
  'School',
  'Hospital',
  'Park',
  'River',
  'Lake',
  'Bridge',
  'Square',
  'Hall',
  'Airport',
  'Church',
  'Center',
  'Centre',
  'County',
  'City',
  'Island',
  'Bay',
  'Falls',
  'Hotel',
  'Foundation',
  'Institute',
  'Inc',
  'Ltd',
  'Group',
  'Company',
  'The',
  'And',
  'Of',
]);

export const personNameRule: PiiRule = {
  id: 'pii.person-name',
  entity: 'PERSON_NAME',
  title: 'Person name',
  severity: 'medium',
  description:
    'Person names without an NLP model (compromise measured ~0.15 MB/s, too slow): whole values of a person-name column (first_name, full_name, customer_name, surname; a bare "name" column scores lower unless the first word is a common given name), and in free text a name after an honorific (Mr, Dr, Prof) or an introduction (my name is), or a common given name followed by a capitalised surname. Medium: a name identifies a person, more so with any other attribute in the same row.',
  remediation: remediationFor('Names identify people.'),
  contextWords: ['name', 'names', 'surname', 'patient', 'customer', 'employee', 'author', 'contact', 'person'],
  contextBoost: 0.1,
  minLength: 2,
  // Both the column path and the free-text forms need letters.
  quick: (text) => {
    const shape = shapeOf(text);
    return shape.upper + shape.lower + shape.nonAscii > 0;
  },
  patterns: [HONORIFIC, INTRODUCTION, GIVEN_SURNAME],
  validate(m): Verdict | null {
    const groups = m.groups ?? {};
    if (groups.first !== undefined) {
      const last = groups.last ?? '';
      if (!FIRST_NAMES.has(groups.first) || NOT_SURNAMES.has(last) || FIRST_NAMES.has(last)) return null;
      return {
        start: m.index,
        end: m.index + groups.first.length + 1 + last.length,
        score: 0.55,
        reason: 'common given name + capitalised surname',
      };
    }
    const name = groups.name ?? '';
    if (HONORIFIC_WORD.test(name)) return null;
    const start = m.index + m[0].length - name.length;
    const honorific = HONORIFIC_START.test(m[0]);
    return {
      start,
      end: start + name.length,
      score: honorific ? 0.7 : 0.75,
      reason: honorific ? 'name after an honorific' : 'name after an introduction',
    };
  },
};

const textDetector = ruleDetector(personNameRule);

/** Column values first (the whole value is the name), then free-text signals. */
function detectPersonName(text: string, context: DetectorContext): DetectorMatch[] {
  const kind = personColumn(context.column);
  if (kind) {
    const shape = nameShaped(text);
    if (shape) {
      const known = FIRST_NAMES.has(shape.first) || FIRST_NAMES.has(capitalise(shape.first));
      let score = kind === 'person' ? 0.8 : known ? 0.75 : 0.5;
      if (shape.lowercase) score -= 0.15;
      return [
        {
          entity: 'PERSON_NAME',
          start: shape.start,
          end: shape.end,
          score: Math.round(score * 100) / 100,
          reason: `name-shaped value in person-name column "${context.column}"${known ? ', common given name' : ''}`,
        },
      ];
    }
  }
  if (text.length < 5 || text.indexOf(' ') === -1) return [];
  // Every free-text form holds a capitalised word.
  const form = shapeOf(text);
  if (!form.capitalised && form.nonAscii === 0) return [];
  const matches: DetectorMatch[] = [];
  for (const match of textDetector.detect(text, context)) addMatch(matches, match);
  return matches;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

export const personNameDetector = { ...textDetector, detect: detectPersonName };
