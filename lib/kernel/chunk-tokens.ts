import type { ChunkSearch, TokenTable } from './scan-kernel.js';

// Token candidates searched for on another thread. A large file's chunks are
// read into shared buffers and hashed by the hashing thread, which also
// searches each for IOC candidates with the scan's token table
// (inputs/hash-worker.ts); the scan notes them here, by the shared buffer
// the chunk is in, and the token search (matcher/token-search.ts) takes them
// for any part of that chunk instead of searching it again. A chunk whose
// bytes were copied or changed on the way (gunzipped, decoded from UTF-16,
// NUL runs taken out) is in another buffer, and searched as it comes.
// The thread also notes where JSON's `\u` escapes start and where lines
// end, in a file that opens as JSON does (the JSON-lines reader parses a
// line holding an escape, and walks the lines without a search a line).

interface Searched {
  /** Bytes of the chunk, from the start of its buffer. */
  readonly length: number;
  readonly table: TokenTable;
  /** Offsets from the chunk's start, ascending. */
  readonly found: Int32Array;
  /** Where `\u` starts (ascending), or null when the thread did not look. */
  readonly escapes: Int32Array | null;
  /** Where the line feeds are (ascending), or null when the thread did not look. */
  readonly feeds: Int32Array | null;
}

const searched = new WeakMap<ArrayBufferLike, Searched>();

/** The chunk now in `buffer` (from its start, `length` bytes) holds these candidates (and `\u` escapes and line feeds); null: it was not searched. */
export function noteChunkTokens(buffer: ArrayBufferLike, length: number, table: TokenTable | null, search: ChunkSearch | null): void {
  if (table === null || search === null) searched.delete(buffer);
  else searched.set(buffer, { length, table, ...search });
}

/**
 * The candidates in `part` (offsets from its start, ascending), when the
 * chunk it is a part of was searched with `table`; `atStart` when the part
 * starts where that chunk does (a run may come from the chunk before it).
 */
export function chunkTokens(part: Uint8Array, table: TokenTable): { found: number[]; atStart: boolean } | null {
  const entry = searched.get(part.buffer);
  if (!entry || entry.table !== table) return null;
  const found = within(entry.found, entry, part);
  return found === null ? null : { found, atStart: part.byteOffset === 0 };
}

/** Where `\u` starts in `part` (offsets from its start, ascending), when the thread looked; else null. */
export function chunkEscapes(part: Uint8Array): number[] | null {
  const entry = searched.get(part.buffer);
  return entry?.escapes ? within(entry.escapes, entry, part) : null;
}

/** Where the line feeds of `part` are (offsets from its start, ascending), when the thread looked; else null. */
export function chunkLineFeeds(part: Uint8Array): number[] | null {
  const entry = searched.get(part.buffer);
  return entry?.feeds ? within(entry.feeds, entry, part) : null;
}

/** The offsets of `sorted` inside `part`, from its start; null when `part` reaches past the chunk. */
function within(sorted: Int32Array, entry: Searched, part: Uint8Array): number[] | null {
  const from = part.byteOffset;
  const to = from + part.length;
  if (to > entry.length) return null;
  const out: number[] = [];
  for (let at = lowerBound(sorted, from); at < sorted.length && sorted[at] < to; at++) out.push(sorted[at] - from);
  return out;
}

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
