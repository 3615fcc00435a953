/**
 * Record time normalisation: the report's `time` / `timeText` (docs/inputs.md, "Times").
 *
 * Exports:
 *  - resolveZone(): zone label -> UTC, an IANA zone, or unknown.
 *  - normalizeTime(): a record's time text -> ISO 8601 UTC truncated to the millisecond, or null.
 *
 * Only node built-ins are used. The Windows / portal zone names live in lib/data/windows-zones.json
 * (data, not code), read once, lazily, on the first lookup that needs them.
 */
import { dataFile } from '../assets/assets.js';

/** A display time zone as the Log Analytics portal writes it in a header suffix, resolved. */
export type TimeZoneSpec = { kind: 'utc' } | { kind: 'iana'; name: string; label: string } | { kind: 'unknown'; label: string };

// ---------------------------------------------------------------------------------------------
// Zone labels
// ---------------------------------------------------------------------------------------------

interface WindowsZonesFile {
  zones: Array<{ windows: string; display: string; iana: string }>;
  aliases: Record<string, string>;
  utc: string[];
}

/** Lower-case lookup key -> IANA name, or UTC_MARK for labels meaning UTC itself. */
type ZoneTable = Map<string, string>;
const UTC_MARK = '\u0000utc';

let zoneTable: ZoneTable | undefined;

function getZoneTable(): ZoneTable {
  if (zoneTable !== undefined) return zoneTable;
  const data = JSON.parse(dataFile('windows-zones.json').toString('utf8')) as WindowsZonesFile;
  const table: ZoneTable = new Map();
  // First writer wins, so a Windows id or current display name is never overridden by an alias.
  const add = (label: string, value: string): void => {
    for (const key of [normalizeLabel(label), stripOffsetPrefix(normalizeLabel(label))]) {
      if (key !== '' && !table.has(key)) table.set(key, value);
    }
  };
  for (const u of data.utc) add(u, UTC_MARK);
  for (const z of data.zones) {
    const value = isUtcName(z.iana) ? UTC_MARK : z.iana;
    add(z.windows, value);
    add(z.display, value);
  }
  for (const [label, iana] of Object.entries(data.aliases)) add(label, isUtcName(iana) ? UTC_MARK : iana);
  zoneTable = table;
  return table;
}

/** Case-fold, unify dashes/apostrophes, `&` -> `and`, collapse white space. */
function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `(utc-05:00) eastern time ...` / `(gmt -5:00) ...` / `(utc) ...` -> `eastern time ...` (input already normalised). */
function stripOffsetPrefix(key: string): string {
  return key.replace(/^\(\s*(?:utc|gmt)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)\s*/, '');
}

function isUtcName(name: string): boolean {
  return /^(?:etc\/)?(?:utc|uct|gmt|universal|zulu|greenwich)(?:[+-]0)?$/i.test(name) || /^etc\/gmt0$|^gmt0$/i.test(name);
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per IANA zone, writing numeric wall-clock fields in a 0-23 hour cycle. Throws RangeError for a zone ICU does not know. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatterCache.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatterCache.set(zone, f);
  }
  return f;
}

/** An IANA name as ICU knows it (canonical spelling), or null. */
function ianaCanonical(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return canonical;
  } catch {
    return null;
  }
}

const resolveCache = new Map<string, TimeZoneSpec>();
const RESOLVE_CACHE_MAX = 1024;
const UTC_SPEC: TimeZoneSpec = Object.freeze({ kind: 'utc' }) as TimeZoneSpec;

/** Resolve a zone label: null/''/'UTC'/'Coordinated Universal Time'/'(UTC) Coordinated Universal Time' -> utc; known Windows/portal display names
 *  (e.g. 'Eastern Time (US and Canada)', 'Pacific Time (US and Canada)', 'W. Europe Standard Time', '(UTC+01:00) Amsterdam, Berlin, ...' ) -> iana; IANA names themselves ('Europe/Berlin') -> iana; otherwise unknown. Case-insensitive.
 *
 *  Order: UTC labels, then the Windows ids / display names / aliases of windows-zones.json (with and
 *  without their `(UTC±hh:mm)` prefix, `&` read as `and`), then any zone name ICU accepts
 *  (`Europe/Berlin`, `US/Eastern`, `europe/berlin`; one that ICU canonicalises to UTC is utc). Anything
 *  else, e.g. the portal's `Local Time`, is unknown: its times cannot be placed on the UTC axis. */
export function resolveZone(label: string | null): TimeZoneSpec {
  if (label === null) return UTC_SPEC;
  const trimmed = label.trim();
  if (trimmed === '') return UTC_SPEC;
  const cached = resolveCache.get(trimmed);
  if (cached !== undefined) return cached;
  const spec = resolveUncached(trimmed);
  if (resolveCache.size >= RESOLVE_CACHE_MAX) resolveCache.clear();
  resolveCache.set(trimmed, spec);
  return spec;
}

