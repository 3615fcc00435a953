import { canonicalCidr, canonicalHash, canonicalDomain, normaliseUrl, parseAddressPort, MAX_TEXT } from '../matcher/canonical.js';

export { canonicalCidr, canonicalDomain, canonicalHash, canonicalIp, canonicalIpv4, cidrContains, normaliseUrl, parseAddressPort } from '../matcher/canonical.js';

// The typed indicator model: every IOC a feed gives, whatever its format,
// becomes one Indicator of one kind, its value in one canonical text, so that
// "is this the same IOC" and "does this log value hold it" are plain string
// (or prefix) comparisons once both sides went through the same function
// (lib/matcher/canonical.ts, shared with the matchers).

export type IndicatorKind = 'ipv4' | 'ipv6' | 'cidr' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

export const INDICATOR_KINDS: readonly IndicatorKind[] = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'];

/** What a feed says about an IOC besides its value; null (or []) where it says nothing. */
export interface IndicatorMeta {
  threatType: string | null;
  malware: string | null;
  /** 0–100. */
  confidence: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
  validFrom: string | null;
  validUntil: string | null;
  labels: string[];
  name: string | null;
  /** The feed's own id: STIX indicator id, MISP attribute uuid, ThreatFox ioc_id. */
  sourceId: string | null;
}

export interface Indicator extends IndicatorMeta {
  kind: IndicatorKind;
  /**
   * Canonical text: ipv4 `198.51.100.7`; ipv6 RFC 5952 (`2001:db8::1`);
   * cidr `network/prefix` (`198.51.100.0/24`, `2001:db8::/32`); domain
   * lower-case punycode without trailing dot; url see normaliseUrl; hashes
   * lower-case hex.
   */
  value: string;
  /** ip:port (or domain:port): the port the IOC names, null for any. */
  port: number | null;
  /** The IOC file it came from, and the 1-based line where it is written. */
  sourceFile: string;
  line: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** What a feed says a value is, before it is read: a kind, or a family whose member is told by the value's shape. */
export type Expectation = IndicatorKind | 'address' | 'hash' | 'any';

export interface IndicatorValue {
  kind: IndicatorKind;
  value: string;
  port: number | null;
}

/** The domain of a `host:port` value (ThreatFox and plain lists write none, but a list may). */
function domainPort(text: string): IndicatorValue | null {
  // no colon, no line break (which `.` does not match): all of it is the domain, read without the pattern
  if (!/[:\n\r\u2028\u2029]/.test(text)) {
    const domain = canonicalDomain(text);
    return domain === null ? null : { kind: 'domain', value: domain, port: null };
  }
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(text);
  const domain = m ? canonicalDomain(m[1]) : null;
  const port = m?.[2] === undefined ? null : Number(m[2]);
  return domain !== null && (port === null || port <= 65535) ? { kind: 'domain', value: domain, port } : null;
}

function asAddress(text: string): IndicatorValue | null {
  const cidr = canonicalCidr(text);
  if (cidr !== null) return { kind: 'cidr', value: cidr, port: null };
  const address = parseAddressPort(text);
  return address ? { kind: address.kind, value: address.value, port: address.port } : null;
}

/** Reads a (refanged) value as the feed says it is; null when it is not one. */
export function readIndicatorValue(text: string, expect: Expectation): IndicatorValue | null {
  const s = text.trim();
  if (s.length === 0 || s.length > MAX_TEXT) return null;
  switch (expect) {
    case 'ipv4':
    case 'ipv6':
    case 'cidr':
    case 'address': {
      const address = asAddress(s);
      return address && (expect === 'address' || address.kind === expect) ? address : null;
    }
    case 'domain':
      return domainPort(s);
    case 'url': {
      const url = normaliseUrl(s);
      return url ? { kind: 'url', value: url.value, port: null } : null;
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'hash': {
      const hash = canonicalHash(s, expect);
      return hash ? { kind: hash.kind, value: hash.value, port: null } : null;
    }
    case 'any': {
      const hash = canonicalHash(s, 'hash');
      if (hash) return { kind: hash.kind, value: hash.value, port: null };
      const address = asAddress(s);
      if (address) return address;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return readIndicatorValue(s, 'url');
      return domainPort(s) ?? (s.includes('/') ? readIndicatorValue(s, 'url') : null);
    }
  }
}
