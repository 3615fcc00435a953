// The report: its shape (this file), what a hit says beyond its matches
// (hit-context.ts, hit-iocs.ts), and its sums (summary.ts).
//
// The JSON report (docs/output.md). Every printer renders this one shape, so a
// new output format never has to reach back into the search.

/** A catalogued table's name (lib/data/tables.json), as the catalogue spells it. */
export type TableName = string;
export type FileTable = TableName | 'mixed' | 'unknown';
export type FileFormat = 'csv' | 'json' | 'ndjson';

/** The kinds of IOC (lib/iocs/indicator.ts); an entry without `kind` is an IPv4 address. */
export type IocKind = 'ipv4' | 'ipv6' | 'cidr' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

/**
 * How a match found its IOC, when not as the IOC's own value: a host under
 * a domain IOC (`subdomain`), an address inside a range IOC (`in-range`),
 * or the host of a URL IOC seen without that URL (`url-host`, weaker: never
 * an exact URL hit).
 */
export type MatchHow = 'subdomain' | 'in-range' | 'url-host';

export interface Match {
  field: string | null;
  /** The IOC's value (named `ip` since IPv4 came first): an address, range, domain, URL or hash. */
  ip: string;
  port: number | null;
  portMatch: boolean | null;
  /** The IOC's kind; absent for IPv4. */
  kind?: IocKind;
  /** What the field held (canonical) when it is not the IOC's value itself: the host, the address in the range. */
  seen?: string;
  how?: MatchHow;
}

export interface Hit {
  file: string;
  line: number;
  record: number;
  table: TableName | 'unknown';
  time: string | null;
  /** The original time text, present only when `time` could not be resolved. */
  timeText?: string;
  matches: Match[];
  suppressedBy: string | null;
  malformed: boolean;
  fields: Record<string, string | null>;
  /**
   * Who talked to whom, and which appliance logged it, read from the whole
   * record (beyond the KQL projection). Every format shows it (docs/output.md);
   * absent on malformed hits (written `{}`).
   */
  context?: HitContext;
  /** In a merged report only: the report (as named to `merge`) the hit comes from. */
  report?: string;
}

/** The record's story in the responder's terms; a key is absent when the record does not say. */
export interface HitContext {
  /** The machine the record is about: the Defender device, or the appliance that logged it. */
  device?: string;
  /** Who made the device or appliance, and what it is (CommonSecurityLog `DeviceVendor`, `DeviceProduct`). */
  vendor?: string;
  product?: string;
  sourceIp?: string;
  sourcePort?: string;
  destinationIp?: string;
  destinationPort?: string;
  process?: string;
  parentProcess?: string;
  user?: string;
  action?: string;
}

export interface FileError {
  /** 1-based physical line, or null when the error is about the whole file. */
  line: number | null;
  message: string;
}

export interface FileEntry {
  path: string;
  /** null when the file could not be opened, so its content is unknown. */
  format: FileFormat | null;
  compressed: boolean;
  table: FileTable;
  records: number;
  bytes: number;
  sha256: string | null;
  errors: FileError[];
  /** Records by the way they were searched; records in none of the three were not searched. */
  searched: RecordsSearched;
  /** Active hits left out by --since (before) and --until (after). */
  beforeWindow: number;
  afterWindow: number;
  /** Present only on a file the walk met but did not read: why (`extension`: not an export's; --all-files reads it). */
  skipped?: 'extension';
  /** In a merged report only: the report (as named to `merge`) the file was scanned for. */
  report?: string;
}

export interface IocEntry {
  /** The IOC's canonical value (named `ip` since IPv4 came first). */
  ip: string;
  port: number | null;
  threatType: string | null;
  malware: string | null;
  confidence: number | null;
  firstSeen: string | null;
  /**
   * Present for an IOC read from an --iocs file (the built-in set's entries
   * are IPv4 addresses and carry none, so its reports stay as they were).
   */
  kind?: IocKind;
  sourceFile?: string;
  /** 1-based line of the IOC file where it is written. */
  line?: number;
  validFrom?: string | null;
  validUntil?: string | null;
  lastSeen?: string | null;
  /**
   * The feed's own id for the IOC (a STIX indicator id, a MISP attribute
   * uuid, a ThreatFox ioc_id), present only when the feed gave one: a STIX
   * export points its sightings at it.
   */
  sourceId?: string;
}

export interface ExclusionEntry {
  id: string;
  description: string;
}

export interface PerIocCount {
  ip: string;
  port: number | null;
  /** As the IOC's entry in `iocs`: absent for IPv4. */
  kind?: IocKind;
  hits: number;
  suppressed: number;
}

