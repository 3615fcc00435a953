import type { Hit, HitContext, IocEntry, Report } from '../../report/report.js';
import { describeActors } from '../../report/hit-context.js';
import { contextOf } from '../../tables/table-context.js';
import { shown } from './escape.js';
import { iocIndexOf, iocLabel } from '../../report/hit-iocs.js';

// The hits as the page's script reads them, from a `<script
// type="application/json">`. A scan can have 100,000 hits and the page must
// open in seconds, so the data is compact: every text is stored once in
// `strings` and a hit is a row of numbers. Texts are already in their shown
// form (control and bidi characters escaped), so the script only ever puts
// them into the page as text nodes.
//
// A browser cannot take millions of rows, so the page holds the newest
// HITS_PER_IOC hits of each IOC (a hit is taken while any of its IOCs has
// fewer), HITS_AT_MOST in all; the tallies (per IOC, per device) count every
// hit, and the page says how many it leaves out.

/** The newest hits of each IOC the page holds. */
export const HITS_PER_IOC = 10_000;
/** The most hits the page holds, whatever the number of IOCs. */
export const HITS_AT_MOST = 100_000;

export interface HitLimits {
  perIoc: number;
  atMost: number;
}

/** The fixed columns of a row, by name; the script reads positions from `columns`, never assumes them. */
export const HIT_COLUMNS = [
  /** epoch milliseconds, or null */
  'time',
  /** the unresolved time text, or the words saying there is none */
  'timeText',
  'table',
  'device',
  /** the id of the exclusion that suppressed the hit; -1: active */
  'suppressedBy',
  /** 1: malformed record (matched in its raw text) */
  'malformed',
  'file',
  'line',
  'record',
  /** `source -> destination`, as the text report writes it */
  'connection',
  /** process, parent, user, action */
  'actors',
  /** how many matches follow the fixed columns, MATCH_WIDTH numbers each */
  'matches',
] as const;

/** A match: the IOC it counts for (its label), the field (-1: raw text), the port seen (-1: none), port match (1, 0, -1: unknown). */
export const MATCH_COLUMNS = ['ioc', 'field', 'port', 'portMatch'] as const;

/** Absent text or number. */
export const NONE = -1;

export interface Tally {
  /** Index into `strings`. */
  name: number;
  active: number;
  suppressed: number;
}

export interface HitData {
  columns: readonly string[];
  matchColumns: readonly string[];
  strings: string[];
  /** One row per hit, in the report's order (newest first, no time last). */
  rows: Array<Array<number | null>>;
  /** Every IOC in force, in the report's order, with the hits counted for it (as summary.perIoc). */
  iocs: Tally[];
  /** Devices by active then suppressed hits; hits whose record names no device under `(not recorded)`. */
  devices: Tally[];
  tables: number[];
  /** Exclusion ids that suppressed at least one hit. */
  exclusions: number[];
}

export const NO_DEVICE = '(not recorded)';

class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  /** The index of `text` in its shown form. */
  of(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(shown(text));
      this.index.set(text, i);
    }
    return i;
  }

  maybe(text: string | undefined | null): number {
    return text === undefined || text === null || text === '' ? NONE : this.of(text);
  }
}

function endpoint(ip: string | undefined, port: string | undefined): string {
  if (!ip) return '?';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port ? `${host}:${port}` : host;
}

function connection(context: HitContext): string | undefined {
  if (!context.sourceIp && !context.destinationIp) return undefined;
  return `${endpoint(context.sourceIp, context.sourcePort)} -> ${endpoint(context.destinationIp, context.destinationPort)}`;
}

function timeOf(hit: Hit): { ms: number | null; text: string | null } {
  const ms = hit.time === null ? NaN : Date.parse(hit.time);
  if (!Number.isNaN(ms)) return { ms, text: null };
  if (hit.time !== null) return { ms: null, text: `time unresolved: ${hit.time}` };
  return { ms: null, text: hit.timeText !== undefined ? `time unresolved: ${hit.timeText}` : 'time not recorded' };
}

