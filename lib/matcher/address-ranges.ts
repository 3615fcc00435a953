import { ipaddr } from './ipaddr-lib.js';
import type { Ioc } from './ioc-set.js';
import { IocIndex } from './ioc-index.js';

// CIDR range IOCs as a prefix lookup on the parsed address: for each prefix
// length the set uses, the address's network at that length is looked up in
// a map. The cost per value follows the number of distinct prefix lengths,
// never the number of ranges, and no text is searched. An IPv4 network is a
// number (prefix × 2³² + network), read without ipaddr.js: the lookup runs
// for every address of every parsed record.

/** A canonical dotted quad as a number. */
export function ipv4Number(text: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      value = value * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 0x30);
  }
  return value * 256 + octet;
}

function ipv4Network(address: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return prefix * 2 ** 32 + (address - (address % size));
}

function ipv6Key(bytes: number[], prefix: number): string {
  const masked = bytes.slice();
  for (let bit = prefix; bit < masked.length * 8; bit++) masked[bit >> 3] &= ~(0x80 >> (bit & 7));
  return `${prefix}/${masked.join('.')}`;
}

export class AddressRanges {
  private readonly ipv4 = new IocIndex<number, Ioc>();
  private readonly ipv6 = new IocIndex<string, Ioc>();
  /** Prefix lengths in use per family, longest first (the narrowest range names the hit). */
  private readonly prefixes: Record<'ipv4' | 'ipv6', number[]> = { ipv4: [], ipv6: [] };

  constructor(ranges: readonly Ioc[]) {
    for (const ioc of ranges) {
      const [network, prefixText] = ioc.ip.split('/');
      const prefix = Number(prefixText);
      const family = network.includes(':') ? 'ipv6' : 'ipv4';
      if (family === 'ipv4') this.ipv4.add(ipv4Network(ipv4Number(network), prefix), ioc);
      else this.ipv6.add(ipv6Key(ipaddr.IPv6.parse(network).toByteArray(), prefix), ioc);
      const lengths = this.prefixes[family];
      if (!lengths.includes(prefix)) lengths.push(prefix);
    }
    this.prefixes.ipv4.sort((a, b) => b - a);
    this.prefixes.ipv6.sort((a, b) => b - a);
  }

  get size(): number {
    return this.ipv4.size + this.ipv6.size;
  }

  has(family: 'ipv4' | 'ipv6'): boolean {
    return this.prefixes[family].length > 0;
  }

  /** The range IOCs holding a canonical address (`ipv4` dotted, `ipv6` RFC 5952), narrowest first; undefined when none. */
  lookup(family: 'ipv4' | 'ipv6', address: string): readonly Ioc[] | undefined {
    const lengths = this.prefixes[family];
    if (lengths.length === 0) return undefined;
    if (family === 'ipv4') {
      const value = ipv4Number(address);
      for (const prefix of lengths) {
        const found = this.ipv4.get(ipv4Network(value, prefix));
        if (found) return found;
      }
      return undefined;
    }
    const bytes = ipaddr.IPv6.parse(address).toByteArray();
    for (const prefix of lengths) {
      const found = this.ipv6.get(ipv6Key(bytes, prefix));
      if (found) return found;
    }
    return undefined;
  }
}
