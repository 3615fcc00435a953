import { fstatSync, type Stats } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { AtomicOutput } from './atomic-output.js';
import { HuntError, type OutputCode } from '../errors/hunt-error.js';

// Where a report (a scan's, a merge's, or --emit kql's queries) goes, and
// how it gets there without destroying anything:
// - no --output, or `-o -`: standard output;
// - a new file: written whole or not at all (AtomicOutput: a temporary file
//   renamed into place);
// - an existing regular file: refused, unless --force, which replaces it
//   the same atomic way (through a symbolic link, the file it names is
//   replaced and the link kept);
// - a character device, FIFO or socket (/dev/null, /dev/tty, a named pipe,
//   /dev/stdout): written into, never renamed over; a path naming the
//   tool's own standard output is standard output.

/** A destination the tool will not write to; the message names it and why. The CLI exits 2. */
export class OutputRefused extends HuntError<OutputCode> {}

/** The report could not be written all the way (a full disk, an I/O error); `closed`: the reader went away. */
export class DeliveryFailed extends HuntError<'OUTPUT_PIPE_CLOSED' | 'OUTPUT_WRITE_FAILED'> {
  get closed(): boolean {
    return this.code === 'OUTPUT_PIPE_CLOSED';
  }
}

export interface ReportOutput {
  /** The destination as the user named it, or "standard output". */
  readonly name: string;
  /** The regular file being written (to check it is no input), or null. */
  readonly file: string | null;
  /** Whether a person is reading: the terminal rule then applies to every format. */
  readonly isTerminal: boolean;
  write(chunk: string): Promise<void>;
  /** The report is complete: move it into place, or flush and close. */
  commit(): Promise<void>;
  /** Abandon: a new file is not left behind half written. Safe to call more than once, and after commit. */
  abort(): Promise<void>;
}

class StandardOutput implements ReportOutput {
  readonly name = 'standard output';
  readonly file = null;
  readonly isTerminal = process.stdout.isTTY === true;

  constructor() {
    // a failed write is also emitted as an event; unheard, it would crash the process
    if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', () => undefined);
  }

  write(chunk: string): Promise<void> {
    return new Promise((resolve, reject) => process.stdout.write(chunk, (error) => (error ? reject(error) : resolve())));
  }

  async commit(): Promise<void> {}

  async abort(): Promise<void> {}
}

/** A device, FIFO or socket: written into as it is. */
class DirectOutput implements ReportOutput {
  readonly file = null;
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    readonly isTerminal: boolean,
  ) {}

  static async open(name: string, isTerminal: boolean): Promise<DirectOutput> {
    // append: never truncates, which for these is no loss
    return new DirectOutput(name, await open(name, 'a'), isTerminal);
  }

  async write(chunk: string): Promise<void> {
    await this.handle.writeFile(chunk);
  }

  async commit(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }
}

/** A new or replaced regular file, written whole or not at all. */
class FileOutput implements ReportOutput {
  readonly isTerminal = false;

  constructor(
    readonly name: string,
    private readonly atomic: AtomicOutput,
  ) {}

  get file(): string {
    return this.atomic.path;
  }

  write(chunk: string): Promise<void> {
    return this.atomic.write(chunk);
  }

  commit(): Promise<void> {
    return this.atomic.commit();
  }

  abort(): Promise<void> {
    return this.atomic.abort();
  }
}

function sameFile(a: Stats, fd: number): boolean {
  try {
    const b = fstatSync(fd);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

function isTerminalDevice(path: string): boolean {
  return path === '/dev/tty' || /^\/dev\/(pts\/\d+|tty\d*)$/.test(path);
}

/**
 * Open the destination before any scanning, so a bad one costs no scan time.
 * Throws OutputRefused (existing file without --force, a directory, a block
 * device, a link to nowhere) or the file system's error.
 */
export async function openOutput(path: string | null, options: { force: boolean }): Promise<ReportOutput> {
  if (path === null || path === '-') return new StandardOutput();
  const link = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (link === null) return new FileOutput(path, await AtomicOutput.open(path));
  const target = await stat(path).catch(() => null);
  if (target === null) throw new OutputRefused('OUTPUT_DANGLING_LINK', 'it is a symbolic link to nothing: name the file to write instead');
  if (sameFile(target, 1)) return new StandardOutput();
  if (target.isCharacterDevice() || target.isFIFO() || target.isSocket()) {
    const real = await realpath(path).catch(() => path);
    return DirectOutput.open(path, sameFile(target, 2) ? process.stderr.isTTY === true : isTerminalDevice(real));
  }
  if (target.isDirectory()) throw new OutputRefused('OUTPUT_DIRECTORY', 'it is a directory: name a file inside it');
  if (!target.isFile()) throw new OutputRefused('OUTPUT_NOT_A_FILE', 'it is a block device, not a file');
  if (!options.force) throw new OutputRefused('OUTPUT_EXISTS', 'it already exists (--force replaces it)');
  return new FileOutput(path, await AtomicOutput.open(await realpath(path)));
}

const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Write the whole report and complete it. A failure is one DeliveryFailed
 * in words; a reader that went away (EPIPE: `| head`) is `closed`, which the
 * CLI takes quietly, as other command line tools do.
 */
export async function deliver(output: ReportOutput, chunks: string | Iterable<string> | AsyncIterable<string>): Promise<void> {
  try {
    if (typeof chunks === 'string') await output.write(chunks);
    else for await (const chunk of chunks) await output.write(chunk);
    await output.commit();
  } catch (error) {
    await output.abort();
    const code = (error as NodeJS.ErrnoException)?.code ?? '';
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') throw new DeliveryFailed('OUTPUT_PIPE_CLOSED', 'the reader closed the pipe');
    throw new DeliveryFailed('OUTPUT_WRITE_FAILED', WRITE_FAILURES[code] ?? (error instanceof Error ? error.message : String(error)));
  }
}
