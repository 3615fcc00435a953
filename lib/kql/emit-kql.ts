import { kindOf, type IocSet } from '../matcher/ioc-set.js';
import type { IocKind } from '../report/report.js';
import { printable } from '../terminal/terminal-text.js';
import type { ExclusionSet, Condition, ColumnSource } from '../exclusions/exclusion-set.js';
import type { TableName } from '../report/report.js';
import { ruleForm, type CompareKind } from '../exclusions/compare.js';
import { builtinTables, PARITY_TABLES, type TableSpec } from '../tables/table-specs.js';
import { tableCatalogue } from '../tables/catalogue.js';
import type { TimeWindow } from '../time/record-time.js';
import { declarationsFor } from './kql-functions.js';
import { iocLists, kindsWithoutColumn, listDeclarations, matchedFieldParts, parityPlan, tablePlan, type KqlIocLists } from './kql-kinds.js';
import { kqlColumnIfExists, kqlDatetime, kqlDynamicList, kqlList, kqlString, kqlVerbatim, regexLiteral } from './kql-text.js';

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

// `--emit kql`: one hunt per catalogued table (lib/data/tables.json) the IOC
// set applies to, the seed's two first; under --kql-parity the seed's two
// only. Each is rewritten for the IOCs, address columns and exclusions in
// force, for running where the data already is (Sentinel, Azure Data
// Explorer). Same hit, same exclusions, same field map as the
// scan; suppressed rows are kept and labelled in `SuppressedBy` (empty for an
// active hit), never filtered away. Columns: the seed's projection, in its
// order, then the appliance that logged the row (CommonSecurityLog), then
// `MatchedFields` and `SuppressedBy`; newest first.

/** What the queries are written from: the same IOCs, exclusions and choices a scan would use. */
export interface KqlContext {
  toolVersion: string;
  iocs: IocSet;
  exclusions: ExclusionSet;
  /** --kql-parity: only the KQL's own fields, exact strings. */
  kqlParity: boolean;
  /** --table: only this table's hunt. */
  table: TableName | null;
  window: TimeWindow;
}

/** The column a table's time is filtered and ordered on, as the schema spells it. */
function timeColumnOf(spec: TableSpec): string {
  return spec.projection.find((name) => name.toLowerCase() === spec.timeColumns[0]) ?? spec.projection[0];
}

/**
 * A regular expression (case-insensitive) for "some white-space token of the
 * command line, stripped of surrounding quotes, reduces to one of `values`"
 * (values already in rule form); null when no value can be one token.
 */
export function commandLinePattern(values: readonly string[], compare: CompareKind): string | null {
  // a value with white space in it can never equal one token
  const literal = values.filter((v) => !/\s/.test(v)).map(regexLiteral);
  if (literal.length === 0) return null;
  const alternatives = literal.join('|');
  const core =
    compare === 'basename' ? `(?:\\S*[/\\\\])?(?:${alternatives})(?:\\.exe)?` : compare === 'account' ? `(?:\\S*\\\\)?(?:${alternatives})(?:@\\S*)?` : `(?:${alternatives})`;
  return `(?:^|\\s)["']*${core}["']*(?:\\s|$)`;
}

/** A column's candidate values compared with the rule's values, as compare.ts does. */
function sourceHolds(source: ColumnSource, compare: CompareKind, values: readonly string[]): string {
  const column = kqlColumnIfExists(source.name);
  const wanted = [...new Set(values.map((v) => ruleForm(v, compare)))];
  if (source.split === 'command-line') {
    // some white-space token, stripped of quotes, reduces to a wanted value;
    // a value with white space in it can never equal one token
    const pattern = commandLinePattern(wanted, compare);
    return pattern === null ? 'false' : `${column} matches regex ${kqlVerbatim(`(?i)${pattern}`)}`;
  }
  switch (compare) {
    case 'exact':
      return `trim(@"\\s+", ${column}) in~ ${kqlList(wanted)}`;
    case 'basename':
      return `base_name(${column}) in~ ${kqlList(wanted)}`;
    case 'account':
      return `array_length(set_intersect(account_names(${column}), ${kqlDynamicList(wanted)})) > 0`;
  }
}

function conditionExpression(condition: Condition, table: TableName, exclusions: ExclusionSet): string {
  // `false` folded away, so a rule on a field the table lacks reads as plainly `false`
  if ('all' in condition) {
    const parts = condition.all.map((c) => conditionExpression(c, table, exclusions));
    return parts.includes('false') ? 'false' : parts.length === 1 ? parts[0] : `(${parts.join(' and ')})`;
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => conditionExpression(c, table, exclusions)).filter((p) => p !== 'false');
    return parts.length === 0 ? 'false' : parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
  }
  const definition = exclusions.fieldMap.get(condition.field)!;
  const sources = definition.columns[table] ?? [];
  // a field the table lacks never holds: missing evidence never suppresses
  if (sources.length === 0) return 'false';
  const tests = sources.map((source) => sourceHolds(source, definition.compare, condition.values));
  return tests.length === 1 ? tests[0] : `(${tests.join(' or ')})`;
}

