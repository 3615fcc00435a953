import { createHash, type Hash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { hashBeside, HashThreadFailed, SLOT_BYTES, type BesideFile } from './hash-beside.js';
import { gunzip } from './gunzip.js';
import type { FileFormat } from '../report/report.js';
import { fsPath } from '../record/file-path.js';
import { notTextExport } from './text-or-binary.js';
import { withoutNulRuns, type DamageMark, type NulRunReport } from './nul-runs.js';

// Inputs: from the paths named to the files' bytes (discover.ts), each file
// opened, decompressed and sniffed here, counted and hashed as it is read
// (on a thread of its own for a large file: hash-beside.ts).
//
// Opening one input: the raw bytes are counted and hashed as they stream past
// (the report's `bytes` and `sha256` come from the scanning pass itself), gzip
// is recognised by its magic bytes, and the content's format is sniffed.

/** json-tables: a Log Analytics query answer, {"tables":[{"columns","rows"}]}. */
export type ContentShape = 'csv' | 'json-array' | 'json-records' | 'json-tables' | 'ndjson';

export function formatOfShape(shape: ContentShape): FileFormat {
  return shape === 'csv' ? 'csv' : shape === 'ndjson' ? 'ndjson' : 'json';
}

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
  ) {}

  /** The file is open: where it is read and hashed is chosen once, here, from its own fstat. */
  begin(handle: FileHandle, isFile: boolean, size: number): BesideFile | null {
    if (this.hash || this.beside) return null;
    if (this.ownThreadAllowed && isFile && size >= HASH_ON_OWN_THREAD_BYTES) {
      this.handle = handle;
      this.beside = hashBeside.start(handle.fd, this.bytes);
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

const CHUNK_SIZE = SLOT_BYTES;
const BUFFERS = 4;
const buffers: Buffer[] = [];
let turn = -1;

/**
 * Where to read the next chunk on this thread: the same few buffers in turn
 * (readers copy what they keep beyond a chunk), shared by every file the
 * thread reads, one after another: fresh buffers for each file of a sweep
 * were garbage that held memory until a collection came.
 */
function readBuffer(): Buffer {
  turn = (turn + 1) % BUFFERS;
  return (buffers[turn] ??= Buffer.allocUnsafeSlow(CHUNK_SIZE));
}

/** Files this large are read and hashed on another thread; for smaller ones starting it costs more than it saves. */
export const HASH_ON_OWN_THREAD_BYTES = 16 * 1024 * 1024;

async function* fileChunks(path: string, tally: ReadTally): AsyncGenerator<Buffer> {
  const handle = await open(fsPath(path), 'r');
  const info = await handle.stat();
  const beside = tally.begin(handle, info.isFile(), info.size);
  if (beside) {
    // the other thread reads ahead; the handle is closed by finishBeside, even when the scan stops early
    try {
      for (let chunk = await beside.next(); chunk !== null; chunk = await beside.next()) {
        tally.update(chunk);
        yield chunk;
      }
      await tally.finishBeside();
      return;
    } catch (error) {
      if (!(error instanceof HashThreadFailed)) throw error;
      // nothing is lost but the hash: the rest is read below, from where the ring stopped
      tally.besideLost = true;
    }
  }
  // a FIFO cannot seek: read it where it stands; a file from where the tally got to
  let position = info.isFile() ? tally.bytes : null;
  const read = async (): Promise<Buffer | null> => {
    const buffer = readBuffer();
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return null;
    if (position !== null) position += bytesRead;
    const chunk = buffer.subarray(0, bytesRead);
    tally.update(chunk);
    return chunk;
  };
  // one read ahead: the disk (or page cache) works while the scan works
  let next = read();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null) break;
      next = read();
      yield chunk;
    }
    tally.done = true;
  } finally {
    await next.catch(() => null);
    await handle.close();
  }
}

/**
 * When a reader stopped early (broken gzip, unreadable tail), the rest of the
 * file is still hashed, continuing from where the scan stopped, so `sha256`
 * always describes the whole file.
 */
