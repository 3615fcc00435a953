import { parse, type CsvError, type Info } from 'csv-parse';
import { LineTracker } from './line-tracker.js';
import { CsvLayout, type SourceRecord } from './source-record.js';
import type { ReaderEvents } from './reader-events.js';

// CSV exports through csv-parse's streaming parser. The parser reports where
// each record ends (bytes); the LineTracker turns that into the physical line
// where the record starts, which csv-parse cannot tell through quoted CRLFs.

type Parsed = { kind: 'record'; cells: string[]; end: number } | { kind: 'skip'; error: CsvError };

/** Comma unless the header line holds more tabs than commas (`.tsv`, Excel copies). */
export function detectDelimiter(head: Buffer): string {
  const firstLine = head.toString('utf8', 0, Math.min(head.length, 65536)).split('\n', 1)[0];
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === '\t') tabs++;
  }
  return tabs > commas ? '\t' : ',';
}

export async function* readCsv(content: AsyncIterable<Buffer>, events: ReaderEvents): AsyncGenerator<SourceRecord> {
  const tracker = new LineTracker();
  const queue: Parsed[] = [];
  let parser: ReturnType<typeof parse> | null = null;
  let fatal: Error | null = null;
  let layout: CsvLayout | null = null;
  let typeColumn: readonly number[] | undefined;
  let previousEnd = 0;
  let index = 0;

  function start(delimiter: string): ReturnType<typeof parse> {
    const p = parse({
      bom: true,
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // Records are taken from these callbacks, which csv-parse calls in order
      // and synchronously within write(), so nothing piles up in the stream.
      on_record: (record: { record: string[]; info: Info } | string[], info: Info) => {
        const cells = Array.isArray(record) ? record : record.record;
        queue.push({ kind: 'record', cells, end: info.bytes });
        return null;
      },
      on_skip: (error: CsvError | undefined) => {
        if (error) queue.push({ kind: 'skip', error });
      },
    } as unknown as Parameters<typeof parse>[0]);
    p.on('error', (error: Error) => {
      fatal = error;
    });
    p.resume();
    return p;
  }

  function* drain(): Generator<SourceRecord> {
    while (queue.length > 0) {
      const item = queue.shift()!;
      const at = tracker.nextRecordStart(previousEnd);
      if (item.kind === 'skip') {
        index++;
        const stop = Math.max(at.offset, tracker.length);
        yield { line: at.line, offset: at.offset, index, fields: null, declaredTable: null, problem: csvProblem(item.error), rawText: tracker.slice(at.offset, stop).toString('utf8') };
        previousEnd = stop;
        tracker.release(previousEnd);
        continue;
      }
      if (layout === null) {
        layout = new CsvLayout(item.cells);
        typeColumn = layout.lookup('type');
        events.header?.(item.cells);
        previousEnd = item.end;
        continue;
      }
      index++;
      const record: SourceRecord = { line: at.line, offset: at.offset, index, fields: null, declaredTable: null };
      if (item.cells.length !== layout.names.length) {
        record.problem = `row has ${item.cells.length} fields, the header has ${layout.names.length}`;
        record.rawText = tracker.slice(at.offset, item.end).toString('utf8');
      } else {
        record.fields = layout.fields(item.cells);
        record.declaredTable = typeColumn ? record.fields.get('type') : null;
      }
      previousEnd = item.end;
      tracker.release(previousEnd);
      yield record;
    }
  }

  try {
    for await (const chunk of content) {
      tracker.append(chunk);
      parser ??= start(detectDelimiter(chunk));
      parser.write(chunk);
      yield* drain();
      if (fatal) break;
    }
  } catch (error) {
    // the content stream itself failed (corrupt gzip): what was parsed stands
    parser?.end();
    yield* drain();
    throw error;
  }
  parser?.end();
  yield* drain();
  if (fatal) throw fatal;
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed: the rest of the file is one broken record';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted field is followed by text before the next delimiter';
    default:
      return `unreadable CSV record (${error.message})`;
  }
}
