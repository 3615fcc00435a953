import type { Hit, TableName } from '../report/report.js';
import { contextFrom } from '../tables/catalogue.js';
import type { RecordFields, SourceRecord } from '../record/source-record.js';
import { splitHeaderSuffix } from '../record/columns.js';
import { PARITY_TABLES, type TableCatalogue, type TableSpec } from '../tables/table-specs.js';
import type { Ioc } from '../matcher/ioc-set.js';
import type { IocMatcher, MatchedIoc } from '../matcher/match-record.js';
import type { RawIocSearch } from '../matcher/raw-text.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { normalizeTime, windowSide, resolveZone, type TimeWindow } from '../time/record-time.js';

// The rule for one record, on its own: which table it is read as, whether a
// watched field holds an IOC inside the time window (a hit, perhaps
// suppressed by an exclusion), or whether it is malformed (an error, and
// still a hit when its raw text holds an IOC IP). Nothing here reads a file
// or keeps a count; the scan asks, the verdict answers.

/** What decides a record, fixed for a whole scan. */
export interface RecordRule {
  /** The tables known, by name and by columns. */
  readonly tables: TableCatalogue;
  /** --table: every record is read as this table, whatever it says. */
  readonly table: TableName | null;
  readonly window: TimeWindow;
  /** One per IOC kind; a record's matches are theirs in this order. */
  readonly matchers: readonly IocMatcher[];
  /** Which IOCs the IPs found in a malformed record's raw bytes are. */
  readonly rawSearch: RawIocSearch;
  readonly exclusions: ExclusionSet;
  /** --kql-parity: only the KQL's own fields count, so raw text in a malformed record is not a hit. */
  readonly kqlParity: boolean;
  /** --ioc-validity: a hit whose IOCs are all outside their validity at the record's time is suppressed. */
  readonly iocValidity: boolean;
}

/** The suppression a hit gets when every IOC it counts for is outside its validity (--ioc-validity). */
export const OUTSIDE_VALIDITY = 'ioc-outside-validity';

/**
 * Whether an IOC was in force at a record's time (epoch ms): from its
 * valid_from to its valid_until, or, with no valid_until, to its last
 * sighting (ThreatFox last_seen_utc), that whole day. An end or start the
 * feed does not give (or gives unreadably) bounds nothing.
 */
export function iocValidAt(ioc: Ioc, at: number): boolean {
  const from = ioc.validFrom ? Date.parse(ioc.validFrom) : NaN;
  if (!Number.isNaN(from) && at < from) return false;
  const until = ioc.validUntil ? Date.parse(ioc.validUntil) : NaN;
  if (!Number.isNaN(until)) return at < until;
  const seen = ioc.lastSeen ? Date.parse(ioc.lastSeen) : NaN;
  return Number.isNaN(seen) || at < Math.floor(seen / 86_400_000 + 1) * 86_400_000;
}

function outsideValidity(rule: RecordRule, iocs: readonly Ioc[], time: string | null): boolean {
  if (!rule.iocValidity || time === null) return false;
  const at = Date.parse(time);
  return !Number.isNaN(at) && iocs.every((ioc) => !iocValidAt(ioc, at));
}

/** A hit as found in one record (the scan adds the file), with the IOCs it counts for. */
export interface RecordHit {
  hit: Omit<Hit, 'file'>;
  iocs: readonly Ioc[];
}

export type RecordVerdict =
  /** Parsed, and no hit: no IOC in its watched fields (or, of no table known, `table` null, in any column), or a suppressed hit outside the window. */
  | { kind: 'nothing'; table: TableName | null }
  /** Parsed and counted, not searched: --kql-parity reads only the seed's two tables. */
  | { kind: 'unsearched'; table: TableName | null }
  /** `problem`: part of the record was not searched (nesting or width past the caps), said as an error for its line. */
  | { kind: 'hit'; table: TableName | 'unknown'; found: RecordHit; problem?: string }
  /** An active hit outside --since/--until: left out of the report, counted by the scan (a suppressed one is `nothing`). */
  | { kind: 'outside'; table: TableName | 'unknown'; side: 'before' | 'after' }
  /**
   * An error for the record's line; `found` when its raw text holds an IOC IP.
   * `table` is the one a parsed record in doubt was read as (null when the
   * record could not be parsed at all).
   */
  | { kind: 'malformed'; table: TableName | null; problem: string; found: RecordHit | null };

