import { canonicalIp } from '../matcher/canonical.js';
import { kindOf, type IocSet } from '../matcher/ioc-set.js';
import { urlHosts } from '../matcher/match-record.js';
import type { IocKind } from '../report/report.js';
import type { TableSpec, WatchedField } from '../tables/table-specs.js';
import { kqlColumnIfExists, kqlDynamicList, kqlString, kqlVerbatim, regexLiteral } from './kql-text.js';
import { urlsPattern } from './kql-url.js';

// Every kind of IOC as KQL tests on the columns the table catalogue gives
// that kind (docs/hits.md, "Which columns each kind is looked for in"): one
// test per column and way of matching, each labelled with the scan's `how`.
// The IOC values are written once per query, as `let` lists; a list is
// declared only when a test uses it.

/** How a test matches, as the scan's `how` (`exact` where the scan's match has none). */
export type How = 'exact' | 'in-range' | 'subdomain' | 'url-host';
const HOW_ORDER: readonly How[] = ['exact', 'in-range', 'subdomain', 'url-host'];

export interface FieldTest {
  /** The column, as MatchedFields names it. */
  field: string;
  how: How;
  /** A boolean KQL expression. */
  test: string;
  /** The IOC kinds this test looks for. */
  kinds: readonly IocKind[];
}

/** The tests of one table's hunt, and the `mv-apply` steps that must run before them. */
export interface TablePlan {
  steps: string[];
  tests: FieldTest[];
}

/** The set's values, by the KQL list each is looked up in. */
export interface KqlIocLists {
  ips: string[];
  urlIps: string[];
  ipv4Ranges: string[];
  ipv6: string[];
  urlIpv6: string[];
  ipv6Ranges: string[];
  domains: string[];
  urlHosts: string[];
  urls: string[];
  hashes: string[];
}

const unique = (values: Iterable<string>) => [...new Set(values)];

/**
 * The set's values by list. Under --kql-parity the scan compares address
 * IOCs (IPv4 and IPv6) as exact strings and looks for no other kind: so
 * does the query.
 */
export function iocLists(iocs: IocSet, parity: boolean): KqlIocLists {
  const values = (...kinds: IocKind[]) => unique(iocs.ofKinds(...kinds).map((ioc) => ioc.ip));
  const none: KqlIocLists = { ips: [], urlIps: [], ipv4Ranges: [], ipv6: [], urlIpv6: [], ipv6Ranges: [], domains: [], urlHosts: [], urls: [], hashes: [] };
  if (parity) return { ...none, ips: values('ipv4', 'ipv6') };
  const hosts = [...urlHosts(iocs).keys()];
  const hostKind = (host: string) => canonicalIp(host)?.kind ?? 'domain';
  const cidrs = values('cidr');
  return {
    ips: values('ipv4'),
    urlIps: hosts.filter((h) => hostKind(h) === 'ipv4'),
    ipv4Ranges: cidrs.filter((c) => !c.includes(':')),
    // a bare address is the range of that one address: KQL's own IPv6 reading compares them
    ipv6: values('ipv6').map((ip) => `${ip}/128`),
    urlIpv6: hosts.filter((h) => hostKind(h) === 'ipv6').map((ip) => `${ip}/128`),
    ipv6Ranges: cidrs.filter((c) => c.includes(':')),
    domains: values('domain'),
    urlHosts: hosts.filter((h) => hostKind(h) === 'domain'),
    urls: values('url'),
    hashes: values('md5', 'sha1', 'sha256'),
  };
}

/** A host under one of these domains: it ends with a dot and the domain. */
export function subdomainPattern(domains: readonly string[]): string {
  return `\\.(?:${domains.map(regexLiteral).join('|')})$`;
}

