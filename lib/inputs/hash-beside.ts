import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import { RING, type RingSetup } from './hash-ring.js';

// The reading side of hashing on another core: a ring of shared buffers the
// file is read into. A buffer is read into again only once the hashing thread
// has hashed it; readers copy whatever they keep beyond a chunk.

export const SLOT_BYTES = 1 << 20;
export const SLOTS = 4;

class HashBeside {
  private worker: Worker | null = null;
  private readonly ring: RingSetup = {
    buffers: Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES)),
    control: new SharedArrayBuffer(4 * RING.words(SLOTS)),
  };
  private readonly state = new Int32Array(this.ring.control);
  private readonly digests = new Map<number, (digest: string | null) => void>();
  /** The hashing thread died: reading goes on, and the hashes it owed are reported as missing. */
  private failed = false;
  private next = 0;
  private nextId = 1;
  /** Files opened and not yet digested: while there are any, the thread keeps the process alive (a pending Atomics.waitAsync does not). */
  private open_ = 0;

  private get thread(): Worker {
    if (!this.worker) {
      const { script, options } = workerScript('hash-worker');
      this.worker = new Worker(script, { ...options, workerData: this.ring });
      this.worker.on('message', ({ id, digest }: { id: number; digest: string }) => {
        this.digests.get(id)?.(digest);
        this.digests.delete(id);
        this.close();
      });
      this.worker.on('error', () => this.fail());
      this.worker.on('exit', () => this.fail());
      this.worker.unref();
    }
    return this.worker;
  }

  private fail(): void {
    this.failed = true;
    this.state.fill(RING.FREE);
    for (let slot = 0; slot < SLOTS; slot++) Atomics.notify(this.state, RING.state(slot));
    for (const resolve of this.digests.values()) resolve(null);
    this.digests.clear();
  }

  open(): number {
    this.open_++;
    this.thread.ref();
    return this.nextId++;
  }

  private close(): void {
    this.open_--;
    // an idle hashing thread must not keep the process alive
    if (this.open_ <= 0) this.worker?.unref();
  }

  /** The next slot of the ring, once the hashing thread is done with it. */
  private async take(): Promise<number> {
    const slot = this.next;
    const at = RING.state(slot);
    while (!this.failed && Atomics.load(this.state, at) !== RING.FREE) {
      const waiting = Atomics.waitAsync(this.state, at, RING.FILLED);
      if (waiting.async) await waiting.value;
    }
    this.next = (slot + 1) % SLOTS;
    return slot;
  }

  /** The next buffer to read into; `fill` hands it to the hashing thread. */
  async buffer(): Promise<{ slot: number; bytes: Buffer }> {
    const slot = await this.take();
    return { slot, bytes: Buffer.from(this.ring.buffers[slot]) };
  }

  fill(id: number, slot: number, length: number): void {
    if (!this.failed) this.post(slot, id, length);
  }

  /** The file's SHA-256, or null when the hashing thread failed. */
  async digest(id: number): Promise<string | null> {
    const slot = this.failed ? 0 : await this.take();
    if (this.failed) {
      this.close();
      return null;
    }
    return new Promise((resolve) => {
      this.digests.set(id, resolve);
      this.post(slot, id, RING.DIGEST);
    });
  }

  private post(slot: number, id: number, length: number): void {
    this.state[RING.id(slot)] = id;
    this.state[RING.length(slot)] = length;
    Atomics.store(this.state, RING.state(slot), RING.FILLED);
    Atomics.notify(this.state, RING.state(slot));
  }
}

export const hashBeside = new HashBeside();
