import type { RecordFields } from '../record/source-record.js';
import type { TableSpec } from '../tables/table-specs.js';
import { canonicalDomain, canonicalHash, canonicalIp, normaliseUrl } from './canonical.js';
import type { Ioc, IocSet } from './ioc-set.js';
import { IocIndex } from './ioc-index.js';
import { matchOf, urlHosts, type IocMatcher, type MatchedIoc } from './match-record.js';
import { stripWrapping } from './ip-text.js';

// Domain, URL and hash IOCs in the columns the table catalogue gives each
// kind (docs/hits.md). A column value goes through the same canonical
// function as the IOC (lib/iocs/indicator.ts) and is then compared as a
// string: never a substring of free text. The IOCs were read once, when the
// set was loaded; nothing here parses an IOC again.

function indexBy(iocs: readonly Ioc[]): IocIndex<string, Ioc> {
  const index = new IocIndex<string, Ioc>();
  for (const ioc of iocs) index.add(ioc.ip, ioc);
  return index;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The host a URL column's value names, with its port (explicit, or its
 * scheme's default): `https://a.evil.example:8443/x` is `a.evil.example`,
 * 8443; a bare `sync.1rx.io` (DeviceNetworkEvents RemoteUrl) is itself.
 */
export function hostOfUrlValue(value: string): { host: string; port: number | null } | null {
  const text = stripWrapping(value);
  const url = normaliseUrl(text);
  if (url) return { host: url.host, port: url.port };
  const host = hostOfHostValue(text.replace(SCHEME, '').replace(/^\/\//, '').replace(/[/?#].*$/, ''));
  return host === null ? null : { host, port: null };
}

/** A host column's value as a canonical domain, or null (an address is the address matcher's). */
export function hostOfHostValue(value: string): string | null {
  const text = stripWrapping(value);
  if (text === '' || canonicalIp(text) !== null) return null;
  return canonicalDomain(text);
}

/**
 * Domain IOCs in host columns and in the host of URL columns: the host is
 * the domain (exact) or ends with `.` and the domain (a subdomain); the
 * narrowest domain IOC names the hit. The host of a URL IOC seen there
 * (exactly) is the weaker `url-host` match.
 */
export class DomainMatcher implements IocMatcher {
  private readonly domains: IocIndex<string, Ioc>;
  private readonly urlHosts: Map<string, Ioc[]>;

  constructor(iocs: IocSet) {
    this.domains = indexBy(iocs.ofKinds('domain'));
    this.urlHosts = new Map([...urlHosts(iocs)].filter(([host]) => canonicalIp(host) === null));
  }

  match(fields: RecordFields, spec: TableSpec): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const { name, column } of spec.hostColumns) {
      const value = fields.get(column);
      const host = value === null ? null : hostOfHostValue(value);
      if (host !== null) this.matchHost(name, host, null, found);
    }
    for (const { name, column } of spec.urlColumns) {
      const value = fields.get(column);
      const url = value === null ? null : hostOfUrlValue(value);
      if (url !== null && canonicalIp(url.host) === null) this.matchHost(name, url.host, url.port, found);
    }
    return found;
  }

  private matchHost(field: string, host: string, port: number | null, into: MatchedIoc[]): void {
    // the host itself, then each parent domain: as many lookups as the host has labels
    for (let at = 0; at >= 0; at = host.indexOf('.', at) + 1 || -1) {
      const suffix = at === 0 ? host : host.slice(at);
      const domains = this.domains.get(suffix);
      if (domains) {
        const ioc = domains.find((d) => d.port !== null && d.port === port) ?? domains[0];
        into.push(matchOf(field, ioc, port, host, at === 0 ? undefined : 'subdomain'));
        break;
      }
    }
    const hosts = this.urlHosts.get(host);
    if (hosts) into.push(matchOf(field, hosts[0], port, host, 'url-host'));
  }
}

/**
 * URL IOCs in URL columns, both sides normalised (normaliseUrl); an IOC
 * written without a scheme is compared with the value less its scheme.
 */
export class UrlMatcher implements IocMatcher {
  private readonly urls: IocIndex<string, Ioc>;

  constructor(iocs: IocSet) {
    this.urls = indexBy(iocs.ofKinds('url'));
  }

  match(fields: RecordFields, spec: TableSpec): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const { name, column } of spec.urlColumns) {
      const value = fields.get(column);
      const url = value === null ? null : this.find(value);
      if (url) found.push(matchOf(name, url.ioc, url.port, url.value));
    }
    return found;
  }

  /** The URL IOC a URL column's value is, with the value normalised and its port. */
  find(value: string): { ioc: Ioc; value: string; port: number | null } | null {
    const url = normaliseUrl(stripWrapping(value));
    if (url === null) return null;
    const iocs = this.urls.get(url.value) ?? this.urls.get(url.value.replace(SCHEME, ''));
    return iocs ? { ioc: iocs[0], value: url.value, port: url.port } : null;
  }
}

/** MD5, SHA-1 and SHA-256 IOCs in hash columns, any case. */
export class HashMatcher implements IocMatcher {
  private readonly hashes: IocIndex<string, Ioc>;

  constructor(iocs: IocSet) {
    this.hashes = indexBy(iocs.ofKinds('md5', 'sha1', 'sha256'));
  }

  match(fields: RecordFields, spec: TableSpec): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const { name, column } of spec.hashColumns) {
      const value = fields.get(column);
      const hash = value === null ? null : canonicalHash(stripWrapping(value), 'hash');
      const iocs = hash === null ? undefined : this.hashes.get(hash.value);
      if (iocs) found.push(matchOf(name, iocs[0], null));
    }
    return found;
  }
}
