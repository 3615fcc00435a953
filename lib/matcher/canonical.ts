import { ipaddr, type IPv4, type IPv6 } from './ipaddr-lib.js';
import { domainToASCII } from 'node:url';

// The canonical text of each kind of value, one function per kind: an IOC
// (lib/iocs/indicator.ts) and a log column's value go through the same
// function, so that "does this value hold that IOC" is a plain string (or
// prefix) comparison. IPv6 parsing and canonical forms come from ipaddr.js,
// not from a hand-written parser: IPv6 text has too many legal spellings to
// get right by regular expressions. Kept here, below both the matchers and
// the feed readers, so both use the very same functions.

/** The longest IOC or URL text read. */
export const MAX_TEXT = 2048;
const HEX = /^[0-9a-f]+$/i;
const HASH_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha256: 64 };

/** Four decimal parts, each 0–255, written back without leading zeros; null otherwise. */
export function canonicalIpv4(text: string): string | null {
  // read by hand: this runs for every address of a feed and every address token of a log,
  // and the plain form (no leading zero) is its own canonical text, so nothing is built for it
  const length = text.length;
  if (length < 7 || length > 15) return null;
  let dots = 0;
  let digits = 0;
  let octet = 0;
  let leadingZero = false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 3) return null;
      if (digits > 0 && octet === 0) leadingZero = true;
      octet = octet * 10 + c - 0x30;
      digits++;
    } else if (c === 0x2e && digits > 0 && dots < 3 && octet <= 255) {
      dots++;
      digits = 0;
      octet = 0;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return null;
  return leadingZero ? text.split('.').map(Number).join('.') : text;
}

/**
 * An IP address in any textual form: IPv4; IPv6 compressed or not, any case,
 * with a zone id (`fe80::1%eth0`, dropped); an IPv4-mapped IPv6 address
 * (`::ffff:198.51.100.7`) is reduced to its IPv4 address.
 */
export function canonicalIp(text: string): { kind: 'ipv4' | 'ipv6'; value: string } | null {
  const s = text.trim();
  if (s.length === 0 || s.length > 100) return null;
  const v4 = canonicalIpv4(s);
  if (v4 !== null) return { kind: 'ipv4', value: v4 };
  if (!s.includes(':')) return null;
  const bare = s.replace(/%[^%]*$/, '');
  // ipaddr's parsing is slow: a URL or a host name is no IPv6 address, and is told at once
  if (!bare.includes(':') || !/^[0-9a-f:.]+$/i.test(bare)) return null;
  const address = parseIpv6(bare);
  if (address === null) return null;
  if (address.isIPv4MappedAddress()) return { kind: 'ipv4', value: address.toIPv4Address().toString() };
  return { kind: 'ipv6', value: address.toRFC5952String() };
}

/** ipaddr's reading of an IPv6 address, or null: parsed once (its isValid parses too, so checking first parsed every address twice). */
function parseIpv6(text: string): IPv6 | null {
  try {
    return ipaddr.IPv6.parse(text);
  } catch {
    return null;
  }
}

/**
 * An address with an optional port: `198.51.100.7`, `198.51.100.7:443`,
 * `[2001:db8::1]:443`, `[2001:db8::1]`, `2001:db8::1`. An unbracketed IPv6
 * address never loses its last group as a port.
 */
export function parseAddressPort(text: string): { kind: 'ipv4' | 'ipv6'; value: string; port: number | null } | null {
  const s = text.trim();
  return ipv4Port(s) ?? addressPort(s);
}

/** `198.51.100.7` or `198.51.100.7:443`, the shapes of most feed lines, read without patterns; null for any other (then read by addressPort). */
function ipv4Port(s: string): { kind: 'ipv4'; value: string; port: number | null } | null {
  const colon = s.indexOf(':');
  if (colon < 0) {
    const value = canonicalIpv4(s);
    return value === null ? null : { kind: 'ipv4', value, port: null };
  }
  const portDigits = s.length - colon - 1;
  if (portDigits < 1 || portDigits > 5) return null;
  let port = 0;
  for (let i = colon + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    port = port * 10 + c - 0x30;
  }
  const value = port > 65535 ? null : canonicalIpv4(s.slice(0, colon));
  return value === null ? null : { kind: 'ipv4', value, port };
}