function suppressedBy(table: TableName, exclusions: ExclusionSet): string {
  if (exclusions.rules.length === 0) return '| extend SuppressedBy = ""';
  // case() takes the first rule that holds, as the scan does
  const branches = exclusions.rules.map((rule) => `    ${conditionExpression(rule.when, table, exclusions)}, ${kqlString(rule.id)},`);
  return ['| extend SuppressedBy = case(', ...branches, '    "")'].join('\n');
}

/** A table's hunt, or null when none of the set's IOC kinds has a column in it. */
function hunt(spec: TableSpec, context: KqlContext, lists: KqlIocLists): string | null {
  const { exclusions, window } = context;
  const plan = context.kqlParity ? parityPlan(spec) : tablePlan(spec, lists);
  if (plan.tests.length === 0) return null;
  const timeColumn = timeColumnOf(spec);
  const body: string[] = [spec.name];
  if (window.since !== null) body.push(`| where ${timeColumn} >= ${kqlDatetime(window.since)}`);
  if (window.until !== null) body.push(`| where ${timeColumn} < ${kqlDatetime(window.until)}`);
  body.push(...plan.steps);
  body.push(`| where ${plan.tests.map((t) => t.test).join(' or ')}`);
  body.push(`| extend MatchedFields = strcat_array(array_concat(${matchedFieldParts(plan.tests).join(', ')}), ", ")`);
  body.push(suppressedBy(spec.name, exclusions));
  body.push(`| project ${[...spec.projection, ...(APPLIANCE_COLUMNS[spec.name] ?? []), 'MatchedFields', 'SuppressedBy'].join(', ')}`);
  body.push(`| order by ${timeColumn} desc`);
  const text = body.join('\n');
  const missing = context.kqlParity || !beyondIpv4(context.iocs) ? [] : kindsWithoutColumn(context.iocs, plan.tests);
  const kinds = missing.length === 0 ? [] : [`// Not looked for in ${spec.name}, which has no column for them (nor does the scan): ${missing.join(', ')}.`];
  return [...timeComment(spec, window), ...kinds, ...listDeclarations(lists, text), ...declarationsFor(text), text].join('\n');
}

/**
 * Columns shown after the seed's: a CommonSecurityLog row is logged by an
 * appliance, and without these the analyst cannot tell which one. The scan's
 * report keeps the seed's projection.
 */
const APPLIANCE_COLUMNS: Partial<Record<TableName, readonly string[]>> = {
  CommonSecurityLog: ['DeviceVendor', 'DeviceProduct', 'DeviceName', 'Computer'],
};

/**
 * What bounds the query in time. Without --since/--until it has no filter of
 * its own, and Sentinel's time picker (on TimeGenerated) silently decides
 * how far back it looks: the analyst must be told, or a 24-hour answer reads
 * as "no hit".
 */
function timeComment(spec: TableSpec, window: TimeWindow): string[] {
  const timeColumn = timeColumnOf(spec);
  const picker = timeColumn === 'TimeGenerated'
    ? "Sentinel's time picker then shows \"Set in query\"."
    : "Sentinel's time picker (on TimeGenerated) still applies as well: set it to a custom range covering this one.";
  if (window.since !== null || window.until !== null) {
    const from = window.since === null ? 'any time' : new Date(window.since).toISOString();
    const to = window.until === null ? 'any time' : new Date(window.until).toISOString();
    return [`// Time: ${timeColumn} from ${from} to ${to} (end excluded), by the query's own where (--since/--until). ${picker}`];
  }
  return [
    `// Time: no --since/--until, so this query has no time filter of its own. In Sentinel's Logs the time`,
    "// picker bounds it (default: last 24 hours); in Azure Data Explorer nothing does (all rows are read).",
    '// To widen it: set the picker to a custom range, or emit again with a window, e.g. --since 2026-05-01.',
  ];
}

/** Whether the set holds IOCs of other kinds than IPv4 addresses (the built-in set does not). */
function beyondIpv4(iocs: IocSet): boolean {
  return iocs.iocs.some((ioc) => ioc.kind !== undefined && ioc.kind !== 'ipv4');
}

