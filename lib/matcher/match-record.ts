import type { Match, MatchHow } from '../report/report.js';
import type { RecordFields } from '../record/source-record.js';
import type { TableSpec, WatchedField } from '../tables/table-specs.js';
import { canonicalIp, canonicalIpv4, normaliseUrl } from './canonical.js';
import { kindOf, type Ioc, type IocSet } from './ioc-set.js';
import { AddressRanges } from './address-ranges.js';
import { readAddress, readAddressList, readTextAddresses, readUrlHost, type AddressText } from './ip-text.js';

// Matching IOCs against what records hold (docs/hits.md): which watched
// fields of a record hold an IOC address (exact, inside a range, or the host
// of a URL IOC) and the port seen beside each (match-record.ts), domains,
// URLs and hashes in their columns (kind-matchers.ts), and IOCs in the raw
// bytes of a record that could not be parsed (raw-text.ts).

export interface MatchedIoc extends Match {
  ioc: Ioc;
}

/** A match in report form: the IOC's value and kind (kind left out for IPv4, as the built-in set's reports have it). */
export function matchOf(field: string | null, ioc: Ioc, port: number | null, seen?: string, how?: MatchHow): MatchedIoc {
  const match: MatchedIoc = { field, ip: ioc.ip, port, portMatch: port === null || ioc.port === null ? null : port === ioc.port, ioc };
  const kind = kindOf(ioc);
  if (kind !== 'ipv4') match.kind = kind;
  if (seen !== undefined && seen !== ioc.ip) match.seen = seen;
  if (how !== undefined) match.how = how;
  return match;
}

const urlHostsOfSet = new WeakMap<IocSet, ReadonlyMap<string, Ioc[]>>();

/** The canonical host of each URL IOC (an address, bracket-free, or a domain), for the weaker "host of a URL IOC" match. */
export function urlHosts(iocs: IocSet): ReadonlyMap<string, Ioc[]> {
  // read once per set: the address matcher, the domain matcher and the raw-text search all want them
  const known = urlHostsOfSet.get(iocs);
  if (known) return known;
  const hosts = new Map<string, Ioc[]>();
  for (const ioc of iocs.ofKinds('url')) {
    const host = normaliseUrl(ioc.ip)?.host;
    if (host === undefined) continue;
    const list = hosts.get(host);
    if (list) list.push(ioc);
    else hosts.set(host, [ioc]);
  }
  urlHostsOfSet.set(iocs, hosts);
  return hosts;
}

export function portOf(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port <= 65535 ? port : null;
}

/** Several IOCs may share an IP with different ports: prefer the one whose port was seen. */
function pickIoc(candidates: readonly Ioc[], port: number | null): Ioc {
  return candidates.find((ioc) => ioc.port !== null && ioc.port === port) ?? candidates[0];
}

/**
 * Finds one kind of IOC in a record's watched fields. The record verdict asks
 * each matcher of the plan in turn: another IOC kind (a domain, a hash) is
 * another small matcher, not another branch in the scan.
 */
export interface IocMatcher {
  match(fields: RecordFields, spec: TableSpec): MatchedIoc[];
  /** The unknown-table rule: IOCs that whole column values are, for a record no catalogued table names. */
  matchEveryColumn?(columns: Iterable<{ name: string; value: string }>): MatchedIoc[];
}

/** How each kind of watched field holds its addresses. */
const ADDRESSES_IN: Record<WatchedField['kind'], (value: string) => readonly AddressText[]> = {
  address: (value) => listOf(readAddress(value)),
  url: (value) => listOf(readUrlHost(value)),
  'address-list': readAddressList,
  'text-addresses': readTextAddresses,
};

function listOf(address: AddressText | null): readonly AddressText[] {
  return address ? [address] : [];
}

/** What an address value is found as: an address IOC, a range holding it, or the host of a URL IOC. */
interface AddressFound {
  candidates: readonly Ioc[];
  seen?: string;
  how?: MatchHow;
}

/**
 * IOC addresses (with the port seen beside them) in address and URL fields:
 * IPv4 and IPv6 address IOCs exactly, CIDR range IOCs by prefix lookup, and
 * URL IOCs on an address by their host.
 */
