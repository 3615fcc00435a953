import { readSync } from 'node:fs';
import type { ChunkSearch } from '../kernel/scan-kernel.js';

/**
 * The shared memory between the scan and the thread that hashes a large file
 * for it (hash-worker.ts, hash-beside.ts): a ring of chunk buffers and Int32
 * control words.
 *
 * Chunk n of a file goes into slot n % slots. Whichever thread is free reads
 * the next chunk, one read at a time (READ_LOCK): the hashing thread when it
 * has caught up with the hash, the scan when it would otherwise wait. So a
 * scan slower than the hash never reads, and a faster one never waits for a
 * read. A chunk is published with `users` 2 (the scan and the hash), then
 * its `seq` set to n; each side takes one off `users` when done, and the slot
 * is read into again only at 0. Each publish and release bumps EVENTS, which
 * both sides sleep on.
 *
 * With a token table for the file (REQUEST_TABLE, a generation the scan
 * posted), the hashing thread also searches each chunk for IOC candidates
 * before it hashes it (hash-worker.ts): the offsets go into the slot's
 * `tokens` buffer, then `tokensCount` (-1: not searched, the scan searches
 * itself) and `tokensSeq` say for which chunk. So the search that costs the
 * scan most runs on the core the hash leaves idle. Whichever thread comes to
 * a chunk's search first claims it (`tokensClaim`): a scan that would wait
 * for the hashing thread to get there searches the chunk itself.
 */
export const RING = {
  /** Bumped for each file handed over (the hashing thread waits on it). */
  REQUEST: 0,
  REQUEST_FD: 1,
  REQUEST_ID: 2,
  /** The chunk number of the file's first chunk: chunk numbers run on across files, from 1. */
  REQUEST_FIRST: 3,
  EVENTS: 4,
  READ_LOCK: 5,
  /** The next chunk to read. */
  READ_NEXT: 6,
  /** 1 once the end of the file (or a failed read) was published: nothing more is read. */
  READ_END: 7,
  /** A read failed after part of a chunk was read: that part was published, and this negative errno is the next chunk. */
  READ_FAILED: 8,
  /** The generation of the token table the file's chunks are searched with; 0 for none. */
  REQUEST_TABLE: 9,
  /** Threads asleep on EVENTS (or about to be): with none, a change wakes nobody, and costs no wake-up call. */
  WAITERS: 10,
  seq: (slot: number) => 11 + slot * 8,
  users: (slot: number) => 12 + slot * 8,
  /** Bytes in the slot; 0 at the end of the file; a negative errno when the read failed. */
  length: (slot: number) => 13 + slot * 8,
  /** The chunk whose token candidates the slot's `tokens` hold. */
  tokensSeq: (slot: number) => 14 + slot * 8,
  /** How many; -1 when the chunk was not searched (the scan searches it). */
  tokensCount: (slot: number) => 15 + slot * 8,
  /** The last chunk of the slot whose search a thread took on. */
  tokensClaim: (slot: number) => 16 + slot * 8,
  /** How many `\u` escapes follow the candidates in `tokens`; -1 when not looked for. */
  escapesCount: (slot: number) => 17 + slot * 8,
  /** How many line feeds follow the escapes in `tokens` (a JSON file's); -1 when not looked for. */
  feedsCount: (slot: number) => 18 + slot * 8,
  words: (slots: number) => 11 + slots * 8,
};

/** Candidates a slot holds at most (a chunk with more is searched by the scan itself). */
export const TOKENS_PER_SLOT = 65536;

/**
 * What a file's first chunk says of how its chunks are searched, the same on
 * both threads. Not `searchable`: gzip (its bytes are not the text) or
 * UTF-16 (decoded first), which the scan searches as it decodes. `json`: it
 * opens as JSON does (after a byte order mark and blank space), so where
 * `\u` escapes start is noted too (the JSON-lines reader parses every line
 * holding one). A file taken for JSON that is not costs a list nobody reads;
 * the other way round, the reader looks for itself.
 */
