import { isIPv6 } from 'node:net';
import { shapeOf } from '../shape.js';
import { tokenize } from './context.js';
import { type PiiRule, remediationFor, type Verdict } from './rule.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![A-Za-z0-9_.\\-])(?:${OCTET}\\.){3}${OCTET}(?![A-Za-z0-9_\\-]|\\.\\d)`, 'g');
/** Candidate IPv6: hex groups joined by colons (unambiguous split), checked by node:net afterwards. */
const IPV6 =
  /(?<![A-Za-z0-9_:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![A-Za-z0-9_:.])/g;

/** Words right before a dotted quad that make it a version, not an address. */
const VERSION_WORDS = new Set([
  'v',
  'ver',
  'version',
  'versions',
  'release',
  'build',
  'rev',
  'revision',
  'firmware',
  'section',
  'chapter',
  'oid',
]);

const NETMASK_OCTETS = new Set([0, 128, 192, 224, 240, 248, 252, 254, 255]);
const V6_LINK_LOCAL = /^fe[89ab][0-9a-f]:/;
const V6_UNIQUE_LOCAL = /^f[cd][0-9a-f]{2}:/;
const V6_DOCUMENTATION = /^2001:0?db8:/;
const V6_MULTICAST = /^ff[0-9a-f]{2}:/;

function classifyV4(o: readonly number[]): string | 'drop' | undefined {
  const [a = 0, b = 0, c = 0] = o;
  if (o.every((x) => x === 0) || o.every((x) => x === 255)) return 'drop';
  // Netmasks: 255.255.255.0 and friends.
  if (a === 255 && o.every((x) => NETMASK_OCTETS.has(x)) && o.every((x, i) => i === 0 || x <= o[i - 1]!)) return 'drop';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private range (RFC 1918)';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT range';
  if (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return 'documentation range (RFC 5737)';
  }
  if (a === 0 || a >= 224) return 'multicast or reserved range';
  return undefined;
}

function classifyV6(lower: string): string | undefined {
  if (lower === '::1' || lower === '::') return 'loopback';
  if (V6_LINK_LOCAL.test(lower)) return 'link-local';
  if (V6_UNIQUE_LOCAL.test(lower)) return 'unique local range';
  if (V6_DOCUMENTATION.test(lower)) return 'documentation range (RFC 3849)';
  if (V6_MULTICAST.test(lower)) return 'multicast';
  return undefined;
}

export const ipAddressRule: PiiRule = {
  id: 'pii.ip-address',
  entity: 'IP_ADDRESS',
  title: 'IP address',
  severity: 'low',
  description:
    'IPv4 addresses with valid octets and IPv6 addresses (checked with node:net). Dotted quads after a version word (v, version, release, build) or followed by more dotted numbers are versions; netmasks, 0.0.0.0 and broadcast are dropped; all-single-digit quads (1.2.3.4) need a context word. Private, loopback, link-local and documentation ranges score 0.2 (below the default 0.5 threshold even with a context word) at severity info. Low: a public IP is an online identifier under GDPR but rarely identifies a person alone.',
  remediation: remediationFor('IP addresses are online identifiers.'),
  contextWords: [
    'ip',
    'ipv4',
    'ipv6',
    'ip address',
    'ipaddr',
    'host',
    'client',
    'remote',
    'addr',
    'src',
    'dst',
    'source',
    'destination',
    'peer',
    'forwarded',
    'server',
  ],
  contextBoost: 0.25,
  minLength: 2, // `::`
  quick: (text) => {
    const shape = shapeOf(text);
    return shape.dottedDots >= 3 || shape.colons >= 2;
  },
  patterns: [
    { regex: IPV4, requires: '.' },
    { regex: IPV6, requires: ':' },
  ],
  validate(m, text, env): Verdict | null {
    const value = m[0];
    const start = m.index;
    const end = start + value.length;
    if (value.includes(':')) return validateV6(value, start, end, env);
    if (start > 0) {
      const before = tokenize(text, Math.max(0, start - 16), start);
      const last = before[before.length - 1];
      if (last !== undefined && VERSION_WORDS.has(last)) return null;
    }
    const octets = value.split('.').map(Number);
    const kind = classifyV4(octets);
    if (kind === 'drop') return null;
    if (octets.every((x) => x < 10) && !env.context(start, end)) return null;
    if (kind) return { start, end, score: 0.2, severity: 'info', reason: kind };
    return { start, end, score: 0.6, reason: 'public IPv4 address' };
  },
};

function validateV6(
  value: string,
  start: number,
  end: number,
  env: { context(s: number, e: number): unknown },
): Verdict | null {
  if (!isIPv6(value)) return null;
  const groups = value.split(':').filter((group) => group.length > 0).length;
  // `a::b`, `dead::beef` are also C++ scopes and hex noise: need three groups or a context word.
  if (groups < 3 && !env.context(start, end)) return null;
  const kind = classifyV6(value.toLowerCase());
  if (kind) return { start, end, score: 0.2, severity: 'info', reason: kind };
  return { start, end, score: 0.6, reason: 'IPv6 address' };
}
