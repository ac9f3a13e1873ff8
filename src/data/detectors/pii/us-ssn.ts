import { shapeOf } from '../shape.js';
import { type PiiRule, remediationFor } from './rule.js';

/** Numbers printed on sample cards and in advertising, or used as placeholders: reported as `low`. */
export const SAMPLE_SSNS: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789']);

export const usSsnRule: PiiRule = {
  id: 'pii.us-ssn',
  entity: 'US_SSN',
  title: 'US Social Security number',
  severity: 'high',
  description:
    'US Social Security numbers in 3-2-4 form with the structural exclusions (area 000, 666 and 900-999, group 00, serial 0000). Dashed numbers are found on their own at moderate confidence; undashed or space-separated ones need a context word (ssn, social security, taxpayer). High: an SSN is the key to US identity theft; known sample numbers (078-05-1120, 219-09-9999, 123-45-6789) are low.',
  remediation: remediationFor('Social Security numbers enable identity theft.'),
  contextWords: ['ssn', 'ssns', 'social security', 'social security number', 'ss', 'ssa', 'taxpayer', 'itin', 'tin'],
  contextBoost: 0.35,
  minLength: 9,
  quick: (text) => shapeOf(text).groupedDigits >= 9,
  patterns: [/(?<![A-Za-z0-9_\-./])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![A-Za-z0-9_]|[-./]\d)/g],
  validate(m) {
    const [, area = '', separator = '', group = '', serial = ''] = m;
    const areaNumber = Number(area);
    if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return null;
    if (group === '00' || serial === '0000') return null;
    const base = { start: m.index, end: m.index + m[0].length };
    // Undashed or space-separated nine digits are as likely an id: they need a context word.
    const requiresContext = separator !== '-';
    if (SAMPLE_SSNS.has(area + group + serial)) {
      return {
        start: base.start,
        end: base.end,
        score: 0.6,
        severity: 'low',
        reason: 'well-known sample or placeholder SSN',
        requiresContext,
      };
    }
    if (!requiresContext)
      return { start: base.start, end: base.end, score: 0.55, reason: 'SSN structure (area, group, serial valid)' };
    return { start: base.start, end: base.end, score: 0.5, reason: 'SSN structure, undashed', requiresContext };
  },
};