/** parseAddressPort's general reading (bracketed IPv6, IPv6, ip:port), by patterns. */
function addressPort(s: string): { kind: 'ipv4' | 'ipv6'; value: string; port: number | null } | null {
  let host = s;
  let port: number | null = null;
  const bracketed = /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(s);
  const v4port = /^([\d.]+):(\d{1,5})$/.exec(s);
  if (bracketed) {
    host = bracketed[1];
    port = bracketed[2] === undefined ? null : Number(bracketed[2]);
  } else if (v4port) {
    host = v4port[1];
    port = Number(v4port[2]);
  }
  if (port !== null && port > 65535) return null;
  const ip = canonicalIp(host);
  return ip ? { ...ip, port } : null;
}

function parseRange(text: string): { address: IPv4 | IPv6; prefix: number } | null {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const prefix = Number(m[2]);
  const v4 = canonicalIpv4(m[1]);
  if (v4 !== null) return prefix <= 32 ? { address: ipaddr.IPv4.parse(v4), prefix } : null;
  const bare = m[1].replace(/%[^%]*$/, '');
  if (!bare.includes(':') || !ipaddr.IPv6.isValid(bare) || prefix > 128) return null;
  const address = ipaddr.IPv6.parse(bare);
  // a range inside the IPv4-mapped block (`::ffff:198.51.100.0/120`) is that IPv4 range,
  // as a mapped address is its IPv4 address
  if (address.isIPv4MappedAddress() && prefix >= 96) return { address: address.toIPv4Address(), prefix: prefix - 96 };
  return { address, prefix };
}

