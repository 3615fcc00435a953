import { ipaddr } from '../matcher/ipaddr-lib.js';
import { DEFAULT_PORTS } from '../matcher/canonical.js';
import { regexLiteral } from './kql-text.js';

// URL IOCs as one regular expression over a URL column's (unwrapped) value.
// KQL cannot normalise a URL the way the scan does (it has no "decode only
// the unreserved escapes"), so the expression goes the other way: from each
// IOC's canonical text (lib/matcher/canonical.ts normaliseUrl) to every
// spelling of a value that normalises to it: scheme and host in any case, the
// scheme's default port written or not, an unreserved character written as
// itself or as its escape, other escapes' hex in any case, an empty path for
// `/`, any fragment. Written in the syntax RE2 (Kusto) and JavaScript share,
// so a test can run it against normaliseUrl itself.

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const HEX = /^[0-9A-Fa-f]$/;
const ANY_SCHEME = String.raw`[A-Za-z][A-Za-z0-9+.\-]*://`;

/** One character as the regular expression's literal: anything beyond printable ASCII as an escape, so no IOC text reaches the query raw. */
function literal(char: string): string {
  const code = char.codePointAt(0)!;
  if (code > 0x20 && code < 0x7f) return regexLiteral(char);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\x{${code.toString(16)}}`;
}

/** Letters in either case. */
export function anyCase(text: string): string {
  return [...text].map((c) => (/^[A-Za-z]$/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : literal(c))).join('');
}

/** Canonical text (unreserved escapes decoded, others upper-cased) in every spelling that decodes to it. */
function escapedText(text: string): string {
  const chars = [...text];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '%' && HEX.test(chars[i + 1] ?? '') && HEX.test(chars[i + 2] ?? '')) {
      out += `%${anyCase(chars[i + 1] + chars[i + 2])}`;
      i += 2;
    } else if (UNRESERVED.test(c)) {
      out += `(?:${literal(c)}|%${anyCase(c.charCodeAt(0).toString(16).toUpperCase())})`;
    } else {
      out += literal(c);
    }
  }
  return out;
}

/** A decimal number with the leading zeros a 5-digit port (or 3-digit octet) may carry. */
function zeroPadded(number: string, width: number): string {
  if (number === '0') return `0{1,${width}}`;
  return width > number.length ? `0{0,${width - number.length}}${number}` : number;
}

/** Every hexadecimal spelling of an IPv6 address: any case, leading zeros, `::` for any run of zero groups. */
export function ipv6Spellings(address: string): string {
  const parts = ipaddr.IPv6.parse(address).parts;
  const groups = parts.map((n) => {
    if (n === 0) return '0{1,4}';
    const hex = n.toString(16);
    return `${hex.length < 4 ? `0{0,${4 - hex.length}}` : ''}${anyCase(hex)}`;
  });
  const spellings = [groups.join(':')];
  for (let from = 0; from < 8; from++) {
    for (let to = from + 1; to <= 8 && parts[to - 1] === 0; to++) spellings.push(`${groups.slice(0, from).join(':')}::${groups.slice(to).join(':')}`);
  }
  return `(?:${spellings.join('|')})`;
}

/** A URL's host as normaliseUrl reads it to this canonical host. */
function hostPattern(host: string): string {
  if (host.startsWith('[')) return `\\[${ipv6Spellings(host.slice(1, -1))}\\]`;
  if (/^\d+(?:\.\d+){3}$/.test(host)) {
    const octets = host.split('.');
    // an IPv4-mapped IPv6 host in brackets is its IPv4 address
    return `(?:${octets.map((o) => zeroPadded(o, 3)).join('\\.')}|\\[(?:::|(?:0{1,4}:){5})[fF]{4}:${octets.join('\\.')}\\])`;
  }
  // one trailing dot is dropped
  return `${anyCase(host)}\\.?`;
}

function portPattern(port: string): string {
  return `:${zeroPadded(port, 5)}`;
}

interface UrlParts {
  scheme: string | null;
  userinfo: string;
  host: string;
  port: string | null;
  rest: string;
}

/** The parts of a canonical URL (normaliseUrl's value: every URL IOC's). */
function partsOf(canonical: string): UrlParts {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?\\]*)(.*)$/s.exec(canonical)!;
  const at = m[2].lastIndexOf('@');
  const hostPort = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(m[2].slice(at + 1));
  // never: normaliseUrl writes every URL IOC in this form; a URL left out here would be dropped in silence
  if (!hostPort) throw new Error(`${JSON.stringify(canonical)} is not a canonical URL`);
  return { scheme: m[1] ?? null, userinfo: m[2].slice(0, at + 1), host: hostPort[1], port: hostPort[2] ?? null, rest: m[3] };
}

/** The path and query: `/` may be left out after a scheme, and a leading `/?` may be written `?`. */
function restPattern(rest: string, withScheme: boolean): string {
  if (rest === '/') return withScheme ? '/?' : '/';
  if (rest.startsWith('/?')) return `/?\\?${escapedText(rest.slice(2))}`;
  return escapedText(rest);
}

/**
 * The spellings of a value that normalise to this canonical URL, or that
 * less their scheme equal it when it has none (the scan compares a
 * scheme-less URL IOC with the value less its scheme).
 */
export function urlSpellings(canonical: string): string {
  const url = partsOf(canonical);
  const authority = (port: string) => `${escapedText(url.userinfo)}${hostPattern(url.host)}${port}`;
  if (url.scheme !== null) {
    const defaultPort = DEFAULT_PORTS[url.scheme];
    const port = url.port !== null ? portPattern(url.port) : defaultPort === undefined ? '(?::)?' : `(?::(?:${zeroPadded(String(defaultPort), 5)})?)?`;
    return `${anyCase(url.scheme)}://${authority(port)}${restPattern(url.rest, true)}`;
  }
  const port = url.port === null ? '(?::)?' : portPattern(url.port);
  const spellings = [
    // written without a scheme: a path is needed (a bare host is a domain)
    `(?://)?${authority(port)}${restPattern(url.rest, false)}`,
    // any scheme (one whose default port equals this port matches too: see docs/kql.md)
    `${ANY_SCHEME}${authority(port)}${restPattern(url.rest, true)}`,
  ];
  if (url.port === null) {
    // a scheme's own default port is dropped before the comparison
    const byPort = new Map<number, string[]>();
    for (const [scheme, p] of Object.entries(DEFAULT_PORTS)) byPort.set(p, [...(byPort.get(p) ?? []), anyCase(scheme)]);
    for (const [p, schemes] of byPort) spellings.push(`(?:${schemes.join('|')})://${authority(portPattern(String(p)))}${restPattern(url.rest, true)}`);
  }
  return `(?:${spellings.join('|')})`;
}

/** One regular expression for a URL column's whole unwrapped value holding any of these URL IOCs (canonical texts). */
export function urlsPattern(canonicals: readonly string[]): string {
  return `^(?:${canonicals.map(urlSpellings).join('|')})(?:#\\S*)?$`;
}
