// What every IOC file reader hands on: the rows it found, each with the line
// it came from, before anything decides which of them this tool can use.

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
}

export interface IocFileError {
  /** 1-based line, or null when the error is about the whole file. */
  line: number | null;
  message: string;
}

export type IocFileFormat = 'threatfox-csv' | 'threatfox-json' | 'threatfox-api-json' | 'perlbot-hunt-json' | 'plain-list';

export interface ParsedIocFile {
  format: IocFileFormat;
  rows: IocRow[];
  /** Lines that could not be read: reported, skipped, the rest of the file still used. */
  errors: IocFileError[];
}

/** A file that cannot be read as IOCs at all: the CLI names it and exits 2 before scanning. */
export class IocFileFatal extends Error {}

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

/** ThreatFox's `2026-05-21 10:00:07` (UTC, some exports add ` UTC`) as ISO 8601; anything else as written. */
export function firstSeenOf(value: unknown): string | null {
  const text = emptyToNull(value);
  if (text === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?: ?UTC)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}
