// How an address is written in a watched field (docs/hits.md): the value is
// reduced to a bare IPv4 text plus the port written into it, and only then
// compared exactly with the IOC set. Exact comparison after reduction is what
// keeps `179.43.139.840` or `1179.43.139.84` from ever matching.

export interface AddressText {
  ip: string;
  /** The port written into the value itself (`ip:port`, a URL's port), or null. */
  port: number | null;
}

const MAPPED_PREFIX = /^(?:::|(?:0{1,4}:){5})ffff:/i;
const TRAILING_PORT = /^(.*):(\d{1,5})$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, ftp: 21 };

export function stripWrapping(text: string): string {
  let s = text.trim();
  for (;;) {
    const first = s[0];
    const last = s[s.length - 1];
    if (s.length >= 2 && ((first === '"' && last === '"') || (first === "'" && last === "'"))) {
      s = s.slice(1, -1).trim();
    } else if (s.length >= 2 && first === '[' && last === ']') {
      s = s.slice(1, -1).trim();
    } else {
      return s;
    }
  }
}

function unmap(host: string): string {
  return MAPPED_PREFIX.test(host) ? host.replace(MAPPED_PREFIX, '') : host;
}

function isIpv4Text(s: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(s);
}

/** A host[:port] without scheme or path: `1.2.3.4`, `1.2.3.4:443`, `[::ffff:1.2.3.4]:443`. */
function splitHostPort(text: string): AddressText | null {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    const rest = text.slice(close + 1);
    const ip = unmap(text.slice(1, close).trim());
    if (rest === '') return { ip, port: null };
    const m = /^:(\d{1,5})$/.exec(rest);
    return m ? { ip, port: Number(m[1]) } : null;
  }
  const m = TRAILING_PORT.exec(text);
  if (m) {
    const host = unmap(m[1]);
    // `::ffff:1.2.3.4` must not lose its last group as a "port"; only strip a
    // port when what precedes it is a complete IPv4 address.
    if (isIpv4Text(host)) return { ip: host, port: Number(m[2]) };
  }
  return { ip: unmap(text), port: null };
}

/** An IP field value such as ` "::FFFF:179.43.139.84" ` or `179.43.139.86:443`. */
export function readAddress(value: string): AddressText | null {
  const s = stripWrapping(value);
  if (s === '') return null;
  return splitHostPort(s);
}

/**
 * The host of a URL when it is an IP literal, with its explicit port or its
 * scheme's default (null for a bare host). The path and query are never read:
 * `http://example.com/179.43.139.84` has host example.com.
 */
export function readUrlHost(value: string): AddressText | null {
  let s = stripWrapping(value);
  let scheme: string | null = null;
  const m = SCHEME.exec(s);
  if (m) {
    scheme = m[1].toLowerCase();
    s = s.slice(m[0].length);
  } else if (s.startsWith('//')) {
    s = s.slice(2);
  }
  const end = s.search(/[/?#\\\s]/);
  let authority = end < 0 ? s : s.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority === '') return null;
  const address = splitHostPort(authority);
  if (!address) return null;
  if (address.port === null && scheme !== null) {
    return { ip: address.ip, port: DEFAULT_PORTS[scheme] ?? null };
  }
  return address;
}

/**
 * Each address of a list value (DnsEvents `IPAddresses`, an `X-Forwarded-For`
 * chain): JSON array text, or items split on `,`, `;` and white space; each
 * item is read as one address value.
 */
export function readAddressList(value: string): AddressText[] {
  const s = value.trim();
  let items: string[] | null = null;
  if (s.startsWith('[') && s.endsWith(']') && s.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed)) items = parsed.filter((item) => typeof item === 'string' || typeof item === 'number').map(String);
    } catch {
      // not JSON: a bracketed address such as [::ffff:1.2.3.4]:443, split below
    }
  }
  items ??= s.split(/[,;\s]+/);
  const out: AddressText[] = [];
  for (const item of items) {
    const address = readAddress(item);
    if (address) out.push(address);
  }
  return out;
}

// An IPv4 token inside free text, cut as the raw-text search cuts it: no digit
// (or digit and dot) on either side, so `179.43.139.840` and `1.179.43.139.84`
// hold no address; `[::ffff:ip]` and a `:port` after it are read too.
const TEXT_ADDRESS = /(?<![0-9]|[0-9]\.)(\d{1,3}(?:\.\d{1,3}){3})(?![0-9]|\.[0-9])(?:\]?:(\d{1,5})(?![0-9]|\.[0-9]))?/g;

/** Each IPv4 address inside free text (AzureDiagnostics `msg_s`: `TCP request from 10.0.0.4:5123 to 1.2.3.4:443`). */
export function readTextAddresses(value: string): AddressText[] {
  const out: AddressText[] = [];
  for (const m of value.matchAll(TEXT_ADDRESS)) out.push({ ip: m[1], port: m[2] === undefined || Number(m[2]) > 65535 ? null : Number(m[2]) });
  return out;
}
