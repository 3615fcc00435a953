import type { IocSet } from '../matcher/ioc-set.js';
import type { ExclusionSet, Condition, ColumnSource } from '../exclusions/exclusion-set.js';
import type { TableName } from '../report/report.js';
import { ruleForm, type CompareKind } from '../exclusions/compare.js';
import { builtinTables, PARITY_TABLES, type TableSpec, type WatchedField } from '../tables/table-specs.js';
import { tableCatalogue } from '../tables/catalogue.js';
import type { TimeWindow } from '../time/record-time.js';
import { declarationsFor } from './kql-functions.js';
import { kqlColumnIfExists, kqlDatetime, kqlDynamicList, kqlList, kqlString, kqlVerbatim, regexLiteral } from './kql-text.js';

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

/** The test that a watched field holds an IOC IP. */
function watchedTest(field: WatchedField, parity: boolean): string {
  // --kql-parity: the KQL's own exact string comparison, as the seed writes it
  if (parity) return `${field.name} in (malicious_ips)`;
  switch (field.kind) {
    case 'address':
      return `ioc_address(${field.name}) in (malicious_ips)`;
    case 'url':
      return `ioc_url_host(${field.name}) in (malicious_ips)`;
    case 'address-list':
    case 'text-addresses':
      // each address of the value, cut out as the raw-text search cuts it; a
      // list's items glued to letters are read here and not by the scan
      // column_ifexists: a table's free-text column has another name in some exports (AzureDiagnostics msg_s, msg)
      return `array_length(set_intersect(ioc_addresses(${kqlColumnIfExists(field.name)}), malicious_ips)) > 0`;
  }
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

function hunt(spec: TableSpec, context: KqlContext): string {
  const { iocs, exclusions, window } = context;
  const parity = context.kqlParity;
  const watched = parity ? spec.watched.filter((w) => w.parity) : spec.watched;
  const timeColumn = timeColumnOf(spec);
  const test = (w: WatchedField) => watchedTest(w, parity);
  const body: string[] = [spec.name];
  if (window.since !== null) body.push(`| where ${timeColumn} >= ${kqlDatetime(window.since)}`);
  if (window.until !== null) body.push(`| where ${timeColumn} < ${kqlDatetime(window.until)}`);
  body.push(`| where ${watched.map(test).join(' or ')}`);
  body.push(`| extend MatchedFields = strcat_array(array_concat(${watched.map((w) => `iff(${test(w)}, dynamic([${kqlString(w.name)}]), dynamic([]))`).join(', ')}), ", ")`);
  body.push(suppressedBy(spec.name, exclusions));
  body.push(`| project ${[...spec.projection, ...(APPLIANCE_COLUMNS[spec.name] ?? []), 'MatchedFields', 'SuppressedBy'].join(', ')}`);
  body.push(`| order by ${timeColumn} desc`);
  const text = body.join('\n');
  return [...timeComment(spec, window), `let malicious_ips = ${kqlDynamicList(ipv4Values(iocs))};`, ...declarationsFor(text), text].join('\n');
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

/** The IPv4 address IOCs, the only kind these queries look for. */
function ipv4Values(iocs: IocSet): string[] {
  return [...new Set(iocs.ofKinds('ipv4').map((ioc) => ioc.ip))];
}

/** Each IOC of the set these queries do not look for, by kind and value: said, never silently dropped. */
function notCovered(iocs: IocSet): string[] {
  const left = iocs.iocs.filter((ioc) => ioc.kind !== undefined && ioc.kind !== 'ipv4');
  if (left.length === 0) return [];
  return [
    `// NOT COVERED: ${left.length} IOC${left.length === 1 ? '' : 's'} of the set ${left.length === 1 ? 'is' : 'are'} not IPv4 addresses; these queries do not look for ${left.length === 1 ? 'it' : 'them'} (the scan does):`,
    ...left.map((ioc) => `//   ${ioc.kind} ${ioc.ip}${ioc.port === null ? '' : ` port ${ioc.port}`}`),
  ];
}

function describeSet(provenance: { origin: string; sha256: string | null }): string {
  return provenance.sha256 ? `${provenance.origin} (sha256 ${provenance.sha256})` : provenance.origin;
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
    ...notCovered(iocs),
    `// Exclusions: ${exclusions.rules.length} from ${describeSet(exclusions.provenance)}.`,
    '// A suppressed row is kept: SuppressedBy names the first exclusion that matched; it is empty for an active hit.',
    context.kqlParity
      ? "// --kql-parity: only the KQL's own fields, compared as exact strings, as the seed rule does."
      : '// Watched as the scan does: IPv4-mapped IPv6, ip:port, quotes and brackets reduced to the IPv4 address.',
    '// Each query below runs on its own.',
  ];
  const hunts = tables.map((spec) => `// Hunt in ${spec.name}\n${hunt(spec, context)}`);
  if (hunts.length === 0) hunts.push(`// No hunt: --kql-parity keeps to the seed's two tables, ${PARITY_TABLES.join(' and ')}.`);
  return `${[header.join('\n'), ...hunts].join('\n\n')}\n`;
}
