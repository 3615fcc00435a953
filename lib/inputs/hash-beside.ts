import { getSystemErrorName } from 'node:util';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import { RING, type RingSetup } from './hash-ring.js';

// The scan's side of a large file read and hashed on another thread
// (hash-worker.ts): a ring of shared buffers the other thread reads the file
// into and hashes, while the scan reads the same bytes. Readers copy
// whatever they keep beyond a chunk.

export const SLOT_BYTES = 1 << 20;
export const SLOTS = 8;
/** Chunks the scan holds before giving the oldest back: a reader may still look at the one before the current. */
const HELD = 2;

class HashBeside {
  private worker: Worker | null = null;
  private readonly ring: RingSetup = {
    buffers: Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES)),
    control: new SharedArrayBuffer(4 * RING.words(SLOTS)),
    position: new SharedArrayBuffer(8),
  };
  readonly state = new Int32Array(this.ring.control);
  private readonly digests = new Map<number, (digest: string | null) => void>();
  private readonly arrived = new Map<number, string>();
  /** The other thread died: what it owed is reported as unreadable and unhashed. */
  failed = false;
  /** Chunk numbers run on across files, from 1, so a slot never shows a number still to come. */
  private nextSeq = 1;
  private nextId = 1;
  /** Files started and not yet digested: while there are any, the thread keeps the process alive (a pending Atomics.waitAsync does not). */
  private open_ = 0;

  private get thread(): Worker {
    if (!this.worker) {
      const { script, options } = workerScript('hash-worker');
      this.worker = new Worker(script, { ...options, workerData: this.ring });
      this.worker.on('message', ({ id, digest }: { id: number; digest: string }) => {
        const resolve = this.digests.get(id);
        if (resolve) {
          this.digests.delete(id);
          this.close();
          resolve(digest);
        } else {
          this.arrived.set(id, digest);
        }
      });
      this.worker.on('error', () => this.fail());
      this.worker.on('exit', () => this.fail());
      this.worker.unref();
    }
    return this.worker;
  }

  private fail(): void {
    this.failed = true;
    for (let slot = 0; slot < SLOTS; slot++) Atomics.notify(this.state, RING.seq(slot));
    for (const resolve of this.digests.values()) resolve(null);
    this.digests.clear();
  }

  /** Hands the file open as `fd` over to be read from `from` to its end. */
  start(fd: number, from: number): BesideFile {
    const thread = this.thread;
    this.open_++;
    thread.ref();
    const id = this.nextId++;
    const first = this.nextSeq;
    new Float64Array(this.ring.position)[0] = from;
    this.state[RING.REQUEST_FD] = fd;
    this.state[RING.REQUEST_ID] = id;
    this.state[RING.REQUEST_FIRST] = first;
    Atomics.add(this.state, RING.REQUEST, 1);
    Atomics.notify(this.state, RING.REQUEST);
    return new BesideFile(this, id, first, (seq) => {
      this.nextSeq = seq;
    });
  }

  buffer(slot: number, length: number): Buffer {
    return Buffer.from(this.ring.buffers[slot], 0, length);
  }

  release(slot: number): void {
    Atomics.sub(this.state, RING.users(slot), 1);
    Atomics.notify(this.state, RING.users(slot));
  }

  /** The file's SHA-256 once all of it was read, or null when the other thread failed. */
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
    if (this.open_ <= 0) this.worker?.unref();
  }
}

/** One file as the other thread reads it: its chunks in order, then the end. */
export class BesideFile {
  private held: number[] = [];
  private ended = false;
  /** The file could not be read to its end. */
  failed = false;

  constructor(
    private readonly ring: HashBeside,
    readonly id: number,
    private seq: number,
    private readonly onEnd: (nextSeq: number) => void,
  ) {}

  /** The next chunk (valid until two more were asked for), or null at the end. Throws when a read failed. */
  async next(): Promise<Buffer | null> {
    if (this.ended) return null;
    while (this.held.length >= HELD) this.ring.release(this.held.shift()!);
    const slot = this.seq % SLOTS;
    const at = RING.seq(slot);
    for (let seen = Atomics.load(this.ring.state, at); seen !== this.seq; seen = Atomics.load(this.ring.state, at)) {
      if (this.ring.failed) return this.end(new Error('the thread reading and hashing this file failed'));
      const waiting = Atomics.waitAsync(this.ring.state, at, seen);
      if (waiting.async) await waiting.value;
    }
    const length = Atomics.load(this.ring.state, RING.length(slot));
    this.seq++;
    if (length <= 0) {
      this.ring.release(slot);
      return this.end(length < 0 ? readError(length) : null);
    }
    this.held.push(slot);
    return this.ring.buffer(slot, length);
  }

  private end(error: Error | null): null {
    this.ended = true;
    for (const slot of this.held) this.ring.release(slot);
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