/** Counts by the way records were searched: their table's address columns, every column (a table not catalogued), or their raw text alone (malformed, or no IOC text so never parsed). */
export interface RecordsSearched {
  knownTable: number;
  unknownTable: number;
  rawText: number;
}

export interface Summary {
  files: number;
  records: number;
  hits: number;
  suppressed: number;
  errors: number;
  perIoc: PerIocCount[];
  /** Active hits left out by --since/--until: before + after. */
  outsideWindow: number;
  beforeWindow: number;
  afterWindow: number;
  /** Files (each by the least thorough way one of its records was read) and records, by the way they were searched. */
  searched: { files: RecordsSearched; records: RecordsSearched };
  /** Files not searched at all or not in full, and records counted but not searched. */
  notSearched: { files: number; skipped: number; unreadable: number; records: number };
}

/** Where an IOC or exclusion set came from, and the SHA-256 of its data file's bytes. */
export interface SetProvenance {
  /** `built-in`, the path of the user's file, or `none`. */
  origin: string;
  /** null when no file was read (`none`). */
  sha256: string | null;
}

/** One `--iocs` file: what was read from it, used, and left aside (and why). */
export interface IocFileRecord {
  path: string;
  sha256: string;
  /** `threatfox-csv`, `threatfox-json`, `threatfox-api-json`, `perlbot-hunt-json`, `stix-bundle`, `misp-json`, `misp-csv` or `plain-list`. */
  format: string;
  /** IOC entries read from the file. */
  entries: number;
  /** IOCs kept, of every kind (before --min-confidence). */
  used: number;
  /** IOCs already given earlier (same kind, value and port), kept once. */
  duplicates: number;
  /** Entries of types no IOC kind covers (a MISP `email-src`, a ThreatFox type unknown), by the source's type. */
  notApplicable: Record<string, number>;
  /** Lines that could not be read: skipped, the rest of the file used. */
  errors: Array<{ line: number | null; message: string }>;
  /** Entries not used on purpose, by reason (`revoked`, `to_ids false`, `pattern not supported`); only when there are some. */
  notUsed?: Record<string, number>;
  /** Entries used only because an option asked (MISP `to_ids false` with allAttributes), by reason; only when there are some. */
  usedByOption?: Record<string, number>;
}

/** The IOC set's provenance; `files` only with --iocs, `minConfidence` only with --min-confidence. */
export interface IocSetRecord extends SetProvenance {
  files?: IocFileRecord[];
  minConfidence?: number;
  /** IOCs dropped by --min-confidence (an IOC whose confidence is unknown is kept). */
  belowConfidence?: number;
}

/**
 * What a second responder needs to reproduce the run: the options in force
 * and exactly which IOC and exclusion data were used. One key appended after
 * the keys docs/output.md lists first, so readers of that shape are not disturbed.
 */
export interface RunRecord {
  options: {
    paths: string[];
    cwd: string;
    format: string;
    output: string | null;
    kqlParity: boolean;
    /** Present (true) only when --ioc-validity was given. */
    iocValidity?: true;
    /** false: records with no IOC text were counted, not parsed (their syntax errors are not listed). */
    fullParse: boolean;
    /** --all-files; absent in reports made before it. */
    allFiles?: boolean;
    jobs: number;
    table: string | null;
    since: string | null;
    until: string | null;
    exclusions: string;
    color: boolean | null;
    quiet: boolean;
  };
  iocSet: IocSetRecord;
  exclusionSet: SetProvenance;
}

export interface Report {
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  iocs: IocEntry[];
  exclusions: ExclusionEntry[];
  files: FileEntry[];
  summary: Summary;
  hits: Hit[];
  /** Set by the CLI; absent when a report is built in-process without it, and in a merged report (see `merge`). */
  run?: RunRecord;
  /** Set by `perlbot-hunt merge` instead of `run`: the reports merged, each with its own run. */
  merge?: MergeRecord;
}

/** One report that went into a merged report. */
export interface MergedReportEntry {
  /** As named to `merge`. */
  path: string;
  /** SHA-256 of the report file's bytes. */
  sha256: string;
  toolVersion: string;
  startedAt: string;
  finishedAt: string;
  files: number;
  records: number;
  hits: number;
  suppressed: number;
  errors: number;
  /** The report's own `run` record (options, cwd, IOC and exclusion set provenance), when it had one. */
  run: RunRecord | null;
}

export interface MergeRecord {
  reports: MergedReportEntry[];
  /** Active and suppressed hits per device (`null`: the hit's columns name none), most active first. */
  perDevice: Array<{ device: string | null; hits: number; suppressed: number }>;
}
