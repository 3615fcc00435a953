import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';

// The reading side of hashing on another core: a ring of shared buffers the
// file is read into. A buffer is read into again only once the hashing thread
// has hashed it; readers copy whatever they keep beyond a chunk.

export const SLOT_BYTES = 1 << 20;
const SLOTS = 4;

class HashBeside {
  private worker: Worker | null = null;
  private readonly slots = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
  private readonly busy = new Array<boolean>(SLOTS).fill(false);
  private readonly freed: Array<() => void> = [];
  private readonly digests = new Map<number, (digest: string | null) => void>();
  /** The hashing thread died: reading goes on, and the hashes it owed are reported as missing. */
  private failed = false;
  private next = 0;
  private nextId = 1;
  private pending = 0;

  private get thread(): Worker {
    if (!this.worker) {
      const { script, options } = workerScript('hash-worker');
      this.worker = new Worker(script, options);
      this.worker.postMessage({ slots: this.slots });
      this.worker.on('message', (message: { slot?: number; id?: number; digest?: string }) => {
        if (message.slot !== undefined) {
          this.busy[message.slot] = false;
          this.freed.shift()?.();
        } else {
          this.digests.get(message.id!)?.(message.digest!);
          this.digests.delete(message.id!);
        }
        this.pending--;
        // an idle hashing thread must not keep the process alive
        if (this.pending === 0) this.worker?.unref();
      });
      this.worker.on('error', () => this.fail());
      this.worker.on('exit', () => this.fail());
    }
    return this.worker;
  }

  private fail(): void {
    this.failed = true;
    this.busy.fill(false);
    for (const wake of this.freed.splice(0)) wake();
    for (const resolve of this.digests.values()) resolve(null);
    this.digests.clear();
  }

  open(): number {
    return this.nextId++;
  }

  /** The next buffer of the ring to read into, once the hashing thread is done with it. */
  async buffer(): Promise<{ slot: number; bytes: Buffer }> {
    const slot = this.next;
    while (this.busy[slot]) await new Promise<void>((resolve) => this.freed.push(resolve));
    this.next = (slot + 1) % SLOTS;
    return { slot, bytes: Buffer.from(this.slots[slot]) };
  }

  hash(id: number, slot: number, length: number): void {
    if (this.failed) return;
    this.busy[slot] = true;
    this.send({ id, length, slot });
  }

  /** The file's SHA-256, or null when the hashing thread failed. */
  digest(id: number): Promise<string | null> {
    if (this.failed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.digests.set(id, resolve);
      this.send({ id, done: true });
    });
  }

  private send(message: object): void {
    this.pending++;
    this.thread.ref();
    this.thread.postMessage(message);
  }
}

export const hashBeside = new HashBeside();
