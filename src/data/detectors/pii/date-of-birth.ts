import { shapeOf } from '../shape.js';
import { type PiiRule, remediationFor, type Verdict } from './rule.js';
import { isCalendarDate } from './validators.js';

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH = '(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\\.?';
const B = '(?<![A-Za-z0-9])';
const E = '(?![0-9])';

/** ISO `1985-03-12`; numeric `12/03/1985`, `03-12-85`, `12.03.1985`; `12 March 1985`; `March 12, 1985`. */
const ISO = new RegExp(`${B}(?<y>\\d{4})([-/.])(?<m>\\d{1,2})\\2(?<d>\\d{1,2})${E}`, 'g');
const NUMERIC = new RegExp(`${B}(?<a>\\d{1,2})([-/.])(?<b>\\d{1,2})\\2(?<y>\\d{4}|\\d{2})${E}`, 'g');
const DAY_MONTH = new RegExp(`${B}(?<d>\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH},? (?<y>\\d{4})${E}`, 'gi');
const MONTH_DAY = new RegExp(`${B}${MONTH} (?<d>\\d{1,2})(?:st|nd|rd|th)?,? (?<y>\\d{4})${E}`, 'gi');

const THIS_YEAR = new Date().getUTCFullYear();

function plausible(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= THIS_YEAR && isCalendarDate(year, month, day);
}

function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  // Two-digit years: a birth year is in the past.
  return year + 2000 <= THIS_YEAR ? year + 2000 : year + 1900;
}

function isDate(groups: Record<string, string | undefined>): boolean {
  const year = fullYear(groups.y ?? '');
  if (groups.a !== undefined && groups.b !== undefined) {
    // Numeric day/month order is ambiguous: accept when either D/M/Y or M/D/Y is a real date.
    const a = Number(groups.a);
    const b = Number(groups.b);
    return plausible(year, b, a) || plausible(year, a, b);
  }
  const month = groups.mon !== undefined ? (MONTHS[groups.mon.slice(0, 3).toLowerCase()] ?? 0) : Number(groups.m);
  return plausible(year, month, Number(groups.d));
}

export const dateOfBirthRule: PiiRule = {
  id: 'pii.date-of-birth',
  entity: 'DATE_OF_BIRTH',
  title: 'Date of birth',
  severity: 'medium',
  description:
    'Dates (ISO, numeric D/M/Y or M/D/Y with / - or ., "12 March 1985", "March 12, 1985") that are real calendar dates between 1900 and today, reported only when a birth word (dob, birth, born, birthday, birthdate) is a whole word in the column name or near the date: a date alone is not personal. Medium: a quasi-identifier that, with postcode and gender, re-identifies most people.',
  remediation: remediationFor('Dates of birth are quasi-identifiers.'),
  contextWords: ['dob', 'birth', 'born', 'birthday', 'birthdate', 'dateofbirth', 'bday'],
  contextBoost: 0.35,
  contextRequired: true,
  minLength: 6,
  // Every date form has at least four digits (`1/2/85`).
  quick: (text) => text.length >= 6 && shapeOf(text).digits >= 4,
  patterns: [ISO, NUMERIC, DAY_MONTH, MONTH_DAY],
  validate(m): Verdict | null {
    if (!m.groups || !isDate(m.groups)) return null;
    return { start: m.index, end: m.index + m[0].length, score: 0.5, reason: 'valid past date', requiresContext: true };
  },
};
