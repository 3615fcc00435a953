import { isUtf8 } from 'node:buffer';
import { parse, type CsvError, type Options } from 'csv-parse';
import { parse as parseWhole } from 'csv-parse/sync';
import { CsvFramer, type FramedRecord } from './csv-framer.js';
import { CsvLayout, NOT_UTF8 } from './record-fields.js';
import type { SourceRecord } from '../record/source-record.js';
import type { ReaderChannel } from './reader-channel.js';
import { knownNulFree } from '../inputs/nul-runs.js';

const HAS_NUL = 'NUL bytes inside the record (damaged data)';

/** Bytes framed at a time: bounds the records in flight at once (and so memory) whatever the read size. */
const FRAME_SLICE = 128 * 1024;

// CSV exports: the framer finds each record's bytes and starting line, then
// csv-parse's streaming parser splits the record into fields. The parser only
// ever sees whole records, so one broken record cannot desynchronise it.

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

type Read = { cells: string[] } | { error: CsvError } | { broken: true };
/** What the splitter says of a record: read, or (ragged) left for the reader to report. */
type Parsed = Read | { ragged: number };

function parserOptions(delimiter: string, bom: boolean): Options {
  return { bom, delimiter, record_delimiter: ['\r\n', '\n'], relax_column_count: true, relax_quotes: true };
}

/** One record parsed on its own, for the rare row the framer counted differently from the parser. */
function parseAlone(bytes: Buffer, delimiter: string): Read {
  try {
    const [cells] = parseWhole(bytes, parserOptions(delimiter, false)) as string[][];
    return { cells: cells ?? [] };
  } catch (error) {
    return { error: error as CsvError };
  }
}

/**
 * csv-parse as a per-record function. It emits a record only once it has seen
 * what follows the record's line ending, so results arrive one record late:
 * records wait in `waiting` until their result comes back, and leave in the
 * order they came, broken ones (never shown to the parser) included.
 *
 * Ragged rows (the framer counted their fields) are never shown to the
 * parser either: it builds an error object for every such row, deep-copying
 * its channel, and a file of ragged rows then crawls at ~1 MB/s.
 */
class FieldSplitter {
  private parser: ReturnType<typeof parse>;
  private readonly results: Parsed[] = [];
  private readonly waiting: FramedRecord[] = [];

  constructor(private readonly delimiter: string) {
    this.parser = this.create(true);
  }

  private create(first: boolean): ReturnType<typeof parse> {
    const parser = parse({
      ...parserOptions(this.delimiter, first),
      skip_records_with_error: true,
      on_record: (record: string[]) => {
        this.results.push({ cells: record });
        return null;
      },
      on_skip: (error: CsvError | undefined) => {
        if (error) this.results.push({ error });
      },
    } as unknown as Parameters<typeof parse>[0]);
    parser.on('error', (error: CsvError) => this.results.push({ error }));
    parser.resume();
    return parser;
  }

  /** Hand a record over; returns the records whose fields are now known, in order. */
  write(record: FramedRecord): Array<[FramedRecord, Parsed]> {
    this.take(record);
    return this.collect();
  }

  private take(record: FramedRecord): void {
    const parse = record.bytes !== null && record.ragged === undefined;
    if (!parse && this.waiting.length > 0) {
      // A record the parser still holds would keep every record after it
      // waiting until the next one it parses, and a long run of broken or
      // ragged rows would pile up in memory: end the parser to have it.
      this.parser.end();
      this.parser = this.create(false);
    }
    this.waiting.push(record);
    if (parse) this.parser.write(record.bytes!);
  }

  end(): Array<[FramedRecord, Parsed]> {
    this.parser.end();
    return this.collect();
  }

  private collect(): Array<[FramedRecord, Parsed]> {
    const done: Array<[FramedRecord, Parsed]> = [];
    /** Records to take again, one at a time, after the parser failed on one before them. */
    let again: FramedRecord[] = [];
    for (;;) {
      while (this.waiting.length > 0) {
        const next = this.waiting[0];
        if (next.bytes === null || next.ragged !== undefined) {
          done.push([this.waiting.shift()!, next.bytes === null ? { broken: true } : { ragged: next.ragged! }]);
          continue;
        }
        const result = this.results.shift();
        if (!result) break;
        done.push([this.waiting.shift()!, result]);
        if ('error' in result) {
          // after an error the parser's state is suspect: the records still
          // waiting go to a fresh parser
          again = [...this.waiting.splice(0), ...again];
          this.results.length = 0;
          this.parser.destroy();
          this.parser = this.create(false);
          break;
        }
      }
      if (again.length === 0) return done;
      this.take(again.shift()!);
    }
  }
}

const STRAY_QUOTE = 'a quote inside an unquoted field (damaged quoting): the fields after it may be shifted, so the IOC text in this record was not matched to a column';

/**
 * A quote outside a quoted field that does not open one (it is not at a
 * field's start): csv-parse reads it as text (relax_quotes), the way the
 * framer does, but well-formed exports never have one, and damage that
 * makes one can shift every column after it.
 */
