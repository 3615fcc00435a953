import { scanKernel } from '../kernel/scan-kernel.js';
import { chunkEscapes, chunkLineFeeds } from '../kernel/chunk-tokens.js';
import { JsonKeyCache } from './record-fields.js';
import type { SourceRecord } from '../record/source-record.js';
import { malformed, recordFromJson } from './json-record.js';
import { MAX_RECORD_BYTES } from './csv-framer.js';
import type { ReaderChannel } from './reader-channel.js';
import { BoundedBytes, tooLargeProblem } from './bounded-bytes.js';
import { CleanChunks } from './clean-chunk.js';
import { knownNulFree } from '../inputs/nul-runs.js';

const LF = 0x0a;
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * `\u` at `at` opens an escape unless its backslash is itself escaped (`C:\\\\Users`
 * in a Windows path is a backslash, then `Users`). A run of backslashes
 * reaching back to the chunk's start is taken as an escape: parsing a line
 * too many costs time, one too few could cost a hit.
 */
function isUnicodeEscape(chunk: Buffer, at: number): boolean {
  let before = 0;
  while (at - before - 1 >= 0 && chunk[at - before - 1] === 0x5c) before++;
  return before % 2 === 0 || at - before === 0;
}

/** Where `\u` starts in `chunk` (the kernel's search finds them in its own pass when it runs). */
function escapeStarts(chunk: Buffer): number[] {
  const found: number[] = [];
  for (let at = chunk.indexOf(UNICODE_ESCAPE); at >= 0; at = chunk.indexOf(UNICODE_ESCAPE, at + 1)) found.push(at);
  return found;
}

/**
 * Where the raw-text search cannot see: a `\u` escape is the one JSON escape
 * that can spell a digit or a dot (`"\u0031\u0037\u0039.43.139.84"`), so a
 * line holding one is parsed whatever the search says. Positions are merged
 * into the sorted candidate list.
 */
function withEscapes(chunk: Buffer, candidates: number[]): number[] {
  const escapes = (scanKernel()?.escapesIn(chunk) ?? chunkEscapes(chunk) ?? escapeStarts(chunk)).filter((at) => isUnicodeEscape(chunk, at));
  if (escapes.length === 0) return candidates;
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < candidates.length || j < escapes.length) {
    merged.push(j >= escapes.length || (i < candidates.length && candidates[i] <= escapes[j]) ? candidates[i++] : escapes[j++]);
  }
  return merged;
}

/** The line feeds of `chunk` (ascending), when the kernel's search of it noted them on either thread; else null. */
function lineFeedsOf(chunk: Buffer): ArrayLike<number> | null {
  return scanKernel()?.lineFeedsIn(chunk) ?? chunkLineFeeds(chunk);
}

/**
 * A line the fast path may count without parsing: blank, or shaped like one
 * whole object (`{` … `}`). A cut, split or merged line is not, so it is
 * parsed, and listed when it is broken, even with no IOC text in it.
 */
function looksWhole(bytes: Buffer, from: number, to: number): boolean {
  let first = from;
  while (first < to && (bytes[first] === 0x20 || bytes[first] === 0x09)) first++;
  let last = to - 1;
  while (last >= first && (bytes[last] === 0x0d || bytes[last] === 0x20 || bytes[last] === 0x09)) last--;
  return last < first || (bytes[first] === 0x7b && bytes[last] === 0x7d);
}

function isBlank(bytes: Buffer, from = 0, to = bytes.length): boolean {
  for (let i = from; i < to; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== LF) return false;
  }
  return true;
}

/**
 * JSON lines: one record per non-blank line; a broken line is one malformed
 * record and the next line is read as usual. A line longer than the record
 * bound is searched for IOC text as it streams past, never held.
 */
export async function* readNdjson(content: AsyncIterable<Buffer>, channel: ReaderChannel, maxRecordBytes = MAX_RECORD_BYTES): AsyncGenerator<SourceRecord> {
  const keys = new JsonKeyCache();
  /** The line still open at the end of a chunk. */
  const held = new BoundedBytes(channel.search, maxRecordBytes);
  const cleanChunks = new CleanChunks();
  let lineStart = 0;
  let offset = 0;
  let line = 0;
  let index = 0;

  /** `inCleanChunk`: the piece is a whole line of a chunk found clean UTF-8 (a line, being cut at line feeds, is then clean too). */
  function* finishLine(piece: Buffer, inCleanChunk = false): Generator<SourceRecord> {
    line++;
    const utf8Checked = inCleanChunk && held.empty;
    let bytes = piece;
    // a line begun in an earlier chunk is gathered; one whole in this chunk is
    // read as it is, no copy: it is parsed before the chunk is read into again
    if (!held.empty || piece.length > maxRecordBytes) {
      held.add(piece);
      const taken = held.take();
      if ('tooLarge' in taken) {
        index++;
        yield malformed({ line, offset: lineStart, index }, tooLargeProblem(maxRecordBytes), taken.tooLarge);
        return;
      }
      bytes = taken.bytes;
    }
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (isBlank(bytes)) return;
    index++;
    yield recordFromJson(bytes, keys, { line, offset: lineStart, index }, channel.search, utf8Checked);
  }

  try {
  for await (const chunk of content) {
    let from = 0;
    // The fast path: a whole line in a clean chunk with no IOC text in it is
    // counted, not parsed (the first record is always parsed: it names the table).
    // (fullParse holds for the whole file, so the check follows every chunk or none)
    const skim = !channel.fullParse && cleanChunks.clean(chunk, knownNulFree(chunk));
    const candidates = skim ? withEscapes(chunk, channel.search.candidates(chunk, Buffer.alloc(0), true)) : [];
    // where the lines end, when the kernel's search of the chunk noted them (a search a line cost more than the walk)
    const feeds = skim ? lineFeedsOf(chunk) : null;
    let feed = 0;
    const nextFeed = () => (feeds ? (feed < feeds.length ? feeds[feed++] : -1) : chunk.indexOf(LF, from));
    let next = 0;
    for (let nl = nextFeed(); nl >= 0; nl = nextFeed()) {
      if (held.empty) {
        lineStart = offset + from;
        if (skim && index > 0) {
          while (next < candidates.length && candidates[next] < from) next++;
          if ((next >= candidates.length || candidates[next] > nl) && looksWhole(chunk, from, nl)) {
            line++;
            if (!isBlank(chunk, from, nl)) index++;
            from = nl + 1;
            continue;
          }
        }
      }
      yield* finishLine(chunk.subarray(from, nl + 1), skim);
      from = nl + 1;
    }
    if (from < chunk.length) {
      if (held.empty) lineStart = offset + from;
      held.add(chunk.subarray(from));
    }
    offset += chunk.length;
    if (channel.progress) channel.progress.lineFeeds = line;
  }
  } catch (error) {
    // the content itself failed (corrupt or cut gzip): a partial last line is cut off
    if (!held.empty) {
      index++;
      yield malformed({ line: line + 1, offset: lineStart, index }, 'record cut off where the data ends', held.takeFound());
    }
    channel.counted?.(index);
    throw error;
  }
  if (!held.empty) yield* finishLine(Buffer.alloc(0));
  channel.counted?.(index);
}
