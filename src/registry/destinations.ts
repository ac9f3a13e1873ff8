import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where the server may send requests on a user's behalf (webhooks). Addresses are checked after DNS
 * resolution, every address a name resolves to, and the connection then uses the address that was
 * checked, so a name that resolves differently a moment later (DNS rebinding) cannot slip through.
 */
export class DestinationPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  /** `allow`: CIDR ranges to permit even though they are private (e.g. an internal webhook relay). */
  constructor(allow: readonly string[] = []) {
    for (const [network, prefix, family] of BLOCKED) this.blocked.addSubnet(network, prefix, family);
    for (const range of allow) {
      const [network = '', prefix = ''] = range.split('/');
      const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
      if (!isIP(network) || !/^\d+$/.test(prefix))
        throw new Error(`bad allowed range ${range}: use CIDR, e.g. 10.1.0.0/16`);
      this.allowed.addSubnet(network, Number(prefix), family);
    }
  }

  /** Why `address` may not be contacted, or undefined when it may. */
  refusal(address: string): string | undefined {
    const family = isIP(address);
    if (family === 0) return `${address} is not an IP address`;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
    if (mapped) return this.refusal(mapped);
    if (this.allowed.check(address, type)) return undefined;
    if (this.blocked.check(address, type)) return `${address} is a loopback, link-local, private or reserved address`;
    return undefined;
  }

  /**
   * The address to connect to for `url`: its host resolved (all addresses must pass), only http(s),
   * no credentials in the URL. Throws with the reason otherwise.
   */
  async resolve(url: URL): Promise<{ address: string; family: 4 | 6 }> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`${url.protocol} destinations are not allowed`);
    if (url.username || url.password) throw new Error('destination URLs may not carry credentials');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [{ address: host, family: isIP(host) as 4 | 6 }]
      : await lookup(host, { all: true, verbatim: true });
    if (addresses.length === 0) throw new Error(`${host} does not resolve`);
    for (const { address } of addresses) {
      const refused = this.refusal(address);
      if (refused) throw new Error(`destination ${host} refused: ${refused}`);
    }
    const first = addresses[0]!;
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}

/** Ranges never contacted unless allowed: RFC 1918, loopback, link-local (cloud metadata), CGNAT, ULA, reserved. */
const BLOCKED: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];
