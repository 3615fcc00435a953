import { createHash } from 'node:crypto';
import { checkNesting, FeedFileProblem, readBounded } from '../errors/feed-file.js';
import { errnoText } from '../errors/errno-text.js';
import type { Ioc } from '../matcher/ioc-set.js';
import type { IocFileRecord } from '../report/report.js';
import { classifyIoc } from './classify-ioc.js';
import { FirstSightings, SharedTexts, tallyBy, type IndicatorExtras } from './indicator-list.js';
import { IocFileFatal, type IocFileError, type IocFileOptions, type ParsedIocFile } from './ioc-rows.js';
import { looksLikeMispCsv, parseMispCsv } from './misp-csv.js';
import { looksLikeThreatFoxCsv, parseThreatFoxCsv } from './threatfox-csv.js';
import { parseIocJson } from './threatfox-json.js';
import { parsePlainList } from './plain-list.js';
import type { IocFileCode } from '../errors/hunt-error.js';
import { builtinRead, inForce, type IocChoice, type LoadedIocs, type ReadIocs } from './iocs-in-force.js';

// The IOC set in force: the built-in one, or the IOCs of every --iocs file
// (each file's format sniffed from its content), then --min-confidence.
// Loaded once, before any scanning, so a bad file costs no scan time.

export { IocFileFatal } from './ioc-rows.js';
export type { IocChoice, LoadedIocs } from './iocs-in-force.js';

/** ThreatFox exports nest 3 levels; far deeper is no IOC feed (and a stack overflow to walk). */
export const MAX_IOC_JSON_NESTING = 64;
/** ThreatFox's full export is tens of MiB; past this a feed is not read whole. */
export const MAX_IOC_FILE_BYTES = 256 * 1024 * 1024;

function parseIocFile(text: string, options: IocFileOptions): ParsedIocFile {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    checkNesting(body, MAX_IOC_JSON_NESTING);
    return parseIocJson(body, options);
  }
  const lines = body.split(/\r?\n/);
  if (looksLikeThreatFoxCsv(lines)) return parseThreatFoxCsv(lines);
  return looksLikeMispCsv(lines) ? parseMispCsv(lines, options) : parsePlainList(lines);
}

const feedBound = (problem: FeedFileProblem): IocFileCode => (problem.code === 'FEED_FILE_TOO_LARGE' ? 'IOC_FILE_TOO_LARGE' : 'IOC_FILE_TOO_DEEP');

function readIocFile(path: string): Buffer {
  try {
    return readBounded(path, MAX_IOC_FILE_BYTES);
  } catch (error) {
    if (error instanceof FeedFileProblem) throw new IocFileFatal(feedBound(error), `${path}: ${error.message}`);
    throw new IocFileFatal('IOC_FILE_UNREADABLE', `${path}: cannot read the IOC file: ${errnoText(error)}`);
  }
}

function countList(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
}

/** `7 entries: 4 used; 3 not applicable to these tables (1 domain, …)` */
function tally(record: IocFileRecord): string {
  const parts = [`${record.used} used`];
  if (record.duplicates > 0) parts.push(`${record.duplicates} duplicate${record.duplicates === 1 ? '' : 's'}`);
  const notApplicable = Object.values(record.notApplicable).reduce((a, b) => a + b, 0);
  if (notApplicable > 0) parts.push(`${notApplicable} not applicable to these tables (${countList(record.notApplicable)})`);
  const notUsed = Object.values(record.notUsed ?? {}).reduce((a, b) => a + b, 0);
  if (notUsed > 0) parts.push(`${notUsed} not used (${countList(record.notUsed!)})`);
  if (record.usedByOption) parts.push(`used as asked: ${countList(record.usedByOption)}`);
  if (record.errors.length > 0) parts.push(`${record.errors.length} unreadable line${record.errors.length === 1 ? '' : 's'}`);
  return `${record.entries} entr${record.entries === 1 ? 'y' : 'ies'}: ${parts.join('; ')}`;
}

function describe(record: IocFileRecord): string {
  return `${record.path} (${record.format}): ${tally(record)}`;
}