function strayQuote(bytes: Buffer, delimiter: number): boolean {
  let inQuotes = false;
  for (let at = bytes.indexOf(0x22); at !== -1; at = bytes.indexOf(0x22, at + 1)) {
    if (inQuotes) {
      if (bytes[at + 1] === 0x22) at++;
      else inQuotes = false;
    } else if (at === 0 || bytes[at - 1] === delimiter || bytes[at - 1] === 0x0a) {
      inQuotes = true;
    } else {
      return true;
    }
  }
  return false;
}

export async function* readCsv(content: AsyncIterable<Buffer>, channel: ReaderChannel): AsyncGenerator<SourceRecord> {
  let framer: CsvFramer | null = null;
  let splitter: FieldSplitter | null = null;
  let layout: CsvLayout | null = null;
  let typed = false;
  let delimiterCode = 0x2c;
  let delimiter = ',';

  function* deliver(done: Array<[FramedRecord, Parsed]>): Generator<SourceRecord> {
    for (const [framed, result] of done) {
      let parsed: Read;
      if ('ragged' in result) {
        if (layout !== null && result.ragged !== layout.names.length) {
          const problem = `row has ${result.ragged} fields, the header has ${layout.names.length}`;
          // searched only where the framer's candidate search saw IOC text
          const rawIps = framed.iocText ? channel.search.find(framed.bytes!) : new Set<string>();
          yield { line: framed.line, offset: framed.offset, index: framed.ordinal - 1, declaredTable: null, fields: null, problem, rawIps };
          continue;
        }
        // no header to compare with, or the parser reads the row otherwise: it decides
        parsed = parseAlone(framed.bytes!, delimiter);
      } else {
        parsed = result;
      }
      if (framed.ordinal === 1) {
        if ('cells' in parsed) {
          layout = new CsvLayout(parsed.cells);
          typed = layout.has('type');
          channel.header?.(parsed.cells);
        } else {
          channel.error(framed.line, `the header line cannot be read (${'error' in parsed ? parsed.error.message : framed.broken}): no record of this file can be read`);
          // with no header nothing can be matched: report every record
          framer!.fullParse = true;
        }
        continue;
      }
      const at = { line: framed.line, offset: framed.offset, index: framed.ordinal - 1, declaredTable: null };
      if ('broken' in parsed) {
        yield { ...at, fields: null, problem: framed.broken, rawIps: framed.rawIps };
      } else if ('error' in parsed) {
        yield { ...at, fields: null, problem: `unreadable CSV record (${parsed.error.message})`, rawIps: channel.search.find(framed.bytes!) };
      } else if (layout === null) {
        yield { ...at, fields: null, problem: 'no readable header line', rawIps: channel.search.find(framed.bytes!) };
      } else if (parsed.cells.length !== layout.names.length) {
        const problem = `row has ${parsed.cells.length} fields, the header has ${layout.names.length}`;
        yield { ...at, fields: null, problem, rawIps: channel.search.find(framed.bytes!) };
      } else {
        const fields = layout.fields(parsed.cells);
        // only where the framer's candidate search saw IOC text: no second search of every record
        const rawIps = framed.iocText && strayQuote(framed.bytes!, delimiterCode) ? channel.search.find(framed.bytes!) : null;
        const suspect = rawIps && rawIps.size > 0 ? { problem: STRAY_QUOTE, rawIps } : undefined;
        yield { ...at, fields, declaredTable: typed ? fields.get('type') : null, ...(suspect && { suspect }) };
      }
    }
  }

  function* frame(records: FramedRecord[]): Generator<SourceRecord> {
    for (const record of records) {
      const damage = record.bytes === null || record.clean ? null : !isUtf8(record.bytes) ? NOT_UTF8 : record.bytes.includes(0) ? HAS_NUL : null;
      const framed = damage ? { ...record, bytes: null, broken: damage, rawIps: channel.search.find(record.bytes!) } : record;
      yield* deliver(splitter!.write(framed));
    }
  }

  try {
    for await (const chunk of content) {
      if (!framer) {
        delimiter = detectDelimiter(chunk);
        delimiterCode = delimiter.charCodeAt(0);
        framer = new CsvFramer(delimiter.charCodeAt(0), channel.search, { fullParse: channel.fullParse });
        splitter = new FieldSplitter(delimiter);
      }
      // framed a slice at a time: the records of one slice are held together,
      // and a 1 MiB chunk of tiny ragged rows is 200,000 of them
      const nulFree = knownNulFree(chunk);
      for (let at = 0; at < chunk.length; at += FRAME_SLICE) {
        const framed = framer.push(chunk.subarray(at, at + FRAME_SLICE), nulFree);
        if (channel.progress) channel.progress.lineFeeds = framer.lineFeeds;
        yield* frame(framed);
      }
    }
  } catch (error) {
    // the content itself failed (corrupt or cut gzip): the records read so far
    // stand, and the cut-off tail is one broken record
    if (framer) {
      yield* frame(framer.end().map((r) => ({ ...r, bytes: null, broken: r.broken ?? 'record cut off where the data ends', rawIps: r.rawIps ?? channel.search.find(r.bytes ?? Buffer.alloc(0)) })));
      yield* deliver(splitter!.end());
      channel.counted?.(framer.records);
    }
    throw error;
  }
  if (framer) {
    yield* frame(framer.end());
    yield* deliver(splitter!.end());
    channel.counted?.(framer.records);
  }
}