function tallySorted(tallies: Map<number, Tally>, strings: readonly string[]): Tally[] {
  return [...tallies.values()].sort((a, b) => b.active - a.active || b.suppressed - a.suppressed || (strings[a.name] < strings[b.name] ? -1 : 1));
}

/** The page's data, a hit at a time in the report's order. */
export class HitDataBuilder {
  private readonly strings = new Strings();
  private readonly iocNames: number[];
  private readonly iocs: Tally[];
  private readonly devices = new Map<number, Tally>();
  private readonly tables = new Set<number>();
  private readonly exclusions = new Set<number>();
  private readonly rows: Array<Array<number | null>> = [];
  /** Rows taken per IOC; the last entry: hits that count for no IOC in force. */
  private readonly taken: number[];
  /** Hits counted but not given a row. */
  leftOut = 0;

  constructor(
    private readonly reportIocs: readonly IocEntry[],
    private readonly limits: HitLimits = { perIoc: HITS_PER_IOC, atMost: HITS_AT_MOST },
  ) {
    this.iocNames = reportIocs.map((ioc) => this.strings.of(iocLabel(ioc)));
    this.iocs = this.iocNames.map((name) => ({ name, active: 0, suppressed: 0 }));
    this.taken = new Array<number>(reportIocs.length + 1).fill(0);
  }

  /** Hits must come newest first, so the rows taken are the newest. */
  add(hit: Hit): void {
    const { strings } = this;
    const context = contextOf(hit);
    const device = strings.of(context.device ?? NO_DEVICE);
    const suppressedBy = strings.maybe(hit.suppressedBy);
    const active = hit.suppressedBy === null;
    const table = strings.of(hit.table);
    this.tables.add(table);
    if (!active) this.exclusions.add(suppressedBy);

    const tally = this.devices.get(device) ?? { name: device, active: 0, suppressed: 0 };
    if (active) tally.active++;
    else tally.suppressed++;
    this.devices.set(device, tally);

    const found = hit.matches.map((match) => iocIndexOf(match, this.reportIocs));
    const counted = new Set<number>();
    for (const i of found) {
      if (i < 0 || counted.has(i)) continue;
      counted.add(i);
      if (active) this.iocs[i].active++;
      else this.iocs[i].suppressed++;
    }
    const buckets = counted.size > 0 ? [...counted] : [this.reportIocs.length];
    if (this.rows.length >= this.limits.atMost || buckets.every((b) => this.taken[b] >= this.limits.perIoc)) {
      this.leftOut++;
      return;
    }
    for (const b of buckets) this.taken[b]++;

    const time = timeOf(hit);
    const matches = hit.matches.flatMap((match, m) => {
      const i = found[m];
      const portMatch = match.portMatch === null ? NONE : match.portMatch ? 1 : 0;
      return [i >= 0 ? this.iocNames[i] : strings.of(match.ip), strings.maybe(match.field), match.port ?? NONE, portMatch];
    });

    this.rows.push([
      time.ms,
      strings.maybe(time.text),
      table,
      device,
      suppressedBy,
      hit.malformed ? 1 : 0,
      strings.of(hit.file),
      hit.line,
      hit.record,
      strings.maybe(connection(context)),
      strings.maybe(describeActors(context)),
      hit.matches.length,
      ...matches,
    ]);
  }

  data(): HitData {
    return {
      columns: HIT_COLUMNS,
      matchColumns: MATCH_COLUMNS,
      strings: this.strings.list,
      rows: this.rows,
      iocs: this.iocs,
      devices: tallySorted(this.devices, this.strings.list),
      tables: [...this.tables],
      exclusions: [...this.exclusions],
    };
  }
}

/** The page's data for a report held in memory. */
export function hitData(report: Report, limits?: HitLimits): HitData {
  const builder = new HitDataBuilder(report.iocs, limits);
  for (const hit of report.hits) builder.add(hit);
  return builder.data();
}
