import { shapeOf } from '../shape.js';
import { type PiiRule, remediationFor } from './rule.js';

const REPEATED_DIGIT = /^(\d)\1+$/;

export const usPassportRule: PiiRule = {
  id: 'pii.us-passport',
  entity: 'US_PASSPORT',
  title: 'US passport number',
  severity: 'high',
  description:
    'US passport book and card numbers (9 digits, or a letter and 8 digits), only when "passport" is in the column name or near the value: the bare format matches too many ids. High: a passport number is a government identity document number used in identity fraud.',
  remediation: remediationFor('Passport numbers are government identifiers.'),
  contextWords: ['passport', 'passports', 'passport number', 'passport no', 'ppt'],
  contextBoost: 0.35,
  contextRequired: true,
  minLength: 9,
  quick: (text) => shapeOf(text).digitRun >= 8,
  patterns: [/(?<![A-Za-z0-9_\-.])(?:[A-Z]\d{8}|\d{9})(?![A-Za-z0-9_]|[-.]\d)/g],
  validate(m) {
    const value = m[0];
    if (REPEATED_DIGIT.test(value) || value.slice(1) === '00000000') return null;
    return {
      start: m.index,
      end: m.index + value.length,
      score: 0.5,
      reason: 'US passport number format',
      requiresContext: true,
    };
  },
};
