import { kqlVerbatim } from './kql-text.js';

// The address reading of docs/hits.md (lib/matcher/ip-text.ts) and the
// value reductions of docs/exclusions.md (lib/exclusions/compare.ts), as KQL functions
// declared with `let` at the top of each hunt. The regular expressions are
// written once, here, in the syntax RE2 (Kusto) and JavaScript share, so a
// test can run them in JavaScript against the matcher itself.
//
// Where KQL cannot follow the scan exactly: quotes and brackets around a
// value are taken off two levels deep (the scan: any depth), and `\s` is
// RE2's ASCII white space (the scan trims Unicode white space too).

const MAPPED = '(?:::|(?:0{1,4}:){5})[fF]{4}:';
const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;

/** One pair of surrounding quotes or brackets taken off, the inside trimmed: `\1\2\3`. */
export const UNWRAP = String.raw`^"\s*(.*?)\s*"$|^'\s*(.*?)\s*'$|^\[\s*(.*?)\s*\]$`;
/** A host (`[::ffff:ip]:port`, `::ffff:ip`, `ip:port`, `ip`) reduced to its IPv4 text: `\1\2`; anything else stays as it is. */
export const HOST = String.raw`^\[\s*(?:${MAPPED})?(${IPV4})\s*\](?::\d{1,5})?$|^(?:${MAPPED})?(${IPV4})(?::\d{1,5})?$`;
/** A URL's authority: after an optional scheme or `//`, up to the first `/ ? # \` or white space. */
export const AUTHORITY = String.raw`^(?:[A-Za-z][A-Za-z0-9+.\-]*://|//)?([^/?#\\\s]*)`;
/** The user information before a host, up to the last `@`. */
export const USERINFO = '^.*@';
/** A path's directories and a trailing `.exe`, for names compared by basename. */
export const DIRECTORY_OR_EXE = String.raw`^.*[/\\]|\.[eE][xX][eE]$`;
/** The account after the last `\` of `DOMAIN\name`, and the name before the first `@` of `name@domain`. */
export const AFTER_BACKSLASH = String.raw`\\([^\\]*)$`;
export const BEFORE_AT = '^([^@]+)@';
/**
 * Runs of digits joined by single dots: an IPv4 address stands alone in free
 * text exactly when its run is the address itself (`179.43.139.840` and
 * `1.179.43.139.84` are longer runs), the raw-text search's boundary rule.
 */
export const DIGIT_RUNS = String.raw`(\d+(?:\.\d+)*)`;

/** A dotted IPv4 address as the scan writes it (parts 0–255, no leading zeros): only such text is looked up in ranges. */
export const CANONICAL_IPV4 = String.raw`^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$`;
/** An IPv6 host: `[address]` (a port after it dropped) or the bare text: `\1\2`; anything else (a stray bracket) gives nothing. */
export const IPV6_HOST = String.raw`^\[\s*([^\]]*?)\s*\](?::\d{1,5})?$|^([^\[\]]*)$|^.*$`;
/** An IPv6 zone id (`%eth0`), dropped. */
export const ZONE = '%[^%]*$';
/** Each item of an address list that could be an IPv6 address: runs without white space, `,`, `;`, quotes or brackets. */
export const LIST_ITEM = String.raw`([^\s,;"'\[\]]+)`;
/** A domain name (already lower-cased): labels of letters, digits, `-` and `_`, at least two. */
export const DOMAIN_SHAPE = String.raw`^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$`;
/** A URL value that starts with a scheme. */
export const SCHEMED = String.raw`^[A-Za-z][A-Za-z0-9+.\-]*://`;
const PORT = String.raw`(?::(?:6553[0-5]|655[0-2]\d|65[0-4]\d\d|6[0-4]\d{3}|[0-5]?\d{1,4})?)?`;
/** The host of a URL with a scheme, between the user information and the port, as normaliseUrl reads it. */
export const URL_HOST = String.raw`^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#\\]*@)?([^/?#\\:@\[\]]*)${PORT}(?:[/?#\\]|$)`;
/** The host of a URL without a scheme: it needs a path, query or `\` after it (a bare host is no URL). */
export const BARE_URL_HOST = String.raw`^(?://)?(?:[^/?#\\]*@)?([^/?#\\:@\[\]]*)${PORT}[/?\\]`;
/** What the scan reads as a URL value's host when the value is no URL it can normalise: after the scheme and `//`, up to `/ ? #`. */
export const LOOSE_HOST = String.raw`^(?:[A-Za-z][A-Za-z0-9+.\-]*://)?(?://)?([^/?#]*)`;

export interface KqlFunction {
  name: string;
  declaration: string;
}

export const TRIM = String.raw`\s+`;

