import { shapeOf } from '../shape.js';
import { type PiiRule, remediationFor } from './rule.js';

const HEX_LETTER = /[A-Fa-f]/;
const COLON_FORM = /(?<![A-Za-z0-9_:.-])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![A-Za-z0-9_]|[:.-][0-9A-Fa-f])/g;
const DASH_FORM = /(?<![A-Za-z0-9_:.-])[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?![A-Za-z0-9_]|[:.-][0-9A-Fa-f])/g;
const DOTTED_FORM =
  /(?<![A-Za-z0-9_.-])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![A-Za-z0-9_]|[.-][0-9A-Fa-f])/g;
const SEPARATORS = /[:.-]/g;
const ALL_ZERO = /^0+$/;
const ALL_ONES = /^f+$/;

export const macAddressRule: PiiRule = {
  id: 'pii.mac-address',
  entity: 'MAC_ADDRESS',
  title: 'MAC address',
  severity: 'low',
  description:
    'MAC addresses as six hex pairs joined by a consistent ":" or "-", or Cisco-style xxxx.xxxx.xxxx (which must contain a hex letter or have context, else it is a version or product number). All-zero, broadcast and multicast addresses are dropped; locally administered (randomised) ones score lower. Low: a device identifier that tracks a person only indirectly.',
  remediation: remediationFor('MAC addresses are persistent device identifiers.'),
  contextWords: ['mac', 'mac address', 'hwaddr', 'ether', 'ethernet', 'bssid', 'wifi', 'bluetooth', 'device'],
  contextBoost: 0.3,
  minLength: 14,
  quick: (text) => {
    const shape = shapeOf(text);
    return shape.length >= 14 && (shape.colons >= 5 || shape.dashes >= 5 || shape.hexDots >= 2);
  },
  patterns: [
    { regex: COLON_FORM, requires: ':' },
    { regex: DASH_FORM, requires: '-' },
    { regex: DOTTED_FORM, requires: '.' },
  ],
  validate(m, _text, env) {
    const value = m[0];
    const start = m.index;
    const end = start + value.length;
    const hex = value.replace(SEPARATORS, '').toLowerCase();
    if (ALL_ZERO.test(hex) || ALL_ONES.test(hex)) return null;
    const first = Number.parseInt(hex.slice(0, 2), 16);
    if (first & 1) return null; // multicast group, not a device
    if (value.includes('.') && !HEX_LETTER.test(value) && !env.context(start, end)) return null;
    if (first & 2) return { start, end, score: 0.45, reason: 'locally administered (possibly randomised) MAC' };
    return { start, end, score: 0.6, reason: 'MAC address (globally unique)' };
  },
};
