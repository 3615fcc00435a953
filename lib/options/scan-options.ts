import { availableParallelism } from 'node:os';
import type { TableName } from '../report/report.js';
import { tableByName } from '../tables/table-specs.js';
import type { IocChoice } from '../iocs/load-iocs.js';
import type { ExclusionChoice } from '../exclusions/exclusion-file.js';
import { HuntError, type UsageCode } from '../errors/hunt-error.js';

// The command line's options, each checked here, once, at the edge.
// Everything after this trusts a ScanOptions and never sees argv; the scan
// itself sees only the plan made from them (cli/plan-from-options.ts).

// html goes to standard output like the others (`> report.html` works); --output is advised, being atomic
export type OutputFormat = 'text' | 'json' | 'ndjson' | 'csv' | 'html' | HandoffFormat;
/** Formats for the tools responders load hits into: a timeline, a SIEM, an intelligence platform. */
export type HandoffFormat = 'timesketch' | 'ecs' | 'splunk' | 'stix';
export const HANDOFF_FORMATS: readonly HandoffFormat[] = ['timesketch', 'ecs', 'splunk', 'stix'];
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'ndjson', 'csv', 'html', ...HANDOFF_FORMATS];
/** Formats written as JSON (a line or a whole text of it). */
export const JSON_FORMATS: readonly OutputFormat[] = ['json', 'ndjson', ...HANDOFF_FORMATS];

export interface ScanOptions {
  paths: readonly string[];
  format: OutputFormat;
  /** null: standard output (also for `-o -`). */
  output: string | null;
  /** --force: an existing --output file may be replaced. */
  force: boolean;
  /** --csv-raw: CSV cells as found, formula-like ones included (for machines, not spreadsheets). */
  csvRaw: boolean;
  /** --active-only: a hand-off format leaves suppressed hits out. */
  activeOnly: boolean;
  kqlParity: boolean;
  /** --ioc-validity: a hit on IOCs all outside their validity at the record's time is suppressed (`ioc-outside-validity`). */
  iocValidity: boolean;
  /**
   * Parse every record (the reference path) instead of only those that may
   * hold IOC text: slower, and also lists malformed records that hold none.
   */
  fullParse: boolean;
  /** --all-files: a folder walk reads every file it meets, not only exports' extensions. */
  allFiles: boolean;
  /** Forces every file to be read as this table. */
  table: TableName | null;
  /** Epoch milliseconds; since inclusive, until exclusive. */
  since: number | null;
  until: number | null;
  /** null: color when standard output is a terminal and NO_COLOR is unset. */
  color: boolean | null;
  quiet: boolean;
  /** Files scanned at once, each on its own thread (and its own hashing thread). */
  jobs: number;
  /** Which exclusion rules apply: the shipped defaults, a user's file (replacing them), or none. */
  exclusions: ExclusionChoice;
  /** Which IOCs are looked for: the built-in set, or those of the --iocs files (replacing it). */
  iocs: IocChoice;
  /** --min-confidence: IOCs below this percentage are dropped (those of unknown confidence kept). */
  minConfidence: number | null;
  /** --all-attributes: MISP attributes whose to_ids is false are used too. */
  allAttributes: boolean;
  /** --emit kql: print the hunting queries for Sentinel instead of scanning (paths are then refused). */
  emit: 'kql' | null;
}

/** What the user asked for, as yargs handed it over, before any checking. */
export interface RawOptions {
  paths?: unknown;
  format?: unknown;
  output?: unknown;
  force?: unknown;
  csvRaw?: unknown;
  activeOnly?: unknown;
  kqlParity?: unknown;
  iocValidity?: unknown;
  fullParse?: unknown;
  allFiles?: unknown;
  table?: unknown;
  since?: unknown;
  until?: unknown;
  color?: unknown;
  quiet?: unknown;
  jobs?: unknown;
  /** A path, or false for --no-exclusions. */
  exclusions?: unknown;
  /** One path or several (--iocs is repeatable). */
  iocs?: unknown;
  minConfidence?: unknown;
  allAttributes?: unknown;
  emit?: unknown;
}

