import { isUtf8 } from 'node:buffer';
import { CleanChunks } from './clean-chunk.js';
import { scanKernel, type QuoteState } from '../kernel/scan-kernel.js';
import type { RawIocSearch, RawIocStream } from '../matcher/raw-text.js';

// Where each CSV record starts and ends, found at the byte level before any
// field is parsed. Framing here rather than in the parser is what keeps one
// broken record from swallowing the rest of a file: an unclosed quote costs
// one line, not everything after it, and no record can grow past a bound.
//
// It is also the fast path: record ends (and each record's field count) come
// from the WebAssembly kernel, 16 bytes at a time, or else from a loop that
// jumps between quotes and line feeds with native searches. Only records that
// may matter leave the framer with their bytes (the header, records holding
// IOC text, ragged records, records in a chunk that is not clean UTF-8). The
// others are counted, never copied or parsed. Line numbers are worked out
// only for the records that leave.
//
// Quote rules follow RFC 4180 as csv-parse (relax_quotes) reads them: a quote
// opens a quoted field only at the start of a field; inside one, `""` is a
// literal quote and any other quote closes it.

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;

/** Records larger than this are reported malformed (and still searched for IOC text) instead of held in memory. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** A quoted field spanning more lines than this is taken to be an unclosed quote. */
export const MAX_QUOTED_LINES = 10_000;

export interface FramedRecord {
  /** 1-based count of non-blank records in the text, the header being 1. */
  ordinal: number;
  /** Byte offset of the first byte (of the decoded text). */
  offset: number;
  /** 1-based physical line of the first byte. */
  line: number;
  /** The record's bytes with its line ending; null when it is broken. */
  bytes: Buffer | null;
  /** Why the record cannot be parsed as it stands. */
  broken?: string;
  /** For a broken record: the IOC IPs found in its raw bytes. */
  rawIps?: Set<string>;
  /** IOC text may start in it (the chunk's candidate search says so, or it spans chunks): worth a closer look. */
  iocText?: boolean;
  /**
   * The record's field count when the framer counted one that differs from
   * the header's: the row is ragged, and need not be parsed to be reported.
   */
  ragged?: number;
  /** Its bytes are known to be UTF-8 without NUL bytes (its chunk was checked whole). */
  clean?: boolean;
}

const UNCLOSED_QUOTE = 'a quoted field is never closed; read as a one-line broken record';

export interface FramerOptions {
  /** Hand every record over (the reference path), not just those that may matter. */
  fullParse: boolean;
  maxRecordBytes?: number;
  /** Find record ends with the WebAssembly kernel (default) or in JavaScript (the fallback, and the tests' reference). */
  kernel?: boolean;
}

function countLf(bytes: Buffer, from = 0, to = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(LF, from); at >= 0 && at < to; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * Fields in one line read as a whole record, by the quote rules above; null
 * when a quoted field is still open at its end.
 */
function lineFields(bytes: Buffer, from: number, to: number, delimiter: number): number | null {
  let fields = 1;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = from; i < to; i++) {
    const byte = bytes[i];
    if (inQuotes) {
      if (byte !== QUOTE) continue;
      if (i + 1 < to && bytes[i + 1] === QUOTE) i++;
      else inQuotes = false;
    } else if (byte === QUOTE && fieldStart) {
      inQuotes = true;
    } else if (byte === delimiter) {
      fields++;
      fieldStart = true;
      continue;
    }
    fieldStart = false;
  }
  return inQuotes ? null : fields;
}

function isBlank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const byte = bytes[i];
    if (byte !== LF && byte !== CR && byte !== SPACE) return false;
  }
  return true;
}

export class CsvFramer {
  fullParse: boolean;
  private readonly maxRecordBytes: number;
  /** Offset and line of the start of the chunk being scanned. */
  private base = 0;
  private baseLine = 1;
  private chunk: Buffer = Buffer.alloc(0);
  /** Lazy line counting within the chunk: the line at `cursor`. */
  private cursor = 0;
  private cursorLine = 1;
  /** The line just after the chunk's last record end, when every line feed before it ends a record. */
  private lineAfterEnds: { chunk: Buffer; at: number; line: number } | null = null;
  private candidates: number[] = [];
  private nextCandidate = 0;
  private damaged = false;
  private readonly cleanChunks = new CleanChunks();
  private tail: Buffer = Buffer.alloc(0);