export function firstChunkShape(first: Uint8Array): { searchable: boolean; json: boolean } {
  const [a, b] = first;
  const searchable = !((a === 0x1f && b === 0x8b) || (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff));
  let at = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
  while (at < first.length && (first[at] === 0x20 || first[at] === 0x09 || first[at] === 0x0d || first[at] === 0x0a)) at++;
  return { searchable, json: first[at] === 0x7b || first[at] === 0x5b };
}

/** `fs.readSync`'s shape (tests put a failing disk in its place). */
export type ReadAt = (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => number;

export interface RingSetup {
  buffers: SharedArrayBuffer[];
  /** Int32 each, TOKENS_PER_SLOT: each slot's token candidates. */
  tokens: SharedArrayBuffer[];
  /** Int32 words, RING's layout. */
  control: SharedArrayBuffer;
  /** Float64: where in the file its first chunk starts. */
  position: SharedArrayBuffer;
}

/** Both threads' view of the ring. */
export class Ring {
  readonly state: Int32Array;
  readonly views: Uint8Array[];
  private readonly tokens: Int32Array[];
  private readonly start: Float64Array;

  constructor(
    readonly setup: RingSetup,
    private readonly readAt: ReadAt = readSync,
  ) {
    this.state = new Int32Array(setup.control);
    this.views = setup.buffers.map((b) => new Uint8Array(b));
    this.tokens = setup.tokens.map((b) => new Int32Array(b));
    this.start = new Float64Array(setup.position);
  }

  slotOf(seq: number): number {
    return seq % this.views.length;
  }

  published(seq: number): boolean {
    return Atomics.load(this.state, RING.seq(this.slotOf(seq))) === seq;
  }

  /**
   * Something changed: wake whoever sleeps on EVENTS. A sleeper counts itself
   * in WAITERS before it checks EVENTS and sleeps, so a change that saw no
   * sleeper came before that check, which then does not sleep.
   */
  bump(): void {
    Atomics.add(this.state, RING.EVENTS, 1);
    if (Atomics.load(this.state, RING.WAITERS) > 0) Atomics.notify(this.state, RING.EVENTS);
  }

  /** The hashing thread's side: sleep until EVENTS is no longer `events`, `ms` at most. */
  sleep(events: number, ms: number): void {
    Atomics.add(this.state, RING.WAITERS, 1);
    Atomics.wait(this.state, RING.EVENTS, events, ms);
    Atomics.sub(this.state, RING.WAITERS, 1);
  }

  /** The scan's side: the same, without blocking its thread. */
  async sleepAsync(events: number, ms: number): Promise<void> {
    Atomics.add(this.state, RING.WAITERS, 1);
    try {
      const waiting = Atomics.waitAsync(this.state, RING.EVENTS, events, ms);
      if (waiting.async) await waiting.value;
    } finally {
      Atomics.sub(this.state, RING.WAITERS, 1);
    }
  }

  /** One side is done with chunk `seq`'s bytes. */
  release(seq: number): void {
    Atomics.sub(this.state, RING.users(this.slotOf(seq)), 1);
    this.bump();
  }

  /** Takes on chunk `seq`'s token search: false when the other thread has. */
  claimTokens(seq: number): boolean {
    const at = RING.tokensClaim(this.slotOf(seq));
    const last = Atomics.load(this.state, at);
    return last !== seq && Atomics.compareExchange(this.state, at, last, seq) === last;
  }

  /**
   * The hashing thread's side: chunk `seq`'s token candidates (null: not
   * searched), and where its `\u` escapes start and its line feeds are
   * (null: not looked for). The escapes go after the candidates, the line
   * feeds after them, each when all before it fit.
   */
  publishTokens(seq: number, found: Int32Array | null, escapes: Int32Array | null = null, feeds: Int32Array | null = null): void {
    const slot = this.slotOf(seq);
    const room = this.tokens[slot];
    const fits = found !== null && found.length <= TOKENS_PER_SLOT;
    const escapesFit = fits && escapes !== null && found.length + escapes.length <= TOKENS_PER_SLOT;
    const feedsFit = escapesFit && feeds !== null && found.length + escapes.length + feeds.length <= TOKENS_PER_SLOT;
    if (fits) room.set(found);
    if (escapesFit) room.set(escapes, found.length);
    if (feedsFit) room.set(feeds, found.length + escapes.length);
    Atomics.store(this.state, RING.tokensCount(slot), fits ? found.length : -1);
    Atomics.store(this.state, RING.escapesCount(slot), escapesFit ? escapes.length : -1);
    Atomics.store(this.state, RING.feedsCount(slot), feedsFit ? feeds.length : -1);
    Atomics.store(this.state, RING.tokensSeq(slot), seq);
    this.bump();
  }

  /**
   * The scan's side: chunk `seq`'s token candidates, a copy (null when not
   * searched), its `\u` escapes and its line feeds (null when not looked
   * for); undefined when not yet published.
   */
  tokensOf(seq: number): ChunkSearch | null | undefined {
    const slot = this.slotOf(seq);
    if (Atomics.load(this.state, RING.tokensSeq(slot)) !== seq) return undefined;
    const count = Atomics.load(this.state, RING.tokensCount(slot));
    if (count < 0) return null;
    const room = this.tokens[slot];
    const escapes = Atomics.load(this.state, RING.escapesCount(slot));
    const feeds = escapes < 0 ? -1 : Atomics.load(this.state, RING.feedsCount(slot));
    return {
      found: room.slice(0, count),
      escapes: escapes < 0 ? null : room.slice(count, count + escapes),
      feeds: feeds < 0 ? null : room.slice(count + escapes, count + escapes + feeds),
    };
  }

  /** The scan's side: a new file, to be read from `from` to its end, its chunks numbered from `first`; `table` the generation of its token table (0: none). */
  request(fd: number, id: number, first: number, from: number, table = 0): void {
    const { state } = this;
    state[RING.REQUEST_TABLE] = table;
    state[RING.REQUEST_FD] = fd;
    state[RING.REQUEST_ID] = id;
    state[RING.REQUEST_FIRST] = first;
    state[RING.READ_FAILED] = 0;
    this.start[0] = from;
    Atomics.store(state, RING.READ_NEXT, first);
    // last: a reader that sees the file open sees all of the above
    Atomics.store(state, RING.READ_END, 0);
    Atomics.add(state, RING.REQUEST, 1);
    Atomics.notify(state, RING.REQUEST);
  }

  /**
   * Reads the next chunk into its slot, unless another thread is reading,
   * the slot is still in use or the file is over. Every chunk but the last
   * is a full slot, so a chunk's place in the file follows from its number.
   */
  tryRead(): boolean {
    const { state } = this;
    if (Atomics.load(state, RING.READ_END) !== 0) return false;
    if (Atomics.compareExchange(state, RING.READ_LOCK, 0, 1) !== 0) return false;
    let read = false;
    try {
      if (Atomics.load(state, RING.READ_END) !== 0) return false;
      const seq = Atomics.load(state, RING.READ_NEXT);
      const slot = this.slotOf(seq);
      if (Atomics.load(state, RING.users(slot)) !== 0) return false;
      const view = this.views[slot];
      const at = this.start[0] + (seq - state[RING.REQUEST_FIRST]) * view.length;
      let length = state[RING.READ_FAILED];
      if (length === 0) {
        try {
          for (let n = -1; length < view.length && n !== 0; length += n) n = this.readAt(state[RING.REQUEST_FD], view, length, view.length - length, at + length);
        } catch (error) {
          const errno = (error as { errno?: number }).errno;
          const failed = typeof errno === 'number' && errno < 0 ? errno : -5;
          // a disk failing part way through a chunk (a bad sector) leaves the bytes before it to scan and hash
          if (length > 0) state[RING.READ_FAILED] = failed;
          else length = failed;
        }
      }
      Atomics.store(state, RING.length(slot), length);
      // the end (or a failed read) is the scan's alone: the hash stops there
      Atomics.store(state, RING.users(slot), length > 0 ? 2 : 1);
      Atomics.store(state, RING.seq(slot), seq);
      Atomics.store(state, RING.READ_NEXT, seq + 1);
      if (length <= 0) Atomics.store(state, RING.READ_END, 1);
      read = true;
      return true;
    } finally {
      Atomics.store(state, RING.READ_LOCK, 0);
      // only news wakes the other side: a bump on every try kept both spinning
      if (read) this.bump();
    }
  }
}