export async function finishTally(path: string, tally: ReadTally): Promise<void> {
  if (tally.besideReading) await tally.finishBeside();
  if (tally.done || tally.besideReading) return;
  try {
    // a pipe cannot be read a second time: what it gave is all there is
    if (!(await stat(fsPath(path))).isFile()) return;
    for await (const _ of fileChunks(path, tally)) {
      // hashing happens in fileChunks
    }
  } catch {
    // the scan already reported why this file cannot be read
  }
}

/** Hold on to the first chunk so it can be looked at, then hand it on. */
async function peek(source: AsyncIterator<Buffer>): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const parts: Buffer[] = [];
  let size = 0;
  let finished = false;
  // a pipe or a tiny first read may deliver fewer bytes than a sniff needs
  while (size < 4096) {
    const next = await source.next();
    if (next.done) {
      finished = true;
      break;
    }
    parts.push(next.value);
    size += next.value.length;
  }
  // one read is the usual case: no copy (the buffer is not read into again before the reader takes it)
  const head = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (finished) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, rest: rest() };
}

/** UTF-16 with a BOM is re-encoded as UTF-8 so every reader sees one encoding. */
async function* utf16ToUtf8(source: AsyncIterable<Buffer>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const tail = decoder.decode();
  if (tail) yield Buffer.from(tail, 'utf8');
}

export function sniffShape(head: Buffer): ContentShape {
  // zero padding at the start is skipped by the reading (nul-runs.ts), so it is no sign of the shape
  let from = 0;
  while (from < head.length && (head[from] === 0 || head[from] === 0x0a || head[from] === 0x0d)) from++;
  const text = head.toString('utf8', from, Math.min(head.length, from + 4096)).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json-array';
  if (trimmed.startsWith('{')) {
    if (/^\{\s*"records"\s*:\s*\[/.test(trimmed)) return 'json-records';
    // a query answer opens with its table list (Azure Data Explorer capitalises it)
    return /^\{\s*"tables"\s*:\s*\[/i.test(trimmed) ? 'json-tables' : 'ndjson';
  }
  // A damaged first line must not turn JSON lines into "CSV": look at the next lines too.
  const lines = trimmed.split('\n').slice(1, 11).filter((l) => l.trim() !== '');
  const objects = lines.filter((l) => l.trimStart().startsWith('{')).length;
  return lines.length > 0 && objects * 2 > lines.length ? 'ndjson' : 'csv';
}

export interface OpenedInput {
  compressed: boolean;
  /** Not a text export: the content is not read further. */
  binary: boolean;
  shape: ContentShape;
  /** The decoded content (gunzipped, UTF-8). */
  content: AsyncIterable<Buffer>;
  /** Reading stops here (content that will not be read): the file is closed now, not when memory is collected. */
  close(): Promise<void>;
}

/** Where zero padding between records and damage inside gzip are reported, at their lines (nul-runs.ts, gunzip.ts). */
export type PaddingReport = Pick<NulRunReport, 'lineFeedsRead' | 'report'>;

export async function openInput(path: string, tally: ReadTally, padding?: PaddingReport): Promise<OpenedInput> {
  const chunks = fileChunks(path, tally);
  const raw = await peek(chunks);
  const compressed = raw.head.length >= 2 && raw.head[0] === 0x1f && raw.head[1] === 0x8b;
  const marks: DamageMark[] = [];
  let content: AsyncIterable<Buffer> = compressed ? gunzip(raw.rest, { marks }) : raw.rest;
  let decoded = await peek(content[Symbol.asyncIterator]());
  const bom = decoded.head;
  const utf16 = bom.length >= 2 && ((bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff));
  if (utf16) {
    content = utf16ToUtf8(decoded.rest, bom[0] === 0xff ? 'utf-16le' : 'utf-16be');
    decoded = await peek(content[Symbol.asyncIterator]());
  }
  const close = async () => {
    await chunks.return(undefined);
  };
  const offsetsOf = compressed ? 'the decompressed text' : utf16 ? 'the text decoded from UTF-16' : 'the file';
  // after the peeks: the reader takes the text from its first byte, so the line it has reached is known at each run
  const text = withoutNulRuns(decoded.rest, { lineFeedsRead: () => null, report: () => undefined, ...padding, offsetsOf, marks, marksUnplaced: utf16 });
  return { compressed, binary: notTextExport(decoded.head), shape: sniffShape(decoded.head), content: text, close };
}