/** Bad usage: the CLI prints the message and exits 2 before scanning. */
export class UsageError extends HuntError<UsageCode> {}

/** The file that stands for standard input among the paths, and for standard output as --output. */
export const STANDARD_STREAM = '-';
export const STANDARD_INPUT_FILE = '/dev/stdin';

/**
 * An option's one value. A repeated option arrives as a list and a name like
 * `-o.csv` or `--help.csv` as an object: neither is a value, and taking it
 * for one (String() of it) wrote reports to "[object Object]".
 */
export function scalar(name: string, value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw new UsageError('USAGE_OPTION_REPEATED', `--${name} is given ${value.length} times (${value.map(String).join(', ')}): give it once`);
  if (typeof value === 'object') throw new UsageError('USAGE_OPTION_VALUE', `--${name} needs one value, not ${JSON.stringify(value)}`);
  return value as string | number | boolean;
}

/** A yes/no option: repeating it is harmless, the last one wins (`--color --no-color` is off). */
export function flag(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** `--output`: null for standard output (none given, or `-`). */
export function outputChoice(value: unknown): string | null {
  const given = scalar('output', value);
  if (given === undefined) return null;
  const output = String(given);
  if (output.trim() === '') throw new UsageError('USAGE_OUTPUT', '--output needs a file name (leave it out, or give -, to write to standard output)');
  return output === STANDARD_STREAM ? null : output;
}

export function formatChoice(value: unknown): OutputFormat {
  const format = String(scalar('format', value) ?? 'text').toLowerCase() as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError('USAGE_FORMAT', `--format must be one of ${OUTPUT_FORMATS.join(', ')}, not "${format}"`);
  return format;
}

/**
 * --active-only, for the hand-off formats only: the json, ndjson, csv, text
 * and html reports keep every hit, so their summary and their hits agree.
 */
export function activeOnlyChoice(value: unknown, format: OutputFormat): boolean {
  const on = flag(value) === true;
  if (on && !(HANDOFF_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError('USAGE_ACTIVE_ONLY', `--active-only applies to --format ${HANDOFF_FORMATS.join(', ')}; the ${format} report keeps every hit, each marked by suppressedBy`);
  }
  return on;
}

function instant(name: string, raw: unknown): number | null {
  const value = scalar(name, raw);
  if (value === undefined) return null;
  const text = String(value).trim();
  // date-only and zone-less forms are read as UTC, as every time in the report is UTC
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) throw new UsageError('USAGE_TIME', `--${name} "${text}" is not an ISO 8601 date or time (for example 2026-05-21 or 2026-05-21T14:00:00Z)`);
  return ms;
}

/** The most threads `--jobs` may ask for, and the default on a machine with more cores. */
const MAX_JOBS = 64;

function jobCount(raw: unknown): number {
  const value = scalar('jobs', raw);
  // threads at once, hashing threads included (scan/thread-plan.ts)
  if (value === undefined) return Math.min(MAX_JOBS, Math.max(1, availableParallelism()));
  const text = String(value).trim();
  const jobs = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(jobs >= 1 && jobs <= MAX_JOBS)) throw new UsageError('USAGE_JOBS', `--jobs must be a whole number from 1 to ${MAX_JOBS}, not "${String(value)}"`);
  return jobs;
}

function exclusionChoice(value: unknown): ScanOptions['exclusions'] {
  if (Array.isArray(value) && value.includes(false) && value.some((v) => typeof v === 'string')) {
    throw new UsageError('USAGE_EXCLUSIONS', `--no-exclusions and --exclusions ${value.find((v) => typeof v === 'string')} contradict each other: give one of them`);
  }
  value = scalar('exclusions', value);
  if (value === undefined || value === null || value === true) return { kind: 'builtin' };
  if (value === false) return { kind: 'none' };
  const path = String(value).trim();
  if (path === '') throw new UsageError('USAGE_EXCLUSIONS', '--exclusions needs a file (or use --no-exclusions)');
  return { kind: 'file', path };
}