  /** The open record: where it started, and its bytes from earlier chunks. */
  private start = 0;
  private startLine = 0;
  private held: Buffer[] = [];
  private heldSize = 0;
  private heldMatters = false;
  private inQuotes = false;
  /** A quote was the last byte of a chunk inside a quoted field: `""` or a close, decided by the next byte. */
  private quotePending = false;
  /** The byte before the current chunk, to tell whether a quote at its start opens a field. */
  private lastByte = -1;
  /** Inside a record too large to hold: its bytes go to the IOC search only. */
  private oversize: RawIocStream | null = null;
  private ordinal = 0;
  private readonly out: FramedRecord[] = [];
  private readonly kernel: ReturnType<typeof scanKernel>;
  /** Field counts from the kernel: the header's, and the open record's so far. A record with another count is ragged and always handed over. */
  private headerFields: number | null = null;
  private fieldsSoFar = 0;
  /** Bytes after an unclosed quote's first line, to be framed again before the next chunk. */
  private replay: Buffer | null = null;
  /** Offset up to which bytes have already been framed a second time (after an unclosed quote). */
  private replayedTo = 0;

  constructor(
    private readonly delimiter: number,
    private readonly search: RawIocSearch,
    options: FramerOptions,
  ) {
    this.fullParse = options.fullParse;
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    this.kernel = options.kernel === false ? null : scanKernel();
  }

  /** Line feeds in the text pushed so far. */
  get lineFeeds(): number {
    return this.baseLine - 1;
  }

  /** Data records framed so far (the header is not one). */
  get records(): number {
    return Math.max(0, this.ordinal - 1);
  }

  /** `nulFree`: the chunk is known to hold no NUL byte (inputs/nul-runs.ts searched it). */
  push(chunk: Buffer, nulFree = false): FramedRecord[] {
    this.scan(chunk, false, nulFree);
    this.replayHeld();
    return this.out.splice(0);
  }

  /** The end of the text: a record still open is either the last record or an unclosed quote. */
  end(): FramedRecord[] {
    for (;;) {
      // a character cut off by the end of the text is in the record still open
      this.damaged ||= this.cleanChunks.cut;
      if (this.oversize) {
        this.finishOversize();
      } else if (this.inQuotes && !this.quotePending) {
        this.recoverUnclosedQuote();
        this.replayHeld();
        continue;
      } else if (this.heldSize > 0) {
        this.quotePending = false;
        this.inQuotes = false;
        this.close(Buffer.alloc(0), 0, 0, this.kernel ? this.fieldsSoFar + 1 : undefined);
      }
      return this.out.splice(0);
    }
  }

  /** Frame again what an unclosed quote had swallowed: in a loop, as one recovery may lead to the next. */
  private replayHeld(): void {
    while (this.replay) {
      const bytes = this.replay;
      this.replay = null;
      this.scan(bytes, true);
    }
  }

