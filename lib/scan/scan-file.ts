import { errnoText } from '../inputs/errno-text.js';
import type { FileEntry, FileTable, Hit, TableName } from '../report/report.js';
import type { ScanOptions } from '../options/scan-options.js';
import type { IocSet } from '../matcher/ioc-set.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { RecordMatcher } from '../matcher/match-record.js';
import { hitContext } from '../report/hit-context.js';
import { RawIocSearch } from '../matcher/raw-text.js';
import { finishTally, formatOfShape, openInput, Tally, type ContentShape } from '../inputs/open-input.js';
import { readCsv } from '../readers/csv-reader.js';
import { readJsonArray } from '../readers/json-array-reader.js';
import { readNdjson } from '../readers/ndjson-reader.js';
import type { ReaderContext } from '../readers/reader-context.js';
import type { RecordFields, SourceRecord } from '../readers/source-record.js';
import { TABLES, tableByName, tableFromColumns, type TableSpec } from '../tables/table-specs.js';
import { normalizeTime, resolveZone, splitHeaderSuffix } from '../time/record-time.js';
import type { ScanSink } from '../sink/scan-sink.js';

// One file, start to end: open, read records, decide, hand hits to the sink.

export interface ScanContext {
  options: ScanOptions;
  iocs: IocSet;
  matcher: RecordMatcher;
  exclusions: ExclusionSet;
  search: RawIocSearch;
  /** Hash large files on a thread of their own (when `--jobs` leaves one spare: thread-plan.ts). */
  hashBeside: boolean;
}


function readerFor(shape: ContentShape, content: AsyncIterable<Buffer>, context: ReaderContext): AsyncIterable<SourceRecord> {
  switch (shape) {
    case 'csv':
      return readCsv(content, context);
    case 'ndjson':
      return readNdjson(content, context);
    case 'json-array':
    case 'json-records':
      return readJsonArray(content, context);
  }
}

function recordTime(fields: RecordFields, spec: TableSpec): { time: string | null; timeText?: string } {
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

function describeFailure(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'Z_DATA_ERROR' || err?.code === 'Z_BUF_ERROR' || err?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return `gzip data is corrupt or cut short (${err.message}); records after this point could not be read`;
  }
  return errnoText(error, { ENOENT: 'no such file or directory (it vanished before it could be read)' });
}

/** Past this many errors in one file, the rest are counted in one closing entry, so a garbage file cannot fill memory. */
export const MAX_ERRORS_LISTED = 1000;

export async function scanFile(path: string, context: ScanContext, sink: ScanSink): Promise<void> {
  const { options, matcher } = context;
  const entry: FileEntry = { path, format: null, compressed: false, table: 'unknown', records: 0, bytes: 0, sha256: null, errors: [] };
  const tally = new Tally(sink.bytesRead?.bind(sink), context.hashBeside);
  const tables = new Set<FileTable>();
  let headerTable: TableName | null = null;
  let lastLine = 1;
  let unlisted = 0;
  /** Records a reader counted without handing them over (the fast path). */
  let counted = 0;

  const addError = (line: number | null, message: string) => {
    if (entry.errors.length < MAX_ERRORS_LISTED) entry.errors.push({ line, message });
    else unlisted++;
  };

  const readerContext: ReaderContext = {
    search: context.search,
    everyRecord: options.fullParse,
    header(names) {
      const columns = new Set(names.map((n) => splitHeaderSuffix(n).name.toLowerCase()));
      headerTable = tableFromColumns((c) => columns.has(c));
    },
    error: addError,
    counted(records) {
      counted = records;
    },
  };

  const tableOf = (record: SourceRecord, fields: RecordFields): TableName | null => {
    if (options.table) return options.table;
    if (record.declaredTable !== null) return tableByName(record.declaredTable);
    return headerTable ?? tableFromColumns((c) => fields.has(c));
  };

  const inWindow = (time: string | null): boolean => {
    if (time === null) return true;
    const ms = Date.parse(time);
    return (options.since === null || ms >= options.since) && (options.until === null || ms < options.until);
  };

  // A malformed record is an error, and still a hit when its raw text holds an IOC IP (docs/broken-input.md).
  const malformed = (record: SourceRecord) => {
    addError(record.line, record.problem ?? 'unreadable record');
    if (options.kqlParity || !record.rawIps || record.rawIps.size === 0) return;
    const found = context.search.iocsFor(record.rawIps);
    const table = options.table ?? headerTable ?? 'unknown';
    sink.hit(
      {
        file: path, line: record.line, record: record.index, table, time: null,
        matches: found.map((ioc) => ({ field: null, ip: ioc.ip, port: null, portMatch: null })),
        suppressedBy: null, malformed: true, fields: {},
      },
      found,
    );
  };

  const consider = (record: SourceRecord, fields: RecordFields) => {
    const table = tableOf(record, fields);
    tables.add(table ?? 'unknown');
    if (table === null) return;
    const spec = TABLES[table];
    const matches = matcher.match(fields, spec);
    if (matches.length === 0) {
      // IOC text in a record whose columns are in doubt: reported, not dropped
      if (record.suspect) malformed({ ...record, problem: record.suspect.problem, rawIps: record.suspect.rawIps });
      return;
    }
    const when = recordTime(fields, spec);
    if (!inWindow(when.time)) return;
    const hit: Hit = {
      file: path, line: record.line, record: record.index, table, ...when,
      matches: matches.map(({ field, ip, port, portMatch }) => ({ field, ip, port, portMatch })),
      suppressedBy: context.exclusions.firstMatch(fields, table), malformed: false, fields: projection(fields, spec),
      context: hitContext(fields, table),
    };
    sink.hit(hit, [...new Set(matches.map((m) => m.ioc))]);
  };

  try {
    const opened = await openInput(path, tally);
    entry.compressed = opened.compressed;
    if (opened.binary) {
      addError(null, 'binary data (mostly NUL bytes), not a CSV or JSON export: not read');
      await opened.close();
    } else {
      entry.format = formatOfShape(opened.shape);
      for await (const record of readerFor(opened.shape, opened.content, readerContext)) {
        entry.records++;
        lastLine = record.line;
        if (record.fields === null) malformed(record);
        else consider(record, record.fields);
      }
    }
  } catch (error) {
    const opened = tally.done || tally.bytes > 0;
    addError(opened ? lastLine : null, describeFailure(error));
  } finally {
    await finishTally(path, tally);
  }

  entry.records = Math.max(entry.records, counted);
  if (unlisted > 0) entry.errors.push({ line: null, message: `${unlisted} more errors in this file, not listed` });
  entry.bytes = tally.bytes;
  // asked for even when nothing was read: it also tells the hashing thread this file is over
  const digest = await tally.digest();
  entry.sha256 = tally.done || tally.bytes > 0 ? digest : null;
  if (entry.sha256 === null && tally.bytes > 0) addError(null, 'the SHA-256 of this file could not be computed (the hashing thread failed)');
  entry.table = tables.size === 1 ? [...tables][0] : tables.size > 1 ? 'mixed' : (options.table ?? headerTable ?? 'unknown');
  if (entry.table === 'unknown' && entry.format !== null) {
    sink.warning(path, entry.bytes === 0 ? 'empty file: nothing to search' : 'neither CommonSecurityLog nor DeviceNetworkEvents (use --table to force one); its records were counted, not searched');
  }
  sink.file(entry);
}
