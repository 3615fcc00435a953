import { Worker } from 'node:worker_threads';

/** Bytes handed to the hasher and not yet hashed, beyond which reading waits: memory stays bounded. */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;

/** One worker for the whole run; files are told apart by id. */
class OffThreadHasher {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (digest: string) => void>();
  private inFlight = 0;
  private drained: (() => void) | null = null;

  private get thread(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./hash-worker.js', import.meta.url));
      this.worker.on('message', ({ id, digest, hashed }: { id: number; digest: string; hashed?: number }) => {
        if (hashed !== undefined) {
          this.inFlight -= hashed;
          if (this.inFlight === 0 && this.waiting.size === 0) this.worker?.unref();
          if (this.inFlight <= MAX_IN_FLIGHT / 2) this.drained?.();
          return;
        }
        this.waiting.get(id)?.(digest);
        this.waiting.delete(id);
        // an idle hasher must not keep the process alive
        if (this.waiting.size === 0 && this.inFlight === 0) this.worker?.unref();
      });
      this.worker.unref();
    }
    return this.worker;
  }

  open(): number {
    return this.nextId++;
  }

  /** Hand a chunk over; when too much is waiting to be hashed, the promise says when to go on. */
  update(id: number, chunk: Buffer): Promise<void> | undefined {
    this.inFlight += chunk.length;
    this.thread.ref();
    this.thread.postMessage({ id, chunk });
    if (this.inFlight <= MAX_IN_FLIGHT) return undefined;
    return new Promise((resolve) => {
      this.drained = () => {
        this.drained = null;
        resolve();
      };
    });
  }

  digest(id: number): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.thread.ref();
      this.thread.postMessage({ id, done: true });
    });
  }
}

export const offThreadHasher = new OffThreadHasher();