// Most records are no hit: one answer per table, made once, not one per record.
const nothingAs = new Map<TableName | null, RecordVerdict>();
function nothing(table: TableName | null): RecordVerdict {
  let verdict = nothingAs.get(table);
  if (verdict === undefined) {
    verdict = Object.freeze({ kind: 'nothing', table } as const);
    nothingAs.set(table, verdict);
  }
  return verdict;
}
const unsearchedAs = new Map<TableName | null, RecordVerdict>();
function unsearched(table: TableName | null): RecordVerdict {
  let verdict = unsearchedAs.get(table);
  if (verdict === undefined) {
    verdict = Object.freeze({ kind: 'unsearched', table } as const);
    unsearchedAs.set(table, verdict);
  }
  return verdict;
}

/** The table a parsed record is read as: --table, then the table it names, then its file's header, then its own columns. */
export function tableOfRecord(rule: RecordRule, record: SourceRecord, fields: RecordFields, headerTable: TableName | null): TableName | null {
  if (rule.table) return rule.table;
  if (record.declaredTable !== null) return rule.tables.byName(record.declaredTable);
  return headerTable ?? rule.tables.fromColumns((c) => fields.has(c));
}

/** The table a header's columns make a file, or null. */
export function tableOfHeader(rule: RecordRule, names: readonly string[]): TableName | null {
  const columns = new Set(names.map((n) => splitHeaderSuffix(n).name.toLowerCase()));
  return rule.tables.fromColumns((c) => columns.has(c));
}

function recordTime(fields: RecordFields, spec: Pick<TableSpec, 'timeColumns'>): { time: string | null; timeText?: string } {
  for (const column of spec.timeColumns) {
    const text = fields.get(column);
    if (text === null) continue;
    const zoneLabel = splitHeaderSuffix(fields.sourceName(column) ?? column).zoneLabel;
    const time = normalizeTime(text, resolveZone(zoneLabel));
    return time === null ? { time, timeText: text } : { time };
  }
  return { time: null };
}

function projection(fields: RecordFields, spec: TableSpec): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of spec.projection) out[name] = fields.get(name.toLowerCase());
  return out;
}

// Where a record of no catalogued table is most likely to say when it happened.
const UNKNOWN_TIME: Pick<TableSpec, 'timeColumns'> = { timeColumns: ['timegenerated', 'timestamp', 'time', 'eventtime', 'createddatetime'] };

function matchesOf(rule: RecordRule, fields: RecordFields, spec: TableSpec): MatchedIoc[] {
  if (rule.matchers.length === 1) return rule.matchers[0].match(fields, spec);
  const matches = rule.matchers.flatMap((matcher) => matcher.match(fields, spec));
  // a field holding a URL IOC itself is that exact hit, not also the weaker one on its host
  const exact = (m: MatchedIoc) => matches.some((o) => o.how === undefined && o.field === m.field && o.ioc === m.ioc);
  return matches.some((m) => m.how === 'url-host') ? matches.filter((m) => m.how !== 'url-host' || !exact(m)) : matches;
}

// A malformed record is an error, and still a hit when its raw text holds an IOC IP (docs/broken-input.md).
function malformed(rule: RecordRule, record: SourceRecord, problem: string, rawIps: Set<string> | undefined, table: TableName | null, headerTable: TableName | null): RecordVerdict {
  if (rule.kqlParity || !rawIps || rawIps.size === 0) return { kind: 'malformed', table, problem, found: null };
  const iocs = rule.rawSearch.iocsFor(rawIps);
  const hit: Omit<Hit, 'file'> = {
    line: record.line, record: record.index, table: rule.table ?? headerTable ?? 'unknown', time: null,
    matches: iocs.map((ioc) => (ioc.kind === undefined || ioc.kind === 'ipv4' ? { field: null, ip: ioc.ip, port: null, portMatch: null } : { field: null, ip: ioc.ip, port: null, portMatch: null, kind: ioc.kind })),
    suppressedBy: null, malformed: true, fields: {},
  };
  return { kind: 'malformed', table, problem, found: { hit, iocs } };
}

/**
 * The verdict on one record of a file whose header (if any) made it
 * `headerTable`.
 */
