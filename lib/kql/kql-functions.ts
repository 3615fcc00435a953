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