/** Every helper function, in dependency order. */
export const KQL_FUNCTIONS: readonly KqlFunction[] = [
  {
    name: 'ioc_unwrap',
    declaration: `let ioc_unwrap = (value:string) { replace_regex(trim(${kqlVerbatim(TRIM)}, value), ${kqlVerbatim(UNWRAP)}, @"\\1\\2\\3") };`,
  },
  {
    name: 'ioc_host',
    declaration: `let ioc_host = (host:string) { replace_regex(host, ${kqlVerbatim(HOST)}, @"\\1\\2") };`,
  },
  {
    name: 'ioc_address',
    declaration: 'let ioc_address = (value:string) { ioc_host(ioc_unwrap(ioc_unwrap(value))) };',
  },
  {
    name: 'ioc_url_host',
    declaration: `let ioc_url_host = (url:string) { ioc_host(replace_regex(extract(${kqlVerbatim(AUTHORITY)}, 1, ioc_unwrap(ioc_unwrap(url))), ${kqlVerbatim(USERINFO)}, "")) };`,
  },
  {
    // the IPv4 addresses inside free text or a list (AzureDiagnostics msg_s, DnsEvents IPAddresses)
    name: 'ioc_addresses',
    declaration: `let ioc_addresses = (value:string) { extract_all(${kqlVerbatim(DIGIT_RUNS)}, value) };`,
  },
  {
    name: 'base_name',
    declaration: `let base_name = (value:string) { replace_regex(trim(${kqlVerbatim(TRIM)}, value), ${kqlVerbatim(DIRECTORY_OR_EXE)}, "") };`,
  },
  {
    name: 'account_names',
    declaration: `let account_names = (value:string) { let v = tolower(trim(${kqlVerbatim(TRIM)}, value)); pack_array(v, extract(${kqlVerbatim(AFTER_BACKSLASH)}, 1, v), extract(${kqlVerbatim(BEFORE_AT)}, 1, v)) };`,
  },
  // --- the other kinds of IOC (docs/kql.md): declared only when the set has them ---
  {
    name: 'ioc_value',
    declaration: 'let ioc_value = (value:string) { ioc_unwrap(ioc_unwrap(value)) };',
  },
  {
    name: 'ioc_ipv4',
    declaration: `let ioc_ipv4 = (address:string) { iff(address matches regex ${kqlVerbatim(CANONICAL_IPV4)}, address, "") };`,
  },
  {
    // an IPv4-mapped address is an IPv4 address, never an IPv6 one (docs/hits.md)
    name: 'ioc_ipv6',
    declaration: `let ioc_ipv6 = (host:string) { let h = replace_regex(replace_regex(host, ${kqlVerbatim(IPV6_HOST)}, @"\\1\\2"), ${kqlVerbatim(ZONE)}, ""); iff(h contains ":" and not(ipv6_is_in_range(h, "::ffff:0:0/96")), h, "") };`,
  },
  {
    name: 'ioc_url_authority',
    declaration: `let ioc_url_authority = (url:string) { replace_regex(extract(${kqlVerbatim(AUTHORITY)}, 1, ioc_unwrap(ioc_unwrap(url))), ${kqlVerbatim(USERINFO)}, "") };`,
  },
  {
    // one empty item more, so that mv-apply never meets an empty list (and never drops the row)
    name: 'ioc_list_items',
    declaration: `let ioc_list_items = (value:string) { array_concat(extract_all(${kqlVerbatim(DIGIT_RUNS)}, value), extract_all(${kqlVerbatim(LIST_ITEM)}, value), dynamic([""])) };`,
  },
  {
    name: 'ioc_text_items',
    declaration: `let ioc_text_items = (value:string) { array_concat(extract_all(${kqlVerbatim(DIGIT_RUNS)}, value), dynamic([""])) };`,
  },
  {
    name: 'ioc_domain',
    declaration: `let ioc_domain = (host:string) { let h = tolower(replace_regex(host, @"\\.$", "")); iff(strlen(h) <= 253 and h matches regex ${kqlVerbatim(DOMAIN_SHAPE)}, h, "") };`,
  },
  {
    name: 'ioc_host_domain',
    declaration: 'let ioc_host_domain = (value:string) { ioc_domain(ioc_unwrap(ioc_unwrap(value))) };',
  },
  {
    // a URL the scan can normalise gives its host; any other value what follows its scheme, up to / ? #
    name: 'ioc_url_domain',
    declaration: `let ioc_url_domain = (url:string) { let v = ioc_unwrap(ioc_unwrap(url)); let strict = iff(strlen(v) > 2048 or v matches regex @"\\s", "", ioc_domain(iff(v matches regex ${kqlVerbatim(SCHEMED)}, extract(${kqlVerbatim(URL_HOST)}, 1, v), extract(${kqlVerbatim(BARE_URL_HOST)}, 1, v)))); iff(strict != "", strict, ioc_domain(ioc_unwrap(ioc_unwrap(extract(${kqlVerbatim(LOOSE_HOST)}, 1, v))))) };`,
  },
  {
    name: 'ioc_url_text',
    declaration: 'let ioc_url_text = (url:string) { let v = ioc_unwrap(ioc_unwrap(url)); iff(strlen(v) <= 2048, v, "") };',
  },
];

/** The declarations a query text uses (a function is declared when its name is called). */
export function declarationsFor(body: string): string[] {
  const used = new Set<string>();
  // a function used by a used function is used too: walk from the last to the first
  for (const fn of [...KQL_FUNCTIONS].reverse()) {
    const callers = [body, ...KQL_FUNCTIONS.filter((f) => used.has(f.name)).map((f) => f.declaration)];
    if (callers.some((text) => text.includes(`${fn.name}(`))) used.add(fn.name);
  }
  return KQL_FUNCTIONS.filter((f) => used.has(f.name)).map((f) => f.declaration);
}