export function judgeRecord(rule: RecordRule, record: SourceRecord, headerTable: TableName | null): RecordVerdict {
  const fields = record.fields;
  if (fields === null) return malformed(rule, record, record.problem ?? 'unreadable record', record.rawIps, null, headerTable);
  const table = tableOfRecord(rule, record, fields, headerTable);
  if (table === null) return rule.kqlParity ? unsearched(null) : unknownTable(rule, record, fields, headerTable);
  if (rule.kqlParity && !countsForParity(rule, record, fields, table)) return unsearched(table);
  const spec = rule.tables.spec(table);
  const matches = matchesOf(rule, fields, spec);
  if (matches.length === 0) {
    // IOC text in a record whose columns are in doubt: reported, not dropped
    if (record.suspect) return malformed(rule, record, record.suspect.problem, record.suspect.rawIps, table, headerTable);
    return nothing(table);
  }
  const when = recordTime(fields, spec);
  const iocs = [...new Set(matches.map((m) => m.ioc))];
  const suppressedBy = rule.exclusions.firstMatch(fields, table) ?? (outsideValidity(rule, iocs, when.time) ? OUTSIDE_VALIDITY : null);
  const side = windowSide(rule.window, when.time);
  // contact before the assumed window is what a responder must hear of: counted, not dropped in silence
  if (side !== 'inside') return suppressedBy === null ? { kind: 'outside', table, side } : nothing(table);
  const hit: Omit<Hit, 'file'> = {
    line: record.line, record: record.index, table, ...when,
    matches: matches.map(({ ioc: _ioc, ...match }) => match),
    suppressedBy, malformed: false, fields: projection(fields, spec),
    context: contextFrom(fields, spec),
  };
  return { kind: 'hit', table, found: { hit, iocs } };
}

/**
 * --kql-parity counts only what the seed's two queries see: records of
 * CommonSecurityLog or DeviceNetworkEvents. A Defender union export has one
 * header for every Device table; a row whose own values fit another table
 * (a DeviceLogonEvents row: LogonType set) is that table's, not the header's.
 */
function countsForParity(rule: RecordRule, record: SourceRecord, fields: RecordFields, table: TableName): boolean {
  if (!PARITY_TABLES.includes(table)) return false;
  if (rule.table !== null || record.declaredTable !== null) return true;
  const own = rule.tables.fromColumns((c) => fields.get(c) !== null);
  return own === null || own === table;
}

/**
 * The unknown-table rule: a record of no catalogued table is still searched,
 * every column (nested JSON flattened) read as one address value. Exact
 * values only: an IOC inside free text is no hit here. No table, so no
 * exclusion applies and no context is known; `fields` holds the columns that hit.
 */
function unknownTable(rule: RecordRule, record: SourceRecord, fields: RecordFields, headerTable: TableName | null): RecordVerdict {
  const listing = fields.columns();
  const matches: MatchedIoc[] = [];
  for (const matcher of rule.matchers) if (matcher.matchEveryColumn) matches.push(...matcher.matchEveryColumn(listing.columns));
  const problem = listing.cut === null ? undefined : `${listing.cut}: the rest of this record was not searched`;
  if (matches.length === 0) {
    if (record.suspect) return malformed(rule, record, record.suspect.problem, record.suspect.rawIps, null, headerTable);
    return problem === undefined ? nothing(null) : { kind: 'malformed', table: null, problem, found: null };
  }
  const when = recordTime(fields, UNKNOWN_TIME);
  // no exclusion applies here: every hit outside the window is an active one left out
  const side = windowSide(rule.window, when.time);
  if (side !== 'inside') return { kind: 'outside', table: 'unknown', side };
  const shown: Record<string, string | null> = {};
  for (const { field } of matches) shown[field!] = listing.columns.find((c) => c.name === field)?.value ?? null;
  const hit: Omit<Hit, 'file'> = {
    line: record.line, record: record.index, table: 'unknown', ...when,
    matches: matches.map(({ ioc: _ioc, ...match }) => match),
    suppressedBy: null, malformed: false, fields: shown,
  };
  return { kind: 'hit', table: 'unknown', found: { hit, iocs: [...new Set(matches.map((m) => m.ioc))] }, ...(problem === undefined ? {} : { problem }) };
}
