import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { hashBeside, HashThreadFailed, type BesideFile } from './hash-beside.js';
import type { TokenTable } from '../kernel/scan-kernel.js';

// The digest of an input: its byte count and SHA-256 as stored, taken from
// the chunks the scan reads (the report's `bytes` and `sha256` come from the
// scanning pass itself), here or on a thread of its own for a large file.

/** Files this large are read and hashed on another thread; for smaller ones starting it costs more than it saves. */
export const HASH_ON_OWN_THREAD_BYTES = 16 * 1024 * 1024;

/**
 * Byte count and SHA-256 of the file as stored, taken from the very chunks
 * the scan reads. A large file is read and hashed by another thread while
 * the scan reads the same shared buffers (hash-beside.ts); otherwise both
 * happen here.
 */
export class ReadTally {
  bytes = 0;
  done = false;
  private hash: Hash | null = null;
  private beside: BesideFile | null = null;
  private handle: FileHandle | null = null;
  /** The hashing thread died part way: the rest is read here, and the file's SHA-256 is reported missing. */
  besideLost = false;

  constructor(
    private readonly onBytes?: (count: number) => void,
    /** false when `--jobs` leaves no thread spare (scan/thread-plan.ts). */
    private readonly ownThreadAllowed = false,
    /** The token search's table: the other thread also searches a large file's chunks with it. */
    private readonly tokens: TokenTable | null = null,
  ) {}

  /** The file is open: where it is read and hashed is chosen once, here, from its own fstat. */
  begin(handle: FileHandle, isFile: boolean, size: number): BesideFile | null {
    if (this.hash || this.beside) return null;
    if (this.ownThreadAllowed && isFile && size >= HASH_ON_OWN_THREAD_BYTES) {
      this.handle = handle;
      this.beside = hashBeside.start(handle.fd, this.bytes, this.tokens);
      return this.beside;
    }
    this.hash = createHash('sha256');
    return null;
  }

  /** `chunk` was just read (here or by the other thread). */
  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    this.onBytes?.(chunk.length);
  }

  /**
   * Reads what the scan left of a file the other thread reads, to its end
   * (so its hash covers all of it), then closes it. Nothing to do otherwise.
   */
  async finishBeside(): Promise<void> {
    if (!this.beside || !this.handle || this.besideLost) return;
    try {
      for (let chunk = await this.beside.next(); chunk !== null; chunk = await this.beside.next()) this.update(chunk);
      this.done = !this.beside.failed;
    } catch (error) {
      // the rest is read again by finishTally; a failed read the scan reports itself
      if (error instanceof HashThreadFailed) this.besideLost = true;
    } finally {
      const handle = this.handle;
      this.handle = null;
      await handle.close();
    }
  }

  /** Whether the rest of the file is for finishBeside (not for reading again here). */
  get besideReading(): boolean {
    return this.beside !== null && !this.besideLost;
  }

  /** null when the other thread failed. */
  digest(): Promise<string | null> {
    if (this.beside) return this.beside.digest();
    this.hash ??= createHash('sha256');
    return Promise.resolve(this.hash.digest('hex'));
  }
}
