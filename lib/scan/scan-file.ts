import { errnoText } from '../errors/errno-text.js';
import type { FileEntry, FileTable, TableName } from '../report/report.js';
import { noneSearched } from '../report/searched.js';
import { openInput } from '../inputs/open-input.js';
import { finishTally } from '../inputs/file-chunks.js';
import { ReadTally } from '../inputs/read-tally.js';
import { formatOfShape, type ContentShape } from '../inputs/sniff-shape.js';
import { NOT_TEXT_PROBLEM } from '../inputs/text-or-binary.js';
import type { ReaderChannel } from '../readers/reader-channel.js';
import type { SourceRecord } from '../record/source-record.js';
import type { ScanPlan } from '../plan/scan-plan.js';
import { judgeRecord, tableOfHeader, type RecordVerdict } from '../verdict/record-verdict.js';
import type { ScanSink } from '../sink/scan-sink.js';

// One file, start to end: open it, read its records, ask the record verdict
// about each, hand hits to the sink, and tally the file's entry (format,
// table, records, bytes, SHA-256, errors).

// Each reader is loaded when a file of its shape is met: start-up is paid on
// every run (and in every worker thread), and most runs read one format.
async function readerFor(shape: ContentShape, content: AsyncIterable<Buffer>, channel: ReaderChannel): Promise<AsyncIterable<SourceRecord>> {
  switch (shape) {
    case 'csv':
      return (await import('../readers/csv-reader.js')).readCsv(content, channel);
    case 'ndjson':
      return (await import('../readers/ndjson-reader.js')).readNdjson(content, channel);
    case 'json-array':
    case 'json-records':
      return (await import('../readers/json-array-reader.js')).readJsonArray(content, channel);
    case 'json-tables':
      return (await import('../readers/query-answer-reader.js')).readQueryAnswer(content, channel);
  }
}

function describeFailure(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'Z_DATA_ERROR' || err?.code === 'Z_BUF_ERROR' || err?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return `gzip data is corrupt or cut short (${err.message}); records after this point could not be read`;
  }
  return errnoText(error, { ENOENT: 'no such file or directory (it vanished before it could be read)' });
}

/** The entry of a file that could not be read: its error, and nothing else known. */
export function unreadable(path: string, message: string): FileEntry {
  return { ...emptyEntry(path), errors: [{ line: null, message }] };
}

/** The entry of a file the walk met and did not read, and why (it is counted and named, never dropped in silence). */
export function skippedFile(path: string, why: 'extension'): FileEntry {
  return { ...emptyEntry(path), skipped: why };
}

function emptyEntry(path: string): FileEntry {
  return { path, format: null, compressed: false, table: 'unknown', records: 0, bytes: 0, sha256: null, errors: [], searched: noneSearched(), beforeWindow: 0, afterWindow: 0 };
}

/** Past this many errors in one file, the rest are counted in one closing entry, so a garbage file cannot fill memory. */
export const MAX_ERRORS_LISTED = 1000;

/**
 * `hashOnOwnThread`: a large file's SHA-256 is worked out on a thread of its
 * own (when `--jobs` leaves one spare: thread-plan.ts).
 */
export async function scanFile(path: string, plan: ScanPlan, sink: ScanSink, hashOnOwnThread: boolean): Promise<void> {
  const { rule } = plan;
  const entry = emptyEntry(path);
  // the hashing thread also searches a large file for IOC candidates, when the fast path searches at all
  const tally = new ReadTally(sink.bytesRead?.bind(sink), hashOnOwnThread, plan.fullParse ? null : rule.rawSearch.tokenTable);
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

  const progress = { lineFeeds: 0 };
  const readerChannel: ReaderChannel = {
    search: rule.rawSearch,
    progress,
    fullParse: plan.fullParse,
    header(names) {
      headerTable = tableOfHeader(rule, names);
    },
    error: addError,
    counted(records) {
      counted = records;
    },
  };

  const tallied = (record: SourceRecord, verdict: RecordVerdict) => {
    // a record that could not be parsed was read as no table
    if (record.fields !== null) tables.add(verdict.table ?? 'unknown');
    if (verdict.kind === 'malformed') addError(record.line, verdict.problem);
    else if (verdict.kind === 'hit' && verdict.problem !== undefined) addError(record.line, verdict.problem);
    // how it was searched: raw text alone, the unknown-table rule (no table, or `unknown`), or its table; `unsearched` in none
    if (verdict.kind === 'malformed') entry.searched.rawText++;
    else if (verdict.kind === 'unsearched') { /* counted, not searched (--kql-parity reads the seed's two tables only) */ }
    else if (verdict.table === null || verdict.table === 'unknown') entry.searched.unknownTable++;
    else entry.searched.knownTable++;
    if (verdict.kind === 'outside') {
      if (verdict.side === 'before') entry.beforeWindow++;
      else entry.afterWindow++;
    } else if ((verdict.kind === 'hit' || verdict.kind === 'malformed') && verdict.found) sink.hit({ file: path, ...verdict.found.hit }, verdict.found.iocs);
  };

  try {
    const opened = await openInput(path, tally, { lineFeedsRead: () => progress.lineFeeds, report: addError });
    entry.compressed = opened.compressed;
    if (opened.binary) {
      addError(null, NOT_TEXT_PROBLEM);
      await opened.close();
    } else {
      entry.format = formatOfShape(opened.shape);
      for await (const record of await readerFor(opened.shape, opened.content, readerChannel)) {
        entry.records++;
        lastLine = record.line;
        tallied(record, judgeRecord(rule, record, headerTable));
      }
    }
  } catch (error) {
    const opened = tally.done || tally.bytes > 0;
    addError(opened ? lastLine : null, describeFailure(error));
  } finally {
    await finishTally(path, tally);
  }

  // counted, never handed over: their raw text held no IOC text, so no column of them can hold one
  if (counted > entry.records) entry.searched.rawText += counted - entry.records;
  entry.records = Math.max(entry.records, counted);
  if (unlisted > 0) entry.errors.push({ line: null, message: `${unlisted} more errors in this file, not listed` });
  entry.bytes = tally.bytes;
  // asked for even when nothing was read: it also tells the hashing thread this file is over
  const digest = await tally.digest();
  entry.sha256 = tally.done || tally.bytes > 0 ? digest : null;
  if (entry.sha256 === null && tally.bytes > 0) addError(null, 'the SHA-256 of this file could not be computed (the hashing thread failed)');
  entry.table = tables.size === 1 ? [...tables][0] : tables.size > 1 ? 'mixed' : (rule.table ?? headerTable ?? 'unknown');
  // a file that held nothing but damage (a zeroed file) has its error: no table to guess at
  if (entry.table === 'unknown' && entry.format !== null && (entry.records > 0 || entry.errors.length === 0)) {
    sink.warning(path, entry.bytes === 0 ? 'empty file: nothing to search' : 'no catalogued table (use --table to force one): its records were searched by the unknown-table rule, every column read as one address');
  }
  sink.file(entry);
}