function resolveUncached(label: string): TimeZoneSpec {
  const table = getZoneTable();
  const key = normalizeLabel(label);
  const hit = table.get(key) ?? table.get(stripOffsetPrefix(key));
  if (hit !== undefined) return hit === UTC_MARK ? UTC_SPEC : { kind: 'iana', name: hit, label };
  const canonical = ianaCanonical(label);
  if (canonical !== null) return isUtcName(canonical) ? UTC_SPEC : { kind: 'iana', name: canonical, label };
  return { kind: 'unknown', label };
}

// ---------------------------------------------------------------------------------------------
// Time text
// ---------------------------------------------------------------------------------------------

/** ISO 8601 date-time: `T`/`t`/space separator, optional seconds and 1-9 fraction digits (`.` or `,`),
 *  optional designator `Z` or `±hh:mm` / `±hhmm` / `±hh`. */
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;

/** The portal's en-US locale text: `M/D/YYYY, h:mm:ss.fff AM`, also without seconds/fraction, without
 *  the comma, in 24-hour form, and with the narrow no-break space newer ICU writes before AM/PM (`\s` covers it). */
const LOCALE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,\s*|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$/;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range written as a plain four-digit year. */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validFields(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dim = mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!;
  // Hour 24 and leap second 60 are rejected: neither is written by Log Analytics or Defender.
  return d <= dim && h <= 23 && mi <= 59 && s <= 59;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); no Date.UTC two-digit-year trap. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilToMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** First three fraction digits as milliseconds: truncation, never rounding. */
function fractionMs(frac: string | undefined): number {
  if (frac === undefined) return 0;
  return Number((frac + '00').slice(0, 3));
}

function fractionText(frac: string | undefined): string {
  return frac === undefined ? '000' : (frac + '00').slice(0, 3);
}

function msToIso(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return null;
  return new Date(ms).toISOString();
}

/** Offset (local - UTC, ms, whole seconds) of `zone` at instant `utcMs`, from ICU via Intl. */
function zoneOffsetAt(zone: string, utcMs: number): number {
  const t = Math.floor(utcMs / 1000) * 1000;
  const parts = formatterFor(zone).formatToParts(t);
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value) % 24; break; // defensive: some ICU builds wrote 24 for midnight
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  return civilToMs(y, mo, d, h, mi, s, 0) - t;
}

const MS_PER_HOUR = 3_600_000;
const STEADY_CACHE_MAX = 4096;
/** zone -> local hour bucket -> offset, only for hours at least a day away from any transition. */
const steadyOffsetCache = new Map<string, Map<number, number>>();

/**
 * Wall-clock time `localMs` (the wall-clock fields encoded as if they were UTC) in IANA `zone` -> UTC ms.
 *
 * The zone's offset is probed one day before and one day after the wall time (a window that holds at
 * most one transition in any real zone); each probed offset is a candidate, and a candidate is kept only
 * if the zone really has that offset at the instant it yields (a fixed point of t = local - offset(t)).
 *  - One candidate: the ordinary case.
 *  - Two candidates: the wall time is ambiguous (DST fall-back repeats an hour); the EARLIER instant,
 *    i.e. the first occurrence (still on the pre-transition offset, e.g. EDT), is chosen.
 *  - None: the wall time does not exist (DST spring-forward gap); it is read with the offset in force
 *    before the gap, which shifts it FORWARD by the gap (02:30 on a US spring-forward day -> 03:30 EDT),
 *    the same as JavaScript's Date and Temporal's 'compatible' disambiguation.
 */
function zonedToUtc(zone: string, localMs: number): number {
  const bucket = Math.floor(localMs / MS_PER_HOUR);
  let zoneCache = steadyOffsetCache.get(zone);
  const cached = zoneCache?.get(bucket);
  if (cached !== undefined) return localMs - cached;

  const before = zoneOffsetAt(zone, localMs - MS_PER_DAY);
  const after = zoneOffsetAt(zone, localMs + MS_PER_DAY);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const t = localMs - offset;
    if (zoneOffsetAt(zone, t) === offset && (best === null || t < best)) best = t;
  }
  if (best === null) return localMs - before;

  // No transition within a day either side: every wall time in the same local hour has this offset
  // (its instant lies inside the probed window), so later records of that hour skip Intl entirely.
  if (before === after) {
    if (zoneCache === undefined) {
      zoneCache = new Map();
      steadyOffsetCache.set(zone, zoneCache);
    }
    if (zoneCache.size >= STEADY_CACHE_MAX) zoneCache.clear();
    zoneCache.set(bucket, before);
  }
  return best;
}