  /** `again`: bytes already scanned once, framed again after an unclosed quote. */
  private scan(chunk: Buffer, again = false, nulFree = false): void {
    this.chunk = chunk;
    this.lineAfterEnds = null;
    this.cursor = 0;
    this.cursorLine = this.baseLine;
    this.candidates = this.search.candidates(chunk, this.tail);
    this.nextCandidate = 0;
    this.damaged = !(again ? this.cleanChunks.cleanAgain(chunk) : this.cleanChunks.clean(chunk, nulFree));
    const n = chunk.length;
    let i = 0;
    let from = 0; // where the open record starts in this chunk (0 when it began earlier)
    let nl = -2; // the next line feed at or after i, once looked up (-1: none)
    let lineFeeds: number | null = null; // in the chunk, when the kernel counted them
    if (this.heldSize === 0 && !this.oversize) this.begin(0);
    // IOC text begun in the previous chunk belongs to the record still open
    if (this.heldSize > 0 && this.candidates.length > 0 && this.candidates[0] < 0) this.heldMatters = true;
    while (i < n) {
      if (this.oversize) {
        const nl = chunk.indexOf(LF, i);
        const stop = nl < 0 ? n : nl + 1;
        this.oversize.feed(chunk.subarray(i, stop));
        i = stop;
        if (nl >= 0) {
          this.finishOversize();
          from = i;
          this.begin(i);
        }
        continue;
      }
      if (this.kernel) {
        // the rest of the chunk in one call; the kernel applies the same quote rules as the loop below
        const start = i;
        const fresh = i > 0 || this.heldSize === 0;
        const state: QuoteState = { inQuotes: this.inQuotes, quotePending: this.quotePending, before: fresh && i === 0 ? LF : i > 0 ? chunk[i - 1] : this.lastByte, fields: fresh ? 0 : this.fieldsSoFar };
        const ends = this.kernel.find(i === 0 ? chunk : chunk.subarray(i), this.delimiter, state);
        const before = start > 0 ? countLf(chunk, 0, start) : 0;
        // every line feed ends a record (none is quoted): the k-th record's line is known from its
        // place, where counting line feeds up to each record that matters cost a search a line
        const plain = state.lineFeeds === ends.length / 2;
        for (let e = 0; e < ends.length; e += 2) {
          const end = i + ends[e] + 1;
          this.close(chunk, from, end, ends[e + 1], plain ? this.baseLine + before + e / 2 : undefined);
          from = end;
          this.begin(end);
        }
        if (plain) this.lineAfterEnds = { chunk, at: from, line: this.baseLine + before + ends.length / 2 };
        this.fieldsSoFar = state.fields;
        this.inQuotes = state.inQuotes;
        this.quotePending = state.quotePending;
        lineFeeds = before + (state.lineFeeds ?? 0);
        i = n;
        break;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (chunk[i] === QUOTE) {
          i++;
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        const q = chunk.indexOf(QUOTE, i);
        if (q < 0 || q + 1 >= n) {
          this.quotePending = q >= 0;
          i = n;
          break;
        }
        const escaped = chunk[q + 1] === QUOTE;
        i = escaped ? q + 2 : q + 1;
        if (!escaped) this.inQuotes = false;
        continue;
      }
      // Unquoted: only a line feed or a quote at a field's start matters, so jump between them.
      if (nl !== -1 && nl < i) nl = chunk.indexOf(LF, i);
      let q = chunk.indexOf(QUOTE, i);
      while (q >= 0 && (nl < 0 || q < nl) && !this.opensField(chunk, q, from)) q = chunk.indexOf(QUOTE, q + 1);
      if (q >= 0 && (nl < 0 || q < nl)) {
        this.inQuotes = true;
        i = q + 1;
        continue;
      }
      if (nl < 0) break;
      i = nl + 1;
      this.close(chunk, from, i);
      from = i;
      this.begin(i);
    }
    this.finishChunk(chunk, from, lineFeeds);
  }

  /** A record may start at `at` in the current chunk. */
  private begin(at: number): void {
    this.start = this.base + at;
    this.startLine = 0;
    this.heldMatters = false;
  }

  /** A quote opens a quoted field only where a field starts: at the record's start or after a delimiter. */
  private opensField(chunk: Buffer, q: number, from: number): boolean {
    if (q === from && this.heldSize === 0) return true;
    const before = q > 0 ? chunk[q - 1] : this.lastByte;
    return before === this.delimiter;
  }

  private lineAt(at: number): number {
    // known without counting: where the kernel's last record end left off
    if (this.lineAfterEnds?.chunk === this.chunk && this.lineAfterEnds.at === at) return this.lineAfterEnds.line;
    if (at < this.cursor) {
      this.cursor = 0;
      this.cursorLine = this.baseLine;
    }
    this.cursorLine += countLf(this.chunk, this.cursor, at);
    this.cursor = at;
    return this.cursorLine;
  }

  /** Does IOC text start in [start, stop) of the chunk? Records close in order, so the pointer only moves on. */
  private candidateIn(start: number, stop: number): boolean {
    const c = this.candidates;
    while (this.nextCandidate < c.length && c[this.nextCandidate] < start) this.nextCandidate++;
    return this.nextCandidate < c.length && c[this.nextCandidate] < stop;
  }

  /**
   * The record open since `this.start` ends at chunk[to); its part in this
   * chunk begins at `from`. `line`: its line, when known without counting.
   */
  private close(chunk: Buffer, from: number, to = 0, fields?: number, line?: number): void {
    const whole = this.heldSize === 0;
    if (whole && isBlank(chunk, from, to)) return;
    if (!whole && to - from === 0 && this.held.every((part) => isBlank(part, 0, part.length))) return;
    this.ordinal++;
    if (this.ordinal === 1 && fields !== undefined) this.headerFields = fields;
    const ragged = fields !== undefined && this.headerFields !== null && fields !== this.headerFields;
    const candidate = this.candidateIn(from, to);
    const matters = this.fullParse || this.ordinal === 1 || ragged || this.damaged || this.heldMatters || candidate;
    // a record spanning chunks counts as holding IOC text: rare, and its earlier parts were searched apart
    const iocText = candidate || !whole;
    if (matters) {
      line = whole ? (line ?? this.lineAt(from)) : this.startLine;
      const bytes = whole ? Buffer.from(chunk.subarray(from, to)) : Buffer.concat([...this.held, chunk.subarray(from, to)]);
      const clean = whole && !this.damaged;
      this.out.push(ragged ? { ordinal: this.ordinal, offset: this.start, line, bytes, iocText, ragged: fields, clean } : { ordinal: this.ordinal, offset: this.start, line, bytes, iocText, clean });
    }
    this.held = [];
    this.heldSize = 0;
    this.inQuotes = false;
  }

  private finishChunk(chunk: Buffer, from: number, lineFeeds: number | null): void {
    const n = chunk.length;
    if (!this.oversize && from < n) {
      // the open record continues in the next chunk: keep its bytes so far
      if (this.heldSize === 0) this.startLine = this.lineAt(from);
      this.heldMatters ||= this.damaged || this.candidateIn(from, n);
      // a copy: the chunk's memory is read into again a few chunks later
      this.held.push(Buffer.from(chunk.subarray(from)));
      this.heldSize += n - from;
    }
    if (n > 0) this.lastByte = chunk[n - 1];
    this.tail = Buffer.from(chunk.subarray(Math.max(0, n - this.search.overlap)));
    this.base += n;
    this.baseLine += lineFeeds ?? countLf(chunk);
    if (this.oversize) return;
    const runaway = this.inQuotes && this.heldSize > 65536 && this.baseLine - this.startLine > MAX_QUOTED_LINES;
    if (this.heldSize > this.maxRecordBytes || runaway) this.overflow();
  }

  /**
   * An unclosed quote ran to the end of the text or past a bound. The record
   * is taken to be its first line only, and what follows is framed again from
   * the next line, so the records after it are not lost.
   *
   * Framing again must not make the work grow faster than the input: text
   * can be made so that every line opens a quote the next lines never close,
   * and framing everything after each such line again would cost the square
   * of the input. So bytes are framed again at most once: when an unclosed
   * quote starts in bytes already framed again, those bytes are read one
   * line per record (a quote cannot span lines there), and only the rest is
   * framed again.
   */
  private recoverUnclosedQuote(): void {
    const held = Buffer.concat(this.held);
    const nl = held.indexOf(LF);
    const first = nl < 0 ? held : held.subarray(0, nl + 1);
    let rest = nl < 0 ? Buffer.alloc(0) : held.subarray(nl + 1);
    const heldEnd = this.start + held.length;
    const startedInReplay = this.start < this.replayedTo;
    this.ordinal++;
    this.out.push({
      ordinal: this.ordinal,
      offset: this.start,
      line: this.startLine,
      bytes: null,
      broken: UNCLOSED_QUOTE,
      rawIps: this.search.find(first),
    });
    this.held = [];
    this.heldSize = 0;
    this.inQuotes = false;
    this.quotePending = false;
    this.lastByte = -1;
    this.tail = Buffer.alloc(0);
    this.base = this.start + first.length;
    this.baseLine = this.startLine + (nl < 0 ? 0 : 1);
    // (a negative offset would make lastIndexOf count from the end)
    if (startedInReplay && this.replayedTo > this.base) {
      const lastLf = rest.lastIndexOf(LF, this.replayedTo - this.base - 1);
      if (lastLf >= 0) {
        this.frameLines(rest.subarray(0, lastLf + 1));
        rest = rest.subarray(lastLf + 1);
      }
    }
    this.replayedTo = Math.max(this.replayedTo, heldEnd);
    if (rest.length > 0) this.replay = Buffer.from(rest);
  }

  /** Bytes already framed twice, whole lines: one record per line, a quote left open at a line's end being that line's damage. */
  private frameLines(lines: Buffer): void {
    this.chunk = lines;
    this.cursor = 0;
    this.cursorLine = this.baseLine;
    this.candidates = this.search.candidates(lines, Buffer.alloc(0));
    this.nextCandidate = 0;
    this.damaged = !isUtf8(lines) || lines.includes(0);
    for (let from = 0; from < lines.length; ) {
      const to = lines.indexOf(LF, from) + 1;
      this.begin(from);
      const fields = lineFields(lines, from, to, this.delimiter);
      if (fields !== null) {
        this.close(lines, from, to, fields);
      } else {
        this.ordinal++;
        this.out.push({ ordinal: this.ordinal, offset: this.start, line: this.lineAt(from), bytes: null, broken: UNCLOSED_QUOTE, rawIps: this.search.find(lines.subarray(from, to)) });
      }
      from = to;
    }
    this.base += lines.length;
    this.baseLine += countLf(lines);
  }

  private overflow(): void {
    if (this.inQuotes || this.quotePending) {
      this.recoverUnclosedQuote();
      return;
    }
    // one line longer than the bound: searched as it streams past, never held
    this.oversize = this.search.stream();
    for (const part of this.held) this.oversize.feed(part);
    this.held = [];
    this.heldSize = 0;
  }

  private finishOversize(): void {
    const found = this.oversize!.finish();
    this.oversize = null;
    this.ordinal++;
    this.out.push({ ordinal: this.ordinal, offset: this.start, line: this.startLine, bytes: null, broken: `record larger than ${this.maxRecordBytes / 1024 / 1024} MiB, not parsed`, rawIps: found });
  }
}
