import { createHash, type Hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { hashBeside, SLOT_BYTES, SLOTS } from './hash-beside.js';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { FileFormat } from '../report/report.js';

// Opening one input: the raw bytes are counted and hashed as they stream past
// (the report's `bytes` and `sha256` come from the scanning pass itself), gzip
// is recognised by its magic bytes, and the content's format is sniffed.

export type ContentShape = 'csv' | 'json-array' | 'json-records' | 'ndjson';

export function formatOfShape(shape: ContentShape): FileFormat {
  return shape === 'csv' ? 'csv' : shape === 'ndjson' ? 'ndjson' : 'json';
}

/**
 * Byte count and SHA-256 of the file as stored, taken from the very chunks
 * the scan reads. For a large file the hashing runs on another core (the
 * chunks are read into shared memory both threads see); otherwise here.
 */
export class Tally {
  bytes = 0;
  done = false;
  private hash: Hash | null = null;
  private besideId: number | null = null;
  private slot = -1;
  private readonly buffers: Buffer[] = [];
  private turn = -1;

  constructor(
    private readonly onBytes?: (count: number) => void,
    /** false when `--jobs` leaves no thread spare for hashing. */
    private readonly besideAllowed = false,
  ) {}

  /** The file is open (size 0 for a pipe): where its hash is worked out is chosen once, here. */
  begin(size: number): void {
    if (this.hash || this.besideId !== null) return;
    if (this.besideAllowed && size >= HASH_BESIDE_BYTES) this.besideId = hashBeside.open();
    else this.hash = createHash('sha256');
  }

  /** Where to read the next chunk. Its memory may be reused a few chunks later: readers copy what they keep. */
  async buffer(): Promise<Buffer> {
    if (this.besideId === null) {
      // the same few buffers in turn, as the hashing ring does: a fresh 1 MiB
      // a chunk left ~20 MB more garbage around than the ring
      this.turn = (this.turn + 1) % BUFFERS;
      return (this.buffers[this.turn] ??= Buffer.allocUnsafeSlow(CHUNK_SIZE));
    }
    const { slot, bytes } = await hashBeside.buffer();
    this.slot = slot;
    return bytes;
  }

  /** `chunk` was just read into the last buffer(). */
  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.hash) this.hash.update(chunk);
    else hashBeside.fill(this.besideId!, this.slot, chunk.length);
    this.onBytes?.(chunk.length);
  }

  /** The last buffer() was not read into (the end of the file): the hashing ring must still move past it. */
  unused(): void {
    if (this.besideId !== null) hashBeside.fill(this.besideId, this.slot, 0);
  }

  /** null when the hashing thread failed. */
  digest(): Promise<string | null> {
    if (this.besideId !== null) return hashBeside.digest(this.besideId);
    this.hash ??= createHash('sha256');
    return Promise.resolve(this.hash.digest('hex'));
  }
}

const CHUNK_SIZE = SLOT_BYTES;
const BUFFERS = SLOTS;

/** Files this large are hashed on another core; for smaller ones starting the thread costs more than it saves. */
export const HASH_BESIDE_BYTES = 16 * 1024 * 1024;

async function* fileChunks(path: string, tally: Tally): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const info = await handle.stat();
  tally.begin(info.isFile() ? info.size : 0);
  // a FIFO cannot seek: read it where it stands; a file from where the tally got to
  let position = info.isFile() ? tally.bytes : null;
  const read = async (): Promise<Buffer | null> => {
    const buffer = await tally.buffer();
    let bytesRead = 0;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, buffer.length, position));
    } finally {
      if (bytesRead === 0) tally.unused();
    }
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
export async function finishTally(path: string, tally: Tally): Promise<void> {
  if (tally.done) return;
  try {
    // a pipe cannot be read a second time: what it gave is all there is
    if (!(await stat(path)).isFile()) return;
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
  const head = Buffer.concat(parts);
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

/** zlib works on its input later, so it gets copies: the read buffers are reused. */
async function* copies(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield Buffer.from(chunk);
}

function gunzip(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  return Readable.from(copies(source)).pipe(createGunzip({ chunkSize: 256 * 1024 }));
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
  const text = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json-array';
  if (trimmed.startsWith('{')) return /^\{\s*"records"\s*:\s*\[/.test(trimmed) ? 'json-records' : 'ndjson';
  // A damaged first line must not turn JSON lines into "CSV": look at the next lines too.
  const lines = trimmed.split('\n').slice(1, 11).filter((l) => l.trim() !== '');
  const objects = lines.filter((l) => l.trimStart().startsWith('{')).length;
  return lines.length > 0 && objects * 2 > lines.length ? 'ndjson' : 'csv';
}

/**
 * Mostly NUL bytes at the start: a disk image, an executable, a zeroed file,
 * not an export. A few stray NULs in a text export do not count: the records
 * around them are still read.
 */
function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  // native search between NULs: a byte-by-byte loop over a 1 MiB head cost ~9 ms a file
  const enough = head.length / 10;
  let nul = 0;
  for (let at = head.indexOf(0); at !== -1 && nul <= enough; at = head.indexOf(0, at + 1)) nul++;
  return nul > enough;
}

export interface OpenedInput {
  compressed: boolean;
  /** Not a text export: the content is not read further. */
  binary: boolean;
  shape: ContentShape;
  /** The decoded content (gunzipped, UTF-8). */
  content: AsyncIterable<Buffer>;
}

export async function openInput(path: string, tally: Tally): Promise<OpenedInput> {
  const raw = await peek(fileChunks(path, tally)[Symbol.asyncIterator]());
  const compressed = raw.head.length >= 2 && raw.head[0] === 0x1f && raw.head[1] === 0x8b;
  let content: AsyncIterable<Buffer> = compressed ? gunzip(raw.rest) : raw.rest;
  let decoded = await peek(content[Symbol.asyncIterator]());
  const bom = decoded.head;
  if (bom.length >= 2 && ((bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff))) {
    content = utf16ToUtf8(decoded.rest, bom[0] === 0xff ? 'utf-16le' : 'utf-16be');
    decoded = await peek(content[Symbol.asyncIterator]());
  }
  return { compressed, binary: looksBinary(decoded.head), shape: sniffShape(decoded.head), content: decoded.rest };
}