/** The `let` statements of the lists a query text uses, in a fixed order. */
export function listDeclarations(lists: KqlIocLists, text: string): string[] {
  const all: Array<[string, readonly string[], () => string]> = [
    ['malicious_ips', lists.ips, () => kqlDynamicList(lists.ips)],
    ['malicious_url_ips', lists.urlIps, () => kqlDynamicList(lists.urlIps)],
    ['malicious_ipv4_ranges', lists.ipv4Ranges, () => kqlDynamicList(lists.ipv4Ranges)],
    ['malicious_ipv6', lists.ipv6, () => kqlDynamicList(lists.ipv6)],
    ['malicious_url_ipv6', lists.urlIpv6, () => kqlDynamicList(lists.urlIpv6)],
    ['malicious_ipv6_ranges', lists.ipv6Ranges, () => kqlDynamicList(lists.ipv6Ranges)],
    ['malicious_domains', lists.domains, () => kqlDynamicList(lists.domains)],
    ['malicious_subdomains', lists.domains, () => kqlVerbatim(subdomainPattern(lists.domains))],
    ['malicious_url_hosts', lists.urlHosts, () => kqlDynamicList(lists.urlHosts)],
    ['malicious_urls', lists.urls, () => kqlVerbatim(urlsPattern(lists.urls))],
    ['malicious_hashes', lists.hashes, () => kqlDynamicList(lists.hashes)],
  ];
  return all.filter(([name]) => new RegExp(`\\b${name}\\b`).test(text)).map(([name, , value]) => `let ${name} = ${value()};`);
}

/** Under --kql-parity: the seed's exact comparison on the seed's own fields. */
export function parityPlan(spec: TableSpec): TablePlan {
  const tests = spec.watched.filter((w) => w.parity).map((w) => ({ field: w.name, how: 'exact' as const, test: `${w.name} in (malicious_ips)`, kinds: ['ipv4', 'ipv6'] as IocKind[] }));
  return { steps: [], tests };
}

const isList = (w: WatchedField) => w.kind === 'address-list' || w.kind === 'text-addresses';

/** Address IOCs (IPv4, IPv6, ranges, the address hosts of URL IOCs) in one address column. */
function addressTests(w: WatchedField, lists: KqlIocLists, index: number, steps: string[]): FieldTest[] {
  const tests: FieldTest[] = [];
  const add = (how: How, test: string, ...kinds: IocKind[]) => tests.push({ field: w.name, how, test, kinds });
  if (!isList(w)) {
    // one address (or a URL's host) per value
    const v4 = w.kind === 'url' ? `ioc_url_host(${w.name})` : `ioc_address(${w.name})`;
    const v6 = w.kind === 'url' ? `ioc_ipv6(ioc_url_authority(${w.name}))` : `ioc_ipv6(ioc_value(${w.name}))`;
    if (lists.ips.length > 0) add('exact', `${v4} in (malicious_ips)`, 'ipv4');
    if (lists.ipv6.length > 0) add('exact', `ipv6_is_in_any_range(${v6}, malicious_ipv6)`, 'ipv6');
    if (lists.ipv4Ranges.length > 0) add('in-range', `ipv4_is_in_any_range(ioc_ipv4(${v4}), malicious_ipv4_ranges)`, 'cidr');
    if (lists.ipv6Ranges.length > 0) add('in-range', `ipv6_is_in_any_range(${v6}, malicious_ipv6_ranges)`, 'cidr');
    if (lists.urlIps.length > 0) add('url-host', `${v4} in (malicious_url_ips)`, 'url');
    if (lists.urlIpv6.length > 0) add('url-host', `ipv6_is_in_any_range(${v6}, malicious_url_ipv6)`, 'url');
    return tests;
  }
  // each address of a list or of free text, cut out as the raw-text search cuts it; a
  // list's items glued to letters are read here and not by the scan
  // column_ifexists: a table's free-text column has another name in some exports (AzureDiagnostics msg_s, msg)
  const column = kqlColumnIfExists(w.name);
  if (lists.ips.length > 0) add('exact', `array_length(set_intersect(ioc_addresses(${column}), malicious_ips)) > 0`, 'ipv4');
  if (lists.urlIps.length > 0) add('url-host', `array_length(set_intersect(ioc_addresses(${column}), malicious_url_ips)) > 0`, 'url');
  // ranges and IPv6 need each item on its own: one row per item, summed up per record
  // (free text is read for IPv4 addresses only, as the scan reads it)
  const v6 = w.kind === 'address-list';
  const perItem: Array<[How, string, IocKind]> = [];
  if (v6 && lists.ipv6.length > 0) perItem.push(['exact', 'ipv6_is_in_any_range(ioc_ipv6(ioc_item), malicious_ipv6)', 'ipv6']);
  if (lists.ipv4Ranges.length > 0) perItem.push(['in-range', 'ipv4_is_in_any_range(ioc_ipv4(ioc_item), malicious_ipv4_ranges)', 'cidr']);
  if (v6 && lists.ipv6Ranges.length > 0) perItem.push(['in-range', 'ipv6_is_in_any_range(ioc_ipv6(ioc_item), malicious_ipv6_ranges)', 'cidr']);
  if (v6 && lists.urlIpv6.length > 0) perItem.push(['url-host', 'ipv6_is_in_any_range(ioc_ipv6(ioc_item), malicious_url_ipv6)', 'url']);
  if (perItem.length === 0) return tests;
  const names = perItem.map((_, i) => `ioc_${index}_${i + 1}`);
  const items = v6 ? `ioc_list_items(${column})` : `ioc_text_items(${column})`;
  steps.push(`| mv-apply ioc_item = ${items} to typeof(string) on (summarize ${perItem.map(([, test], i) => `${names[i]} = countif(${test}) > 0`).join(', ')})`);
  perItem.forEach(([how, , kind], i) => {
    add(how, names[i], kind);
  });
  return tests;
}