/** Wall-clock fields read in `zone` -> ISO UTC text, or null for an unknown zone / out-of-range result. */
function wallToIso(
  zone: TimeZoneSpec,
  y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number,
): string | null {
  const local = civilToMs(y, mo, d, h, mi, s, ms);
  switch (zone.kind) {
    case 'utc':
      return msToIso(local);
    case 'iana':
      try {
        return msToIso(zonedToUtc(zone.name, local));
      } catch {
        return null; // a zone name ICU rejects: cannot resolve
      }
    default:
      return null;
  }
}

/** Normalise a record's time text to ISO 8601 UTC truncated (not rounded) to the millisecond, e.g. '2023-12-21T19:04:59.0109752Z' -> '2023-12-21T19:04:59.010Z'.
 *  Returns null when it cannot be resolved (then the caller reports the original as timeText). Accepts:
 *  - ISO 8601 with Z or ±hh:mm offset, 0-9 fraction digits, 'T' or space separator -> zone argument ignored;
 *  - ISO 8601 without a designator -> read in `zone`;
 *  - the portal's en-US locale text 'M/D/YYYY, h:mm:ss[.fff] AM|PM' (e.g. '10/15/2020, 6:38:45.828 PM', '1/1/1970, 12:00:00.000 AM') and also without seconds' fraction and 24-hour 'M/D/YYYY, HH:mm:ss[.fff]' -> read in `zone`;
 *  - zone kind 'unknown' with zone-less text -> null. Empty / 'null' / '-' / garbage / impossible dates (month 13, Feb 30, hour 25) -> null.
 *  Numbers (epoch values such as CommonSecurityLog's ReceiptTime) are not times here: null. */
export function normalizeTime(text: string, zone: TimeZoneSpec): string | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t.length < 8) return null;

  const c0 = t.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return null; // every accepted form starts with a digit

  let m = ISO_RE.exec(t);
  if (m !== null) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const h = Number(m[4]);
    const mi = Number(m[5]);
    const s = m[6] === undefined ? 0 : Number(m[6]);
    if (!validFields(y, mo, d, h, mi, s)) return null;
    const designator = m[8];
    if (designator === 'Z' || designator === 'z') {
      // Fast path (Defender, az CLI, KQL output): already UTC, rebuild the text, no Date, no Intl.
      return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${fractionText(m[7])}Z`;
    }
    const ms = fractionMs(m[7]);
    if (designator !== undefined) {
      const sign = designator[0] === '-' ? -1 : 1;
      const digits = designator.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
      if (oh > 23 || om > 59) return null;
      return msToIso(civilToMs(y, mo, d, h, mi, s, ms) - sign * (oh * 60 + om) * MS_PER_MINUTE);
    }
    return wallToIso(zone, y, mo, d, h, mi, s, ms);
  }

  m = LOCALE_RE.exec(t);
  if (m !== null) {
    const mo = Number(m[1]);
    const d = Number(m[2]);
    const y = Number(m[3]);
    let h = Number(m[4]);
    const mi = Number(m[5]);
    const s = m[6] === undefined ? 0 : Number(m[6]);
    const ampm = m[8];
    if (ampm !== undefined) {
      // 12-hour clock: 12 AM is 00, 12 PM is 12; hour 0 or above 12 is not 12-hour text.
      if (h < 1 || h > 12) return null;
      const pm = ampm === 'P' || ampm === 'p';
      if (h === 12) h = pm ? 12 : 0;
      else if (pm) h += 12;
    }
    if (!validFields(y, mo, d, h, mi, s)) return null;
    return wallToIso(zone, y, mo, d, h, mi, s, fractionMs(m[7]));
  }

  return null;
}

// ---------------------------------------------------------------------------------------------
// Time window (--since / --until)
// ---------------------------------------------------------------------------------------------

/** Epoch milliseconds; `since` inclusive, `until` exclusive, null: unbounded. */
export interface TimeWindow {
  readonly since: number | null;
  readonly until: number | null;
}

/** A record whose time is unknown (null) is always inside: a window never hides a hit it cannot place. */
/** Where a time falls against the window: inside (or unknown: it cannot be shown to be outside), before --since, or at or after --until. */
export function windowSide(window: TimeWindow, time: string | null): 'inside' | 'before' | 'after' {
  if (time === null) return 'inside';
  const ms = Date.parse(time);
  if (window.since !== null && ms < window.since) return 'before';
  if (window.until !== null && ms >= window.until) return 'after';
  return 'inside';
}

export function inWindow(window: TimeWindow, time: string | null): boolean {
  if (time === null) return true;
  const ms = Date.parse(time);
  return (window.since === null || ms >= window.since) && (window.until === null || ms < window.until);
}