function iocChoice(value: unknown): ScanOptions['iocs'] {
  if (value === undefined || value === null) return { kind: 'builtin' };
  const paths = (Array.isArray(value) ? value : [value]).map((v) => String(scalar('iocs', v)).trim());
  if (paths.length === 0 || paths.some((p) => p === '' || p === 'true' || p === 'false')) throw new UsageError('USAGE_IOCS', '--iocs needs a file (a ThreatFox CSV or JSON export, or a list of IOCs, one a line)');
  return { kind: 'files', paths };
}

function minConfidence(raw: unknown): number | null {
  const value = scalar('min-confidence', raw);
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100 || String(value).trim() === '') throw new UsageError('USAGE_MIN_CONFIDENCE', `--min-confidence must be a whole percentage from 0 to 100, not "${String(value)}"`);
  return n;
}

function emitChoice(raw: unknown): ScanOptions['emit'] {
  const value = scalar('emit', raw);
  if (value === undefined) return null;
  if (String(value).toLowerCase() === 'kql') return 'kql';
  throw new UsageError('USAGE_EMIT', `--emit must be kql, not "${String(value)}"`);
}

export function normalizeOptions(raw: RawOptions): ScanOptions {
  const emit = emitChoice(raw.emit);
  // `-` is standard input (read through the file that names it, so it is read like any file)
  const paths = Array.isArray(raw.paths) ? raw.paths.map(String).filter((p) => p !== '').map((p) => (p === STANDARD_STREAM ? STANDARD_INPUT_FILE : p)) : [];
  if (emit !== null && paths.length > 0) throw new UsageError('USAGE_EMIT', `--emit ${emit} prints queries and scans nothing: leave out the paths (${paths.join(', ')})`);
  if (emit === null && paths.length === 0) throw new UsageError('USAGE_NO_INPUT', 'no input given: name at least one file, directory or glob');
  // a format asked for and silently dropped would leave a pipeline reading KQL as JSON
  if (emit !== null && raw.format !== undefined && raw.format !== null) throw new UsageError('USAGE_EMIT', `--emit ${emit} prints queries, not a report: leave out --format (${String(raw.format)})`);

  const format = formatChoice(raw.format);

  let table: TableName | null = null;
  const tableName = scalar('table', raw.table);
  if (tableName !== undefined) {
    table = tableByName(String(tableName));
    if (!table) throw new UsageError('USAGE_TABLE', `--table must name a catalogued table (such as CommonSecurityLog, DeviceNetworkEvents, Syslog; see lib/data/tables.md), not "${String(tableName)}"`);
  }

  const since = instant('since', raw.since);
  const until = instant('until', raw.until);
  if (since !== null && until !== null && since >= until) throw new UsageError('USAGE_WINDOW', '--since must be earlier than --until');

  const output = outputChoice(raw.output);
  const color = flag(raw.color);

  return {
    paths,
    format,
    output,
    force: flag(raw.force) === true,
    csvRaw: flag(raw.csvRaw) === true,
    activeOnly: activeOnlyChoice(raw.activeOnly, format),
    kqlParity: flag(raw.kqlParity) === true,
    iocValidity: flag(raw.iocValidity) === true,
    fullParse: flag(raw.fullParse) === true,
    allFiles: flag(raw.allFiles) === true,
    table,
    since,
    until,
    color: typeof color === 'boolean' ? color : null,
    quiet: flag(raw.quiet) === true,
    exclusions: exclusionChoice(raw.exclusions),
    jobs: jobCount(raw.jobs),
    iocs: iocChoice(raw.iocs),
    minConfidence: minConfidence(raw.minConfidence),
    allAttributes: raw.allAttributes === true,
    emit,
  };
}