/** Domain IOCs (and the name hosts of URL IOCs) in a host read from a column. */
function domainTests(field: string, host: string, lists: KqlIocLists): FieldTest[] {
  const tests: FieldTest[] = [];
  if (lists.domains.length > 0) {
    tests.push({ field, how: 'exact', test: `${host} in (malicious_domains)`, kinds: ['domain'] });
    tests.push({ field, how: 'subdomain', test: `${host} matches regex malicious_subdomains`, kinds: ['domain'] });
  }
  if (lists.urlHosts.length > 0) tests.push({ field, how: 'url-host', test: `${host} in (malicious_url_hosts)`, kinds: ['url'] });
  return tests;
}

/**
 * Every test of a table's hunt, grouped by column in the scan's order
 * (address columns, then host, URL and hash columns), each column's tests
 * from the strongest match to the weakest.
 */
export function tablePlan(spec: TableSpec, lists: KqlIocLists): TablePlan {
  const steps: string[] = [];
  const tests: FieldTest[] = spec.watched.flatMap((w, i) => addressTests(w, lists, i + 1, steps));
  // a column that is an address column too is read as it always was; the others may be missing from an export
  const watchedNames = new Set(spec.watched.filter((w) => !isList(w)).map((w) => w.name));
  const column = (name: string) => (watchedNames.has(name) ? name : kqlColumnIfExists(name));
  for (const { name } of spec.hostColumns) tests.push(...domainTests(name, `ioc_host_domain(${column(name)})`, lists));
  for (const { name } of spec.urlColumns) {
    if (lists.urls.length > 0) tests.push({ field: name, how: 'exact', test: `ioc_url_text(${column(name)}) matches regex malicious_urls`, kinds: ['url'] });
    tests.push(...domainTests(name, `ioc_url_domain(${column(name)})`, lists));
  }
  if (lists.hashes.length > 0) {
    for (const { name } of spec.hashColumns) tests.push({ field: name, how: 'exact', test: `ioc_value(${column(name)}) in~ (malicious_hashes)`, kinds: ['md5', 'sha1', 'sha256'] });
  }
  const fields = unique(tests.map((t) => t.field));
  const ordered = fields.flatMap((field) => HOW_ORDER.flatMap((how) => tests.filter((t) => t.field === field && t.how === how)));
  return { steps, tests: ordered };
}

/**
 * MatchedFields' parts: each field once, named alone when it held an IOC
 * exactly, else with the scan's `how` of its strongest match.
 */
export function matchedFieldParts(tests: readonly FieldTest[]): string[] {
  const fields = unique(tests.map((t) => t.field));
  return fields.map((field) => {
    const branches = HOW_ORDER.map((how) => {
      const group = tests.filter((t) => t.field === field && t.how === how).map((t) => t.test);
      const label = how === 'exact' ? field : `${field} (${how})`;
      return group.length === 0 ? null : { test: group.length === 1 ? group[0] : `(${group.join(' or ')})`, label: `dynamic([${kqlString(label)}])` };
    }).filter((b) => b !== null);
    if (branches.length === 1) return `iff(${branches[0].test}, ${branches[0].label}, dynamic([]))`;
    return `case(${branches.map((b) => `${b.test}, ${b.label}`).join(', ')}, dynamic([]))`;
  });
}

/** The kinds of the set that no test of this table looks for: the table has no column for them. */
export function kindsWithoutColumn(iocs: IocSet, tests: readonly FieldTest[]): IocKind[] {
  const covered = new Set(tests.flatMap((t) => t.kinds));
  return unique(iocs.iocs.map(kindOf)).filter((kind) => !covered.has(kind as IocKind)) as IocKind[];
}
