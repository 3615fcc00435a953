import type { Expectation } from './indicator.js';
import { HuntError, type IocFileCode } from '../errors/hunt-error.js';

// What every IOC file reader hands on: the rows it found, each with the line
// it came from, before anything decides which of them this tool can use.
// Each reader maps its feed's own type vocabulary (ThreatFox `ip:port`, MISP
// `ip-dst|port`, a STIX object path) to what the value is expected to be.

/** One IOC as a source file states it. */
export interface IocRow {
  /** 1-based line of the file where the IOC is written (for messages). */
  line: number;
  /** The IOC as written (maybe defanged). */
  value: string;
  /** The source's own type (`ip:port`, `domain`, `url`, `sha256_hash`…), or null for an untyped plain list. */
  type: string | null;
  threatType: string | null;
  malware: string | null;
  /** 0–100, or null when the source does not say. */
  confidence: number | null;
  firstSeen: string | null;
  /** What the source says the value is; null for a source type no indicator kind covers; absent: read as ThreatFox types. */
  expect?: Expectation | null;
  lastSeen?: string | null;
  validFrom?: string | null;
  validUntil?: string | null;
  labels?: string[];
  name?: string | null;
  /** The feed's own id for the IOC (STIX indicator id, MISP attribute uuid, ThreatFox ioc_id). */
  sourceId?: string | null;
}

/** An entry the file holds that is deliberately not used (revoked, to_ids false, a pattern this tool cannot read). */
export interface IocSetAside {
  line: number | null;
  /** Short and fixed, counted by: `revoked`, `to_ids false`, `pattern not supported`, … */
  reason: string;
  /** The feed's id of the entry, when it has one. */
  id: string | null;
  /** What exactly was not used (the pattern part), for the warning; null when the reason says it all. */
  detail: string | null;
}

export interface IocFileError {
  /** 1-based line, or null when the error is about the whole file. */
  line: number | null;
  message: string;
}

export type IocFileFormat =
  | 'threatfox-csv'
  | 'threatfox-json'
  | 'threatfox-api-json'
  | 'perlbot-hunt-json'
  | 'plain-list'
  | 'stix-bundle'
  | 'misp-json'
  | 'misp-csv';

export interface ParsedIocFile {
  format: IocFileFormat;
  /** Read once (a plain list's and a ThreatFox CSV's rows are made as they are read). */
  rows: Iterable<IocRow>;
  /** Lines that could not be read: reported, skipped, the rest of the file still used; complete once `rows` is read. */
  errors: IocFileError[];
  /** Entries not used on purpose, each counted by its reason. */
  setAside?: IocSetAside[];
  /** Entries used only because an option asked (`to_ids false` with allAttributes), counted by reason. */
  usedByOption?: Record<string, number>;
}

export interface IocFileOptions {
  /** MISP: use attributes whose to_ids is false too (they are counted either way). */
  allAttributes?: boolean;
}

/** ThreatFox's ioc_type (also in its API answers and this tool's own file) as what the value must be. */
export function threatFoxExpectation(type: string | null): Expectation | null {
  if (type === null) return 'any';
  const known: Record<string, Expectation> = {
    'ip:port': 'address',
    ip: 'address',
    domain: 'domain',
    url: 'url',
    md5_hash: 'md5',
    sha1_hash: 'sha1',
    sha256_hash: 'sha256',
  };
  return known[type.toLowerCase()] ?? null;
}

/** A file that cannot be read as IOCs at all: the CLI names it and exits 2 before scanning. */
export class IocFileFatal extends HuntError<IocFileCode> {}

/** ThreatFox writes `None` (or nothing) for an empty value. */
export function emptyToNull(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text === '' || text === 'None' || text === 'null' ? null : text;
}

/** A confidence as ThreatFox writes it (`"75"` or 75); null when absent or not a number from 0 to 100. */
export function confidenceOf(value: unknown): number | null {
  const text = emptyToNull(value);
  if (text === null) return null;
  const n = Number(text.replace(/%$/, ''));
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
}

/** A list of labels written as one comma-separated text (ThreatFox tags) or as an array. */
export function labelsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list.map((v) => emptyToNull(v)).filter((v): v is string => v !== null);
}

/** ThreatFox's `2026-05-21 10:00:07` (UTC, some exports add ` UTC`) as ISO 8601; anything else as written. */
export function firstSeenOf(value: unknown): string | null {
  const text = emptyToNull(value);
  if (text === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?: ?UTC)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}
