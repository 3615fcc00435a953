import type { RawIocSearch, RawIocStream } from '../matcher/raw-text.js';

// Where each CSV record starts and ends, found at the byte level before any
// field is parsed. Framing here rather than in the parser is what keeps one
// broken record from swallowing the rest of a file: an unclosed quote costs
// one line, not everything after it, and no record can grow past a bound.
//
// Quote rules follow RFC 4180 as csv-parse (relax_quotes) reads them: a quote
// opens a quoted field only at the start of a field; inside one, `""` is a
// literal quote and any other quote closes it.

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;

/** A quoted field spanning more lines than this is taken to be an unclosed quote. */
export const MAX_QUOTED_LINES = 10_000;

/** Records larger than this are reported malformed (and still searched for IOC text) instead of held in memory. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

export interface FramedRecord {
  /** Byte offset of the first byte (of the decoded text). */
  offset: number;
  /** 1-based physical line of the first byte. */
  line: number;
  /** The record's bytes with its line ending; null when it was too large to hold. */
  bytes: Buffer | null;
  /** Why the record cannot be parsed as it stands. */
  broken?: string;
  /** For a broken record: the IOC IPs found in its raw bytes. */
  rawIps?: Set<string>;
}

export class CsvFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private start = 0;
  private startLine = 1;
  /** Offset and line of the next byte to be pushed. */
  private offset = 0;
  private line = 1;
  private inQuotes = false;
  /** The byte before the current chunk, to tell whether a quote at its start opens a field. */
  private lastByte = -1;
  /** A quote was the last byte of a chunk inside a quoted field: `""` or a close, decided by the next byte. */
  private quotePending = false;
  /** Inside a record too large to hold: its bytes go to the search only. */
  private oversize: RawIocStream | null = null;
  private readonly out: FramedRecord[] = [];

  constructor(
    private readonly delimiter: number,
    private readonly search: RawIocSearch,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
  ) {}

  push(chunk: Buffer): FramedRecord[] {
    this.scan(chunk);
    return this.out.splice(0);
  }

  /** The end of the text: a record still open is either the last record or an unclosed quote. */
  end(): FramedRecord[] {
    if (this.oversize) {
      this.finishOversize();
    } else if (this.inQuotes || this.quotePending) {
      if (this.quotePending) {
        // a closing quote at the very end of the text
        this.quotePending = false;
        this.inQuotes = false;
        this.emit();
      } else {
        this.recoverUnclosedQuote();
        return [...this.out.splice(0), ...this.end()];
      }
    } else {
      this.emit();
    }
    return this.out.splice(0);
  }

  private scan(chunk: Buffer): void {
    let i = 0;
    let from = 0; // first byte of this chunk belonging to the open record
    const n = chunk.length;
    while (i < n) {
      if (this.oversize) {
        const nl = chunk.indexOf(LF, i);
        const stop = nl < 0 ? n : nl + 1;
        this.oversize.feed(chunk.subarray(i, stop));
        this.advance(chunk, i, stop);
        i = stop;
        if (nl >= 0) {
          this.finishOversize();
          from = i;
        }
        continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (chunk[i] === QUOTE) {
          this.advance(chunk, i, i + 1);
          i++;
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        const q = chunk.indexOf(QUOTE, i);
        if (q < 0 || q + 1 >= n) {
          this.advance(chunk, i, n);
          this.quotePending = q >= 0;
          i = n;
          break;
        }
        const escaped = chunk[q + 1] === QUOTE;
        this.advance(chunk, i, escaped ? q + 2 : q + 1);
        i = escaped ? q + 2 : q + 1;
        if (!escaped) this.inQuotes = false;
        continue;
      }
      // Unquoted: only a line feed or a quote at a field's start matters, so jump between them.
      const nl = chunk.indexOf(LF, i);
      let q = chunk.indexOf(QUOTE, i);
      while (q >= 0 && (nl < 0 || q < nl) && !this.opensField(chunk, q, from)) q = chunk.indexOf(QUOTE, q + 1);
      if (q >= 0 && (nl < 0 || q < nl)) {
        this.advance(chunk, i, q + 1);
        this.inQuotes = true;
        i = q + 1;
        continue;
      }
      if (nl < 0) {
        this.advance(chunk, i, n);
        i = n;
        break;
      }
      this.advance(chunk, i, nl + 1);
      i = nl + 1;
      this.hold(chunk.subarray(from, i));
      from = i;
      this.emit();
    }
    if (n > 0) this.lastByte = chunk[n - 1];
    if (from < n && !this.oversize) this.hold(chunk.subarray(from, n));
    if (this.oversize) return;
    if (this.size > this.maxRecordBytes || (this.inQuotes && this.line - this.startLine > MAX_QUOTED_LINES)) this.overflow();
  }

  /** A quote opens a quoted field only where a field starts: at the record's start or after a delimiter. */
  private opensField(chunk: Buffer, q: number, from: number): boolean {
    if (q === from && this.size === 0) return true;
    const before = q > 0 ? chunk[q - 1] : this.lastByte;
    return before === this.delimiter;
  }

  /** Move the position over chunk[from, to), counting line feeds. */
  private advance(chunk: Buffer, from: number, to: number): void {
    for (let at = chunk.indexOf(LF, from); at >= 0 && at < to; at = chunk.indexOf(LF, at + 1)) this.line++;
    this.offset += to - from;
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.size === 0 && this.parts.length === 0) {
      this.start = this.offset - piece.length;
      this.startLine = this.line - countLf(piece);
    }
    this.parts.push(piece);
    this.size += piece.length;
  }

  private emit(): void {
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    const record = { offset: this.start, line: this.startLine, bytes };
    this.parts = [];
    this.size = 0;
    this.inQuotes = false;
    // blank lines are not records
    if (bytes.length === 0 || isBlank(bytes)) return;
    this.out.push({ ...record, bytes: Buffer.from(bytes) });
  }

  /**
   * An unclosed quote ran to the end of the text or past the size bound. The
   * record is taken to be its first line only, and what follows is framed
   * again from the next line, so the records after it are not lost.
   */
  private recoverUnclosedQuote(): void {
    const held = Buffer.concat(this.parts);
    const nl = held.indexOf(LF);
    const first = nl < 0 ? held : held.subarray(0, nl + 1);
    const rest = nl < 0 ? Buffer.alloc(0) : held.subarray(nl + 1);
    this.out.push({
      offset: this.start,
      line: this.startLine,
      bytes: null,
      broken: 'a quoted field is never closed; read as a one-line broken record',
      rawIps: this.search.find(first),
    });
    const restart = { offset: this.start + first.length, line: this.startLine + (nl < 0 ? 0 : 1) };
    this.parts = [];
    this.size = 0;
    this.inQuotes = false;
    this.quotePending = false;
    this.lastByte = -1;
    this.offset = restart.offset;
    this.line = restart.line;
    if (rest.length > 0) this.scan(Buffer.from(rest));
  }

  private overflow(): void {
    if (this.inQuotes || this.quotePending) {
      this.recoverUnclosedQuote();
      return;
    }
    // one line longer than the bound: searched as it streams past, never held
    this.oversize = this.search.stream();
    for (const part of this.parts) this.oversize.feed(part);
    this.parts = [];
    this.size = 0;
  }

  private finishOversize(): void {
    const found = this.oversize!.finish();
    this.oversize = null;
    this.out.push({ offset: this.start, line: this.startLine, bytes: null, broken: `record larger than ${this.maxRecordBytes / 1024 / 1024} MiB, not parsed`, rawIps: found });
  }
}

function countLf(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== LF && byte !== CR && byte !== SPACE) return false;
  return true;
}