export class AddressMatcher implements IocMatcher {
  private readonly ranges: AddressRanges;
  private readonly urlHosts: Map<string, Ioc[]>;
  private readonly hasIpv6: boolean;
  /** The built-in set (IPv4 only): one exact lookup per value, as ever. */
  private readonly exactOnly: boolean;

  constructor(
    private readonly iocs: IocSet,
    private readonly kqlParity: boolean,
  ) {
    this.ranges = new AddressRanges(iocs.ofKinds('cidr'));
    this.urlHosts = new Map([...urlHosts(iocs)].filter(([host]) => canonicalIp(host) !== null));
    this.hasIpv6 = iocs.ofKinds('ipv6').length > 0;
    this.exactOnly = kqlParity || (this.ranges.size === 0 && this.urlHosts.size === 0 && !this.hasIpv6);
  }

  fieldsFor(spec: TableSpec): readonly WatchedField[] {
    return this.kqlParity ? spec.watched.filter((w) => w.parity) : spec.watched;
  }

  match(fields: RecordFields, spec: TableSpec): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const watched of this.fieldsFor(spec)) {
      const value = fields.get(watched.column);
      if (value === null) continue;
      // The KQL compares with `in`, exact and case-sensitive: so does parity mode.
      const addresses = this.kqlParity ? [{ ip: value, port: null }] : ADDRESSES_IN[watched.kind](value);
      const columnPort = () => (watched.portColumn ? portOf(fields.get(watched.portColumn)) : null);
      this.collect(addresses, watched.name, columnPort, found);
    }
    return found;
  }

  /**
   * The unknown-table rule: every column of a record no catalogued table
   * names is read as one address value (never a list, never free text), so
   * only an exact value after the usual reduction is a hit.
   */
  matchEveryColumn(columns: Iterable<{ name: string; value: string }>): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const { name, value } of columns) this.collect(listOf(readAddress(value)), name, () => null, found);
    return found;
  }

  /** One match per column per IOC. */
  private collect(addresses: readonly AddressText[], field: string, columnPort: () => number | null, into: MatchedIoc[]): void {
    const start = into.length;
    for (const address of addresses) {
      const exact = this.iocs.lookup(address.ip);
      const at: AddressFound | undefined = exact ? { candidates: exact } : this.exactOnly ? undefined : this.beyondExact(address.ip);
      if (!at) continue;
      // a port written into the value itself wins over the port column
      const port = address.port ?? columnPort();
      const ioc = pickIoc(at.candidates, port);
      if (into.some((m, i) => i >= start && m.ioc === ioc)) continue;
      into.push(matchOf(field, ioc, port, at.seen, at.how));
    }
  }

  /**
   * An address not found as written: its canonical form (IPv6 compressed,
   * lower case, zone dropped), then the ranges, then the hosts of URL IOCs.
   * An IPv4 address counts only as written in dotted form (no leading zeros;
   * `::ffff:` and dotted is already reduced by readAddress): an all-hex
   * mapped spelling is not read as IPv4.
   */
  private beyondExact(text: string): AddressFound | undefined {
    let family: 'ipv4' | 'ipv6';
    let address: string;
    if (text.includes(':')) {
      if (!this.hasIpv6 && !this.ranges.has('ipv6') && this.urlHosts.size === 0) return undefined;
      const ip = canonicalIp(text);
      if (ip === null || ip.kind !== 'ipv6') return undefined;
      family = 'ipv6';
      address = ip.value;
      const exact = this.iocs.lookup(address);
      if (exact) return { candidates: exact, seen: address };
    } else {
      if (canonicalIpv4(text) !== text) return undefined;
      family = 'ipv4';
      address = text;
    }
    const ranges = this.ranges.lookup(family, address);
    if (ranges) return { candidates: ranges, seen: address, how: 'in-range' };
    const hosts = this.urlHosts.get(address);
    return hosts ? { candidates: hosts, seen: address, how: 'url-host' } : undefined;
  }

}