/** A CIDR range as `network/prefix` (host bits cleared, IPv6 in RFC 5952 form); null when not one. */
export function canonicalCidr(text: string): string | null {
  if (text.length > 110 || !text.includes('/')) return null;
  const range = parseRange(text);
  if (!range) return null;
  const bytes = range.address.toByteArray();
  for (let bit = range.prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  const network = ipaddr.fromByteArray(bytes);
  const shown = network.kind() === 'ipv6' ? (network as IPv6).toRFC5952String() : network.toString();
  return `${shown}/${range.prefix}`;
}

/** Whether a canonical CIDR (`198.51.100.0/24`) contains an address (any textual form canonicalIp reads). */
export function cidrContains(cidr: string, address: string): boolean {
  const range = parseRange(cidr);
  const ip = canonicalIp(address);
  if (!range || !ip) return false;
  const parsed = ipaddr.parse(ip.value);
  return parsed.kind() === range.address.kind() && parsed.match(range.address, range.prefix);
}

/**
 * A domain name: lower-case, without its trailing dot, an IDN in punycode
 * (`bücher.example` is `xn--bcher-kva.example`). Labels of letters, digits,
 * `-` and `_`, a top-level label that is not all digits.
 */
export function canonicalDomain(text: string): string | null {
  const s = text.trim().replace(/\.$/, '');
  if (s.length === 0 || s.length > 253 || !s.includes('.')) return null;
  // domainToASCII accepts `_`-less names only; keep `_` (SRV-like names in DNS logs) by checking ASCII ourselves
  const ascii = /^[\x21-\x7e]+$/.test(s) ? s.toLowerCase() : domainToASCII(s);
  return ascii !== '' && isHostName(ascii) ? ascii : null;
}

/**
 * Labels of 1–63 of `a-z0-9_-`, none starting or ending with `-`, split by
 * single dots; the last not all digits. Read by hand, once over the text: it
 * runs for every domain of a feed and every host a log names.
 */
function isHostName(ascii: string): boolean {
  let labelStart = 0;
  let allDigits = true;
  for (let i = 0; i <= ascii.length; i++) {
    const c = i === ascii.length ? 0x2e : ascii.charCodeAt(i);
    if (c === 0x2e) {
      const length = i - labelStart;
      if (length === 0 || length > 63 || ascii.charCodeAt(labelStart) === 0x2d || ascii.charCodeAt(i - 1) === 0x2d) return false;
      if (i === ascii.length) return !allDigits;
      labelStart = i + 1;
      allDigits = true;
    } else if (c >= 0x30 && c <= 0x39) {
      // a digit: the label may still be all digits
    } else if ((c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d) {
      allDigits = false;
    } else {
      return false;
    }
  }
  return false;
}

/** Each scheme's default port, dropped from a URL's canonical text. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443, ftp: 21 };
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** `%41` → `A` where the byte is an unreserved character; other escapes kept, their hex upper-cased. */
function decodeUnreserved(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * A URL in one canonical text: scheme and host lower-cased, the host in
 * canonical form (punycode, IPv6 bracketed in RFC 5952 form, mapped IPv4
 * reduced), the scheme's default port dropped, percent-escapes of unreserved
 * characters decoded (other escapes' hex upper-cased), the fragment dropped,
 * an empty path written `/`. User info, path and query are otherwise kept as
 * written. A URL without scheme (`evil.example/x`) stays without one.
 */
export function normaliseUrl(text: string): { value: string; host: string; port: number | null } | null {
  let s = text.trim();
  if (s.length === 0 || s.length > MAX_TEXT || /\s/.test(s)) return null;
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : null;
  let rest = schemeMatch ? s.slice(schemeMatch[0].length) : s.replace(/^\/\//, '');
  const end = rest.search(/[/?\\]/);
  let authority = end < 0 ? rest : rest.slice(0, end);
  rest = end < 0 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  authority = authority.slice(at + 1);
  // `[v6]:port`, `host:port`, `host`; an unbracketed IPv6 address in a URL is not one
  const split = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{0,5}))?$/.exec(authority);
  if (!split) return null;
  const hostText = split[1];
  let port = split[2] === undefined || split[2] === '' ? null : Number(split[2]);
  if (port !== null && port > 65535) return null;
  let host: string | null;
  if (hostText.startsWith('[') && hostText.endsWith(']')) {
    const ip = canonicalIp(hostText.slice(1, -1));
    host = ip === null ? null : ip.kind === 'ipv6' ? `[${ip.value}]` : ip.value;
  } else {
    host = canonicalIpv4(hostText) ?? canonicalDomain(hostText);
  }
  if (host === null) return null;
  if (scheme !== null && port === DEFAULT_PORTS[scheme]) port = null;
  if (scheme === null && rest === '') return null; // a bare host (and port) is a domain, not a URL
  const path = decodeUnreserved(rest === '' || rest.startsWith('?') ? `/${rest}` : rest);
  const value = `${scheme === null ? '' : `${scheme}://`}${decodeUnreserved(userinfo)}${host}${port === null ? '' : `:${port}`}${path}`;
  const bareHost = host.startsWith('[') ? host.slice(1, -1) : host;
  return { value, host: bareHost, port: port ?? (scheme === null ? null : (DEFAULT_PORTS[scheme] ?? null)) };
}

/** A hash of the named kind (or, for `hash`, any of the three by its length): lower-case hex. */
export function canonicalHash(text: string, kind: 'md5' | 'sha1' | 'sha256' | 'hash'): { kind: 'md5' | 'sha1' | 'sha256'; value: string } | null {
  const s = text.trim();
  if (!HEX.test(s)) return null;
  const byLength = (Object.keys(HASH_LENGTH) as Array<'md5' | 'sha1' | 'sha256'>).find((k) => HASH_LENGTH[k] === s.length);
  if (byLength === undefined || (kind !== 'hash' && kind !== byLength)) return null;
  return { kind: byLength, value: s.toLowerCase() };
}
