import { ipaddr } from './ipaddr-lib.js';
import type { Ioc } from './ioc-set.js';

// CIDR range IOCs as a prefix lookup on the parsed address: for each prefix
// length the set uses, the address's network at that length is looked up in
// a map. The cost per value follows the number of distinct prefix lengths,
// never the number of ranges, and no text is searched.

function networkKey(bytes: number[], prefix: number): string {
  const masked = bytes.slice();
  for (let bit = prefix; bit < masked.length * 8; bit++) masked[bit >> 3] &= ~(0x80 >> (bit & 7));
  return `${prefix}/${masked.join('.')}`;
}

export class AddressRanges {
  private readonly byNetwork = new Map<string, Ioc[]>();
  /** Prefix lengths in use per family, longest first (the narrowest range names the hit). */
  private readonly prefixes: Record<'ipv4' | 'ipv6', number[]> = { ipv4: [], ipv6: [] };

  constructor(ranges: readonly Ioc[]) {
    for (const ioc of ranges) {
      const [network, prefixText] = ioc.ip.split('/');
      const address = ipaddr.parse(network);
      const prefix = Number(prefixText);
      const key = networkKey(address.toByteArray(), prefix);
      const list = this.byNetwork.get(key);
      if (list) list.push(ioc);
      else this.byNetwork.set(key, [ioc]);
      const lengths = this.prefixes[address.kind()];
      if (!lengths.includes(prefix)) lengths.push(prefix);
    }
    this.prefixes.ipv4.sort((a, b) => b - a);
    this.prefixes.ipv6.sort((a, b) => b - a);
  }

  get size(): number {
    return this.byNetwork.size;
  }

  has(family: 'ipv4' | 'ipv6'): boolean {
    return this.prefixes[family].length > 0;
  }

  /** The range IOCs holding a canonical address (`ipv4` dotted, `ipv6` RFC 5952), narrowest first; undefined when none. */
  lookup(family: 'ipv4' | 'ipv6', address: string): readonly Ioc[] | undefined {
    const lengths = this.prefixes[family];
    if (lengths.length === 0) return undefined;
    const bytes = ipaddr.parse(address).toByteArray();
    for (const prefix of lengths) {
      const found = this.byNetwork.get(networkKey(bytes, prefix));
      if (found) return found;
    }
    return undefined;
  }
}
