import { getSystemErrorName } from 'node:util';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import { firstChunkShape, Ring, RING, TOKENS_PER_SLOT } from './hash-ring.js';
import { noteChunkTokens } from '../kernel/chunk-tokens.js';
import { scanKernel, type TokenTable } from '../kernel/scan-kernel.js';
import { HuntError } from '../errors/hunt-error.js';

// The scan's side of a large file hashed on another thread (hash-worker.ts):
// the file is read into a ring of shared buffers (hash-ring.ts) by that
// thread, or by the scan when it would otherwise wait, and both threads look
// at the same bytes. Readers copy whatever they keep beyond a chunk.

export const SLOT_BYTES = 1 << 20;
export const SLOTS = 8;
/** Chunks the scan holds before giving the oldest back: a reader may still look at the one before the current. */
const HELD = 2;
/** A safety net only: every change that matters bumps EVENTS. */
const NAP_MS = 50;

/** The hashing thread died while a file was being read: the scan reads the rest itself, unhashed. */
export class HashThreadFailed extends HuntError<'HASH_THREAD_FAILED'> {}

/** One hashing thread and its ring. Should it die, the next large file gets a new one. */
class HashThread {
  readonly ring = new Ring({
    buffers: Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES)),
    tokens: Array.from({ length: SLOTS }, () => new SharedArrayBuffer(4 * TOKENS_PER_SLOT)),
    control: new SharedArrayBuffer(4 * RING.words(SLOTS)),
    position: new SharedArrayBuffer(8),
  });
  private readonly worker: Worker;
  private readonly digests = new Map<number, (digest: string | null) => void>();
  private readonly arrived = new Map<number, string>();
  failed = false;
  /** Files started and not yet digested: while there are any, the thread keeps the process alive (a pending Atomics.waitAsync does not). */
  private open_ = 0;
  /** The token table last posted to the thread, and its generation. */
  private table: TokenTable | null = null;
  private tableGeneration = 0;

  constructor() {
    const { script, options } = workerScript('hash-worker');
    this.worker = new Worker(script, { ...options, workerData: this.ring.setup });
    this.worker.on('message', ({ id, digest }: { id: number; digest: string }) => {
      const resolve = this.digests.get(id);
      if (!resolve) {
        this.arrived.set(id, digest);
        return;
      }
      this.digests.delete(id);
      this.close();
      resolve(digest);
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
    this.worker.unref();
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.ring.bump();
    for (const resolve of this.digests.values()) resolve(null);
    this.digests.clear();
  }

  start(fd: number, from: number, id: number, first: number, onEnd: (nextSeq: number) => void, tokens: TokenTable | null): BesideFile {
    this.worker.ref();
    this.open_++;
    const generation = tokens ? this.post(tokens) : 0;
    this.ring.request(fd, id, first, from, generation);
    return new BesideFile(this, id, first, onEnd, generation === 0 ? null : tokens);
  }

  /** The thread gets a table once (a copy of a few MiB for a large IOC set), then its generation with each file. */
  private post(table: TokenTable): number {
    if (table !== this.table) {
      this.table = table;
      this.tableGeneration++;
      this.worker.postMessage({ generation: this.tableGeneration, table: { memory: table.memory, tmask: table.tmask, nprefix: table.nprefix, want: table.want } });
    }
    return this.tableGeneration;
  }

  /** The file's SHA-256 once all of it was read, or null when the thread failed. */
  digest(id: number): Promise<string | null> {
    const digest = this.arrived.get(id);
    if (digest !== undefined || this.failed) {
      this.arrived.delete(id);
      this.close();
      return Promise.resolve(digest ?? null);
    }
    return new Promise((resolve) => this.digests.set(id, resolve));
  }

  private close(): void {
    this.open_--;
    // an idle thread must not keep the process alive
    if (this.open_ <= 0) this.worker.unref();
  }

  /** For the tests' fault injection only: the thread dies as if it had crashed. */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}

class HashBeside {
  private thread: HashThread | null = null;
  /** Chunk numbers run on across files, from 1, so a slot never shows a number still to come. */
  private nextSeq = 1;
  private nextId = 1;

  /** Hands the file open as `fd` over to be read from `from` to its end; with `tokens`, its chunks are also searched there. */
  start(fd: number, from: number, tokens: TokenTable | null = null): BesideFile {
    if (!this.thread || this.thread.failed) this.thread = new HashThread();
    return this.thread.start(fd, from, this.nextId++, this.nextSeq, (seq) => {
      this.nextSeq = seq;
    }, tokens);
  }

  /** For the tests' fault injection only. */
  killThread(): Promise<number> | undefined {
    return this.thread?.kill();
  }
}

/** What a file being read needs of its hashing thread. */
export interface RingThread {
  readonly ring: Ring;
  readonly failed: boolean;
  digest(id: number): Promise<string | null>;
}

/** One file as it is read into the ring: its chunks in order, then the end. */
export class BesideFile {
  private held: number[] = [];
  private ended = false;
  private readonly first: number;
  /** Known from the first chunk on (searchAhead). */
  private shape: ReturnType<typeof firstChunkShape> | null = null;
  /** The file could not be read to its end. */
  failed = false;

  constructor(
    private readonly thread: RingThread,
    private readonly id: number,
    private seq: number,
    private readonly onEnd: (nextSeq: number) => void,
    /** The table the thread searches this file's chunks with (null: none). */
    private readonly tokens: TokenTable | null = null,
  ) {
    this.first = seq;
  }

  /** The next chunk (valid until two more were asked for), or null at the end. Throws when a read failed, or HashThreadFailed. */
  async next(): Promise<Buffer | null> {
    if (this.ended) return null;
    const { ring } = this.thread;
    while (this.held.length >= HELD) ring.release(this.held.shift()!);
    let found: ReturnType<Ring['tokensOf']> = null;
    for (;;) {
      const events = Atomics.load(ring.state, RING.EVENTS);
      if (ring.published(this.seq)) {
        // with a table, a chunk is taken once the thread searched it (it does so before hashing it),
        // or at once when it has not begun to: the scan then searches it itself rather than wait
        if (!this.tokens || !this.hasBytes(this.seq)) break;
        found = ring.tokensOf(this.seq);
        if (found !== undefined || ring.claimTokens(this.seq)) break;
        // the thread is searching this chunk: meanwhile, one it has not come to
        if (this.searchAhead()) continue;
      }
      if (this.thread.failed) return this.end(new HashThreadFailed('HASH_THREAD_FAILED', 'the hashing thread failed'));
      // rather than wait for a read, read here
      if (ring.tryRead()) continue;
      await ring.sleepAsync(events, NAP_MS);
    }
    const seq = this.seq++;
    const slot = ring.slotOf(seq);
    const length = Atomics.load(ring.state, RING.length(slot));
    if (length <= 0) {
      ring.release(seq);
      return this.end(length < 0 ? readError(length) : null);
    }
    this.held.push(seq);
    const buffer = ring.views[slot].buffer;
    if (seq === this.first) this.shape = firstChunkShape(ring.views[slot].subarray(0, length));
    noteChunkTokens(buffer, length, this.tokens, found ?? null);
    return Buffer.from(buffer, 0, length);
  }

  /**
   * Searches the first chunk after this one that was read and that the
   * thread has not taken on, with the scan's own kernel, and hands the result
   * over as the thread would: the scan would otherwise wait while the thread
   * searches and hashes, and both threads stay busy to the end. False when
   * there is none.
   */
  private searchAhead(): boolean {
    const { ring } = this.thread;
    const kernel = scanKernel();
    if (!this.tokens || !kernel || !this.shape?.searchable) return false;
    for (let seq = this.seq + 1; ring.published(seq); seq++) {
      const slot = ring.slotOf(seq);
      const length = Atomics.load(ring.state, RING.length(slot));
      if (length <= 0) return false;
      if (!ring.claimTokens(seq)) continue;
      const search = kernel.chunkSearch(this.tokens, ring.views[slot].subarray(0, length), this.shape.json);
      ring.publishTokens(seq, search.found, search.escapes, search.feeds);
      return true;
    }
    return false;
  }

  private hasBytes(seq: number): boolean {
    return Atomics.load(this.thread.ring.state, RING.length(this.thread.ring.slotOf(seq))) > 0;
  }

  /** The SHA-256 of all of the file, or null when the hashing thread failed. */
  digest(): Promise<string | null> {
    return this.thread.digest(this.id);
  }

  private end(error: Error | null): null {
    this.ended = true;
    for (const seq of this.held) this.thread.ring.release(seq);
    this.held = [];
    this.onEnd(this.seq);
    if (error) {
      this.failed = true;
      throw error;
    }
    return null;
  }
}

function readError(errno: number): Error {
  let code = 'EIO';
  try {
    code = getSystemErrorName(errno);
  } catch {
    // not an errno this system names: EIO says it well enough
  }
  return Object.assign(new Error(`${code}: read failed`), { code, errno });
}

export const hashBeside = new HashBeside();