/** A feed file's text and digest: its bytes are let go before the text is parsed (an export is tens of MB). */
function readFeedText(path: string): { text: string; sha256: string } {
  const bytes = readIocFile(path);
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A feed file hashed and parsed. */
function readFeed(path: string, options: IocFileOptions): { parsed: ParsedIocFile; sha256: string } {
  const { text, sha256 } = readFeedText(path);
  try {
    return { parsed: parseIocFile(text, options), sha256 };
  } catch (error) {
    if (error instanceof IocFileFatal) throw new IocFileFatal(error.code, `${path}: ${error.message}`);
    if (error instanceof FeedFileProblem) throw new IocFileFatal(feedBound(error), `${path}: ${error.message}`);
    throw error;
  }
}

function fromFiles(paths: readonly string[], options: IocFileOptions): { iocs: Ioc[]; extras: Map<Ioc, IndicatorExtras>; records: IocFileRecord[]; asideWarnings: string[] } {
  const asideWarnings: string[] = [];
  const iocs: Ioc[] = [];
  const extras = new Map<Ioc, IndicatorExtras>();
  const seen = new FirstSightings();
  const shared = new SharedTexts();
  const records: IocFileRecord[] = [];
  for (const path of paths) {
    const { parsed, sha256 } = readFeed(path, options);
    const setAside = parsed.setAside ?? [];
    const record: IocFileRecord = {
      path,
      sha256,
      format: parsed.format,
      // the rows and the reader's errors are counted once the rows are read, below
      entries: setAside.length,
      used: 0,
      duplicates: 0,
      notApplicable: {},
      errors: [],
    };
    const unreadable: IocFileError[] = [];
    if (setAside.length > 0) record.notUsed = tallyBy(setAside.map((entry) => entry.reason));
    for (const entry of setAside) {
      if (entry.detail !== null) asideWarnings.push(`${path}:${entry.line ?? '?'}: ${entry.id ?? 'an entry'} not used, ${entry.reason}: ${entry.detail}`);
    }
    if (parsed.usedByOption && Object.keys(parsed.usedByOption).length > 0) record.usedByOption = parsed.usedByOption;
    for (const row of parsed.rows) {
      record.entries++;
      const found = classifyIoc(row);
      if (found.kind === 'bad') {
        unreadable.push({ line: row.line, message: found.message });
        continue;
      }
      if (found.kind === 'not-applicable') {
        record.notApplicable[found.type] = (record.notApplicable[found.type] ?? 0) + 1;
        continue;
      }
      // the same kind, value and port from two files or twice in one is looked for once, with its first metadata
      const { indicator } = found;
      if (!seen.first(indicator.kind, indicator.value, indicator.port)) {
        record.duplicates++;
        continue;
      }
      record.used++;
      // an IOC most often is written as its canonical value: one string for both (a copy of each was 2 MB of a 100,000-IOC feed)
      const ioc: Ioc = {
        value: found.value, ip: indicator.value === found.value ? found.value : indicator.value, port: indicator.port,
        threatType: shared.text(row.threatType), malware: shared.text(row.malware), confidence: row.confidence, firstSeen: shared.text(row.firstSeen),
        kind: indicator.kind, sourceFile: path, line: row.line, validFrom: shared.text(row.validFrom ?? null), validUntil: shared.text(row.validUntil ?? null), lastSeen: shared.text(row.lastSeen ?? null),
      };
      // set, not spread: a spread in each of 100,000 literals made loading a large feed slow
      const sourceId = row.sourceId ?? null;
      if (sourceId) ioc.sourceId = sourceId;
      const labels = shared.labels(row.labels ?? []);
      const name = shared.text(row.name ?? null);
      if (labels.length > 0 || name !== null || sourceId === '') extras.set(ioc, { labels, name, sourceId });
      iocs.push(ioc);
    }
    // the reader's errors (complete once its rows are read) first, then the values it gave that are not what they say
    record.entries += parsed.errors.length;
    record.errors = [...parsed.errors, ...unreadable];
    if (record.used + record.duplicates === 0) {
      const firstError = record.errors[0];
      const why = firstError ? `; first unreadable line: ${path}:${firstError.line ?? '?'}: ${firstError.message}` : '';
      throw new IocFileFatal('IOC_FILE_NO_USABLE_IOC', `${path}: no usable IOC (an address, range, domain, URL or hash) in this ${record.format}: ${tally(record)}${why}`);
    }
    records.push(record);
  }
  return { iocs, extras, records, asideWarnings };
}

/** The IOCs asked for. Throws IocFileFatal (message names file and line) when none can be used. */
export function loadIocs(choice: IocChoice, minConfidence: number | null, options: IocFileOptions = {}): LoadedIocs {
  return inForce(choice.kind === 'builtin' ? builtinRead() : readFiles(choice.paths, options), minConfidence);
}

/** The --iocs files, each told on standard error (what was used, what was not and why). */
function readFiles(paths: string[], options: IocFileOptions): ReadIocs {
  const notices: string[] = [];
  const warnings: string[] = [];
  const loaded = fromFiles(paths, options);
  const provenance = {
    origin: paths.join(', '),
    // one file: its digest, as for the built-in set; several: each in `files`
    sha256: loaded.records.length === 1 ? loaded.records[0].sha256 : null,
    files: loaded.records,
  };
  for (const record of loaded.records) {
    notices.push(describe(record));
    for (const error of record.errors) warnings.push(`${record.path}:${error.line ?? '?'}: ${error.message}`);
  }
  warnings.push(...loaded.asideWarnings);
  return { iocs: loaded.iocs, extras: loaded.extras, provenance, notices, warnings };
}
