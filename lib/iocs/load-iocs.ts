import { createHash } from 'node:crypto';
import { checkNesting, FeedFileProblem, readBounded } from '../inputs/feed-file.js';
import { builtinIocSet, IocSet, type Ioc } from '../matcher/ioc-set.js';
import type { IocFileRecord, IocSetRecord } from '../report/report.js';
import type { ScanOptions } from '../options/scan-options.js';
import { classifyIoc } from './classify-ioc.js';
import { IocFileFatal, type ParsedIocFile } from './ioc-rows.js';
import { looksLikeThreatFoxCsv, parseThreatFoxCsv } from './threatfox-csv.js';
import { parseIocJson } from './threatfox-json.js';
import { parsePlainList } from './plain-list.js';

// The IOC set in force: the built-in one, or the IOCs of every --iocs file
// (each file's format sniffed from its content), then --min-confidence.
// Loaded once, before any scanning, so a bad file costs no scan time.

export { IocFileFatal } from './ioc-rows.js';

export interface LoadedIocs {
  set: IocSet;
  /** What was read, used and left aside, one line per file, for standard error. */
  notices: string[];
  /** `file:line: message` for each line that could not be read. */
  warnings: string[];
}

/** ThreatFox exports nest 3 levels; far deeper is no IOC feed (and a stack overflow to walk). */
export const MAX_IOC_JSON_NESTING = 64;
/** ThreatFox's full export is tens of MiB; past this a feed is not read whole. */
export const MAX_IOC_FILE_BYTES = 256 * 1024 * 1024;

function parseIocFile(text: string): ParsedIocFile {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    checkNesting(body, MAX_IOC_JSON_NESTING);
    return parseIocJson(body);
  }
  const lines = body.split(/\r?\n/);
  return looksLikeThreatFoxCsv(lines) ? parseThreatFoxCsv(lines) : parsePlainList(lines);
}

function readIocFile(path: string): Buffer {
  try {
    return readBounded(path, MAX_IOC_FILE_BYTES);
  } catch (error) {
    if (error instanceof FeedFileProblem) throw new IocFileFatal(`${path}: ${error.message}`);
    const err = error as NodeJS.ErrnoException;
    throw new IocFileFatal(`${path}: cannot read the IOC file (${err.code ?? err.message})`);
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
  if (record.errors.length > 0) parts.push(`${record.errors.length} unreadable line${record.errors.length === 1 ? '' : 's'}`);
  return `${record.entries} entr${record.entries === 1 ? 'y' : 'ies'}: ${parts.join('; ')}`;
}

function describe(record: IocFileRecord): string {
  return `${record.path} (${record.format}): ${tally(record)}`;
}

function fromFiles(paths: readonly string[]): { iocs: Ioc[]; records: IocFileRecord[] } {
  const iocs: Ioc[] = [];
  const seen = new Set<string>();
  const records: IocFileRecord[] = [];
  for (const path of paths) {
    const bytes = readIocFile(path);
    let parsed: ParsedIocFile;
    try {
      parsed = parseIocFile(bytes.toString('utf8'));
    } catch (error) {
      if (error instanceof IocFileFatal || error instanceof FeedFileProblem) throw new IocFileFatal(`${path}: ${error.message}`);
      throw error;
    }
    const record: IocFileRecord = {
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      format: parsed.format,
      entries: parsed.rows.length + parsed.errors.length,
      used: 0,
      duplicates: 0,
      notApplicable: {},
      errors: [...parsed.errors],
    };
    for (const row of parsed.rows) {
      const found = classifyIoc(row);
      if (found.kind === 'bad') {
        record.errors.push({ line: row.line, message: found.message });
      } else if (found.kind === 'not-applicable') {
        record.notApplicable[found.type] = (record.notApplicable[found.type] ?? 0) + 1;
      } else {
        // the same ip:port from two files or twice in one is looked for once, with its first metadata
        const key = `${found.ip}:${found.port ?? ''}`;
        if (seen.has(key)) {
          record.duplicates++;
          continue;
        }
        seen.add(key);
        record.used++;
        iocs.push({ value: found.value, ip: found.ip, port: found.port, threatType: row.threatType, malware: row.malware, confidence: row.confidence, firstSeen: row.firstSeen });
      }
    }
    if (record.used + record.duplicates === 0) {
      const firstError = record.errors[0];
      const why = firstError ? `; first unreadable line: ${path}:${firstError.line ?? '?'}: ${firstError.message}` : '';
      throw new IocFileFatal(`${path}: no usable IOC (an ip or ip:port) in this ${record.format}: ${tally(record)}${why}`);
    }
    records.push(record);
  }
  return { iocs, records };
}

/** The IOCs the options ask for. Throws IocFileFatal (message names file and line) when none can be used. */
export function loadIocs(choice: ScanOptions['iocs'], minConfidence: number | null): LoadedIocs {
  const notices: string[] = [];
  const warnings: string[] = [];
  let iocs: readonly Ioc[];
  let provenance: IocSetRecord;
  if (choice.kind === 'builtin') {
    const builtin = builtinIocSet();
    iocs = builtin.iocs;
    provenance = { ...builtin.provenance };
  } else {
    const loaded = fromFiles(choice.paths);
    iocs = loaded.iocs;
    provenance = {
      origin: choice.paths.join(', '),
      // one file: its digest, as for the built-in set; several: each in `files`
      sha256: loaded.records.length === 1 ? loaded.records[0].sha256 : null,
      files: loaded.records,
    };
    for (const record of loaded.records) {
      notices.push(describe(record));
      for (const error of record.errors) warnings.push(`${record.path}:${error.line ?? '?'}: ${error.message}`);
    }
  }
  if (minConfidence !== null) {
    const kept = iocs.filter((ioc) => ioc.confidence === null || ioc.confidence >= minConfidence);
    const unknown = kept.filter((ioc) => ioc.confidence === null).length;
    provenance = { ...provenance, minConfidence, belowConfidence: iocs.length - kept.length };
    notices.push(`--min-confidence ${minConfidence}: ${iocs.length - kept.length} of ${iocs.length} IOCs dropped${unknown > 0 ? `; ${unknown} with no stated confidence kept` : ''}`);
    if (kept.length === 0) throw new IocFileFatal(`no IOC left at or above --min-confidence ${minConfidence} (of ${iocs.length})`);
    iocs = kept;
  }
  return { set: new IocSet(iocs, provenance), notices, warnings };
}
