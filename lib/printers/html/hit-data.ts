import type { Hit, HitContext, Report } from '../../report/report.js';
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

export function hitData(report: Report): HitData {
  const strings = new Strings();
  const iocNames = report.iocs.map((ioc) => strings.of(iocLabel(ioc)));
  const iocs: Tally[] = iocNames.map((name) => ({ name, active: 0, suppressed: 0 }));
  const devices = new Map<number, Tally>();
  const tables = new Set<number>();
  const exclusions = new Set<number>();

  const rows = report.hits.map((hit) => {
    const context = contextOf(hit);
    const time = timeOf(hit);
    const device = strings.of(context.device ?? NO_DEVICE);
    const suppressedBy = strings.maybe(hit.suppressedBy);
    const active = hit.suppressedBy === null;
    const table = strings.of(hit.table);
    tables.add(table);
    if (!active) exclusions.add(suppressedBy);

    const tally = devices.get(device) ?? { name: device, active: 0, suppressed: 0 };
    if (active) tally.active++;
    else tally.suppressed++;
    devices.set(device, tally);

    const counted = new Set<number>();
    const matches = hit.matches.flatMap((match) => {
      const i = iocIndexOf(match, report.iocs);
      if (i >= 0 && !counted.has(i)) {
        counted.add(i);
        if (active) iocs[i].active++;
        else iocs[i].suppressed++;
      }
      const portMatch = match.portMatch === null ? NONE : match.portMatch ? 1 : 0;
      return [i >= 0 ? iocNames[i] : strings.of(match.ip), strings.maybe(match.field), match.port ?? NONE, portMatch];
    });

    return [
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
    ];
  });

  return {
    columns: HIT_COLUMNS,
    matchColumns: MATCH_COLUMNS,
    strings: strings.list,
    rows,
    iocs,
    devices: tallySorted(devices, strings.list),
    tables: [...tables],
    exclusions: [...exclusions],
  };
}