const KIND_TEXT: Partial<Record<IocKind, string>> = {
  ipv6: 'IPv6 addresses (ipv6_is_in_any_range: any spelling)',
  cidr: 'CIDR ranges (ipv4_is_in_any_range, ipv6_is_in_any_range)',
  domain: 'domains and their subdomains (host columns and the host of URL columns)',
  url: 'URLs (URL columns, normalised as the scan does; their host alone as url-host)',
  md5: 'MD5, SHA-1 and SHA-256 hashes (hash columns, in~: any case)',
  sha1: 'MD5, SHA-1 and SHA-256 hashes (hash columns, in~: any case)',
  sha256: 'MD5, SHA-1 and SHA-256 hashes (hash columns, in~: any case)',
};

/**
 * What the queries look for beyond IPv4 addresses; under --kql-parity,
 * each IOC neither they nor the scan look for, by kind and value: said,
 * never silently dropped.
 */
function coverage(iocs: IocSet, parity: boolean): string[] {
  if (!beyondIpv4(iocs)) return [];
  if (parity) {
    const left = iocs.iocs.filter((ioc) => ioc.kind !== undefined && ioc.kind !== 'ipv4' && ioc.kind !== 'ipv6');
    if (left.length === 0) return [];
    return [
      `// NOT COVERED: ${left.length} IOC${left.length === 1 ? '' : 's'} of the set ${left.length === 1 ? 'is' : 'are'} no address; under --kql-parity neither these queries nor the scan look for ${left.length === 1 ? 'it' : 'them'}:`,
      ...left.map((ioc) => printable(`//   ${ioc.kind} ${ioc.ip}${ioc.port === null ? '' : ` port ${ioc.port}`}`)),
    ];
  }
  const kinds = unique(iocs.iocs.map((ioc) => KIND_TEXT[kindOf(ioc)]).filter((text) => text !== undefined));
  return [
    `// Also looked for, as the scan does: ${kinds.join('; ')}.`,
    '// MatchedFields names each field that held an IOC; one that held none exactly says how, as the scan: (in-range), (subdomain) or (url-host).',
  ];
}

/** Where a set came from, for a `//` comment: a file name's line break or control character would end the comment and run as KQL. */
function describeSet(provenance: { origin: string; sha256: string | null }): string {
  const origin = printable(provenance.origin);
  return provenance.sha256 ? `${origin} (sha256 ${provenance.sha256})` : origin;
}

/**
 * The tables hunted: the one --table names; under --kql-parity the seed's
 * two; otherwise every catalogued table with an address column, the seed's
 * two first, the rest in catalogue order.
 */
function huntedTables(context: KqlContext): TableSpec[] {
  const tables = builtinTables();
  if (context.table) return context.kqlParity && !PARITY_TABLES.includes(context.table) ? [] : [tables.spec(context.table)];
  const seed = PARITY_TABLES.map((name) => tables.spec(name));
  if (context.kqlParity) return seed;
  return [...seed, ...tableCatalogue().tables.filter((t) => !PARITY_TABLES.includes(t.name) && t.watched.length > 0)];
}

/** One hunt per table, each a query of its own, with comments saying what they were made from. */
export function emitKql(context: KqlContext): string {
  const { iocs, exclusions } = context;
  const tables = huntedTables(context);
  const header = [
    `// PerlBot C2 hunt, written by perlbot-hunt ${context.toolVersion} (--emit kql) for Microsoft Sentinel or Azure Data Explorer.`,
    `// IOCs: ${iocs.iocs.length} from ${describeSet(iocs.provenance)}${iocs.provenance.minConfidence !== undefined ? `, --min-confidence ${iocs.provenance.minConfidence}` : ''}.`,
    ...coverage(iocs, context.kqlParity),
    `// Exclusions: ${exclusions.rules.length} from ${describeSet(exclusions.provenance)}.`,
    '// A suppressed row is kept: SuppressedBy names the first exclusion that matched; it is empty for an active hit.',
    context.kqlParity
      ? "// --kql-parity: only the KQL's own fields, compared as exact strings, as the seed rule does."
      : '// Watched as the scan does: IPv4-mapped IPv6, ip:port, quotes and brackets reduced to the IPv4 address.',
    '// Each query below runs on its own.',
  ];
  const lists = iocLists(iocs, context.kqlParity);
  const hunts = tables.map((spec) => `// Hunt in ${spec.name}\n${hunt(spec, context, lists) ?? `// No query: ${spec.name} has no column for any kind of IOC in the set (nor does the scan look there).`}`);
  if (hunts.length === 0) hunts.push(`// No hunt: --kql-parity keeps to the seed's two tables, ${PARITY_TABLES.join(' and ')}.`);
  return `${[header.join('\n'), ...hunts].join('\n\n')}\n`;
}
