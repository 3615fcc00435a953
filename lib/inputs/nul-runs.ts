// Zero padding between records: what a crash leaves after the last record
// written (the file's size was extended, its blocks never written), or a
// copy cut short. A run of NUL bytes that starts a line is not a record: it
// is cut out of the text before any reader sees it and reported once, with
// its byte range and line, and the record after it is read as usual. NUL
// bytes anywhere else are inside a record, which the reader reports as
// malformed (its IOC text still a malformed hit).

const LF = 0x0a;
const NUL_AFTER_LF = Buffer.from([LF, 0]);

/**
 * Chunks handed on whole after one native search found no NUL byte in them
 * (the usual chunk): a reader's own check of the same bytes for NULs can be
 * skipped, so each byte is searched for NUL once, not twice.
 */
const nulFree = new WeakSet<Buffer>();

/** `chunk`, as this stage handed it on, holds no NUL byte (false: not known, search it). */
export function knownNulFree(chunk: Buffer): boolean {
  return nulFree.has(chunk);
}

/** Compared against whole stretches of a run at once (natively) rather than byte by byte. */
const ZEROS = Buffer.alloc(64 * 1024);

/** The first byte at or after `from` that is not NUL (chunk.length when none). */
function endOfRun(chunk: Buffer, from: number): number {
  let at = from;
  while (at < chunk.length) {
    const stretch = Math.min(ZEROS.length, chunk.length - at);
    if (!chunk.subarray(at, at + stretch).equals(ZEROS.subarray(0, stretch))) break;
    at += stretch;
  }
  while (at < chunk.length && chunk[at] === 0) at++;
  return at;
}

function countLf(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let at = bytes.indexOf(LF, from); at >= 0 && at < to; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * Damage found before this stage (a gzip member's bad checksum, junk between
 * members) at an offset of the text: reported here at its line, once the
 * message is known, or dropped (a member that checked out).
 */
export interface DamageMark {
  at: number;
  message?: string;
  drop?: boolean;
  line?: number | null;
}

export interface NulRunReport {
  /** Line feeds in the text the reader has taken so far (readers keep it up to date after each chunk); null when unknown. */
  lineFeedsRead(): number | null;
  /** One run: its line (null when unknown) and the message. */
  report(line: number | null, message: string): void;
  /** How the offsets are counted: "the file", "the decompressed text". */
  offsetsOf: string;
  /** Filled by the stage before (gunzip) as it goes. */
  marks?: DamageMark[];
  /** The marks' offsets are not of this text (UTF-16 re-encoded since): their lines are unknown. */
  marksUnplaced?: boolean;
}

function describe(from: number, to: number, whole: boolean, offsetsOf: string): string {
  const count = `${to - from} NUL byte${to - from === 1 ? '' : 's'}`;
  if (whole) return `${count}, the whole of ${offsetsOf} (a zeroed or never-written file): no record`;
  return `${count} between records at bytes ${from}-${to - 1} of ${offsetsOf} (zero padding, as a crash or a cut copy leaves): not a record, skipped; reading goes on after them`;
}

/** The text with every run of NUL bytes that starts a line cut out, each run reported once. */
export async function* withoutNulRuns(content: AsyncIterable<Buffer>, out: NulRunReport): AsyncGenerator<Buffer> {
  let offset = 0; // of the text as it came in, at the start of the chunk
  let lastByte = LF; // the text's start is a line's start
  let runFrom = -1; // where the open run started (-1: none open)
  let runLine: number | null = null;

  const close = (to: number, atEnd = false) => {
    out.report(runLine, describe(runFrom, to, atEnd && runFrom === 0, out.offsetsOf));
    runFrom = -1;
  };
  const lineAt = (chunk: Buffer, pending: number, at: number): number | null => {
    const read = out.lineFeedsRead();
    return read === null ? null : read + countLf(chunk, pending, at) + 1;
  };
  const marks = out.marks ?? [];
  /** Marks up to `end` (of the text) get their line, from the chunk not yet handed on; those complete are reported. */
  const settle = (chunk: Buffer, end: number, final = false) => {
    let kept = 0;
    for (const mark of marks) {
      if (mark.line === undefined && (mark.at <= end || final)) {
        mark.line = out.marksUnplaced ? null : lineAt(chunk, 0, Math.max(0, Math.min(chunk.length, mark.at - offset)));
      }
      if (mark.line !== undefined && mark.drop) continue;
      if (mark.line !== undefined && mark.message !== undefined) out.report(mark.line, mark.message);
      else marks[kept++] = mark;
    }
    marks.length = kept;
  };

  let finished = false;
  try {
    for await (const chunk of content) {
      const n = chunk.length;
      if (n === 0) continue;
      if (marks.length > 0) settle(chunk, offset + n);
      let at = 0;
      if (runFrom >= 0) {
        at = endOfRun(chunk, 0);
        if (at === n) {
          offset += n;
          continue;
        }
        close(offset + at);
      } else if (chunk.indexOf(0) < 0) {
        // the usual chunk: no NUL at all
        lastByte = chunk[n - 1];
        offset += n;
        nulFree.add(chunk);
        yield chunk;
        continue;
      }
      // `pending`: where the bytes not yet handed on start
      let pending = at;
      for (;;) {
        let nul: number;
        if (at === 0 && lastByte === LF && chunk[0] === 0) nul = 0;
        else {
          const found = chunk.indexOf(NUL_AFTER_LF, Math.max(0, at - 1));
          nul = found < 0 ? -1 : found + 1;
        }
        if (nul < 0) break;
        runLine = lineAt(chunk, pending, nul);
        if (nul > pending) yield chunk.subarray(pending, nul);
        runFrom = offset + nul;
        at = endOfRun(chunk, nul);
        pending = at;
        if (at === n) break;
        close(offset + at);
      }
      if (pending < n) yield chunk.subarray(pending);
      lastByte = chunk[n - 1];
      offset += n;
    }
    finished = true;
  } finally {
    // the end of the text (or a failed read) closes a run still open
    if (runFrom >= 0) close(offset, finished);
    if (marks.length > 0) settle(Buffer.alloc(0), offset, true);
  }
}
