import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsPath } from '../record/file-path.js';

// `--output FILE` for a new file (or an existing one replaced with --force):
// the whole report or nothing. The report is written to a
// temporary file beside FILE (same folder, so the rename cannot cross file
// systems) and renamed over FILE once complete and flushed to disk. Whatever
// goes wrong, FILE is either untouched or the whole report.
//
// The temporary file is created before the scan starts, so an unwritable
// destination is refused at once rather than after an hour of scanning.

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class AtomicOutput {
  private settled = false;
  /**
   * Pieces are gathered here and written a buffer at a time: a write awaited
   * for each of a large report's pieces (thousands of 25 KB pieces for a
   * 100,000-IOC feed) left the scan idle for a tenth of a second.
   */
  private readonly encoded = Buffer.allocUnsafe(1024 * 1024);
  /** Bytes of `encoded` not yet written. */
  private filled = 0;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.removeSync();
    // then die of the same signal, as if we had not been listening
    process.kill(process.pid, signal);
  };
  private readonly onExit = () => this.removeSync();

  private constructor(
    readonly path: string,
    readonly temporary: string,
    private readonly handle: FileHandle,
  ) {
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
    process.once('exit', this.onExit);
  }

  /** Create the temporary file; throws (ENOENT, EACCES, …) when FILE's folder cannot take it. */
  static async open(path: string): Promise<AtomicOutput> {
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    // `wx`: never reuse or follow something already there
    const handle = await open(temporary, 'wx');
    return new AtomicOutput(path, temporary, handle);
  }

  /** Add a piece of the report to the temporary file. */
  async write(chunk: string): Promise<void> {
    if (this.settled) throw new Error('report already written or abandoned');
    try {
      // UTF-8 takes at most 3 bytes for a UTF-16 unit: a piece that surely fits is encoded into this
      // output's own buffer (a Buffer made for each piece of a 47 MB report was garbage until collected)
      if (chunk.length * 3 > this.encoded.length - this.filled) await this.flush();
      if (chunk.length * 3 <= this.encoded.length) this.filled += this.encoded.write(chunk, this.filled, 'utf8');
      else await this.handle.writeFile(chunk);
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** What `encoded` holds, all of it (a write may take fewer bytes). */
  private async flush(): Promise<void> {
    for (let done = 0; done < this.filled; ) done += (await this.handle.write(this.encoded, done, this.filled - done)).bytesWritten;
    this.filled = 0;
  }

  /** Write the rest of the report (if any), flush it to disk, and move it into place. */
  async commit(text = ''): Promise<void> {
    if (this.settled) throw new Error('report already written or abandoned');
    try {
      await this.flush();
      if (text !== '') await this.handle.writeFile(text);
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temporary, this.path);
      this.settle();
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** Remove the temporary file; FILE is left as it was. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.settled) return;
    this.settle();
    await this.handle.close().catch(() => undefined);
    await unlink(this.temporary).catch(() => undefined);
  }

  private settle(): void {
    this.settled = true;
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    process.removeListener('exit', this.onExit);
  }

  /** On a signal or exit there is no time for promises: remove it now. */
  private removeSync(): void {
    if (this.settled) return;
    this.settle();
    try {
      unlinkSync(this.temporary);
    } catch {
      // already gone
    }
  }
}

/**
 * Whether FILE already exists as one of the scanned inputs: writing the report
 * over it would modify evidence, and inputs are never modified.
 */
export async function isOneOfInputs(path: string, inputs: readonly string[]): Promise<boolean> {
  const target = await stat(path).catch(() => null);
  if (target === null) return false;
  for (const input of inputs) {
    const info = await stat(fsPath(input)).catch(() => null);
    if (info !== null && info.dev === target.dev && info.ino === target.ino) return true;
  }
  return false;
}
