import { parseIocValue } from '../matcher/ioc-set.js';
import { readUrlHost } from '../matcher/ip-text.js';
import { refang } from './defang.js';
import type { IocRow } from './ioc-rows.js';

// Which IOCs this tool can look for. The tables it reads record connections
// by address, so only IPv4 `ip:port` and bare `ip` IOCs apply; a domain, a URL
// path or a file hash cannot be found in these columns, and is counted apart
// under its type (never silently dropped). An IPv6 address is counted apart
// too: the matcher compares IPv4 text only.

export type Classified =
  | { kind: 'ip'; ip: string; port: number | null; value: string }
  | { kind: 'not-applicable'; type: string }
  | { kind: 'bad'; message: string };

const HASH_TYPES: Record<number, string> = { 32: 'md5_hash', 40: 'sha1_hash', 64: 'sha256_hash' };
const IPV6 = /^\[?[0-9a-f]*:[0-9a-f:.]*\]?(?::\d{1,5})?$/i;
const DOMAIN = /^(?=.{1,253}(?::\d{1,5})?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::\d{1,5})?$/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** An IPv4 address or ip:port, as the matcher needs it; null when the text is not one. */
function ipv4(value: string): Classified | null {
  const parsed = parseIocValue(value);
  return parsed ? { kind: 'ip', ip: parsed.ip, port: parsed.port, value } : null;
}

/** An untyped line of a plain list: what it looks like decides. */
function untyped(value: string): Classified {
  const ip = ipv4(value);
  if (ip) return ip;
  if (URL_LIKE.test(value)) {
    // A list has no type to say otherwise: a URL on an IP address names that
    // address, with the URL's port or its scheme's (as RemoteUrl is read).
    const host = readUrlHost(value);
    const address = host ? parseIocValue(host.port === null ? host.ip : `${host.ip}:${host.port}`) : null;
    return address ? { kind: 'ip', ip: address.ip, port: address.port, value } : { kind: 'not-applicable', type: 'url' };
  }
  if (/^[0-9a-f]+$/i.test(value) && HASH_TYPES[value.length]) return { kind: 'not-applicable', type: HASH_TYPES[value.length] };
  if (IPV6.test(value) && value.includes(':')) return { kind: 'not-applicable', type: 'ipv6' };
  if (DOMAIN.test(value)) return { kind: 'not-applicable', type: 'domain' };
  return { kind: 'bad', message: `"${value}" is not an IP, ip:port, URL, domain or hash` };
}

export function classifyIoc(row: IocRow): Classified {
  const value = refang(row.value);
  if (row.type === null) return untyped(value);
  const type = row.type.toLowerCase();
  if (type === 'ip:port' || type === 'ip') {
    const ip = ipv4(value);
    if (ip) return ip;
    if (IPV6.test(value)) return { kind: 'not-applicable', type: `${type} (IPv6)` };
    return { kind: 'bad', message: `"${row.value}" is typed ${row.type} but is not an IPv4 ${type}` };
  }
  // The source typed it: a url, domain or hash is counted under that type,
  // even when a URL happens to be on an IP address.
  return { kind: 'not-applicable', type };
}
