import { constants, crc32, createInflateRaw, type InflateRaw } from 'node:zlib';
import type { DamageMark } from './nul-runs.js';

// gzip read member by member with a raw inflater, the header and trailer
// checked here: zlib's own gunzip throws away the text it decompressed in
// the call that meets a bad CRC, a bad length or junk after a member (the
// last 256 KB or more of a file, all of a small one). Here every byte the
// inflater gives is handed on before any check, damage is marked at the
// point of the text it can affect (the member's start for a bad checksum),
// junk between members is skipped to the next member, and reading stops
// only where the compressed data itself is broken or cut.

const MAGIC = [0x1f, 0x8b, 0x08];
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** Output waiting for the reader beyond this: the inflater is paused. */
const QUEUED = 4;

/** The compressed bytes not yet given to an inflater, pulled from the file on demand. */
class Input {
  private parts: Buffer[] = [];
  private size = 0;
  private done = false;
  /** File offset of the first byte held. */
  offset = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** At least `count` bytes held, unless the file ends first. */
  async fill(count: number): Promise<boolean> {
    while (this.size < count && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      // a copy: the read buffers are read into again, and the inflater works on its input later
      else if (next.value.length > 0) {
        this.parts.push(Buffer.from(next.value));
        this.size += next.value.length;
      }
    }
    return this.size >= count;
  }

  get held(): number {
    return this.size;
  }

  peek(count: number): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts)];
    return (this.parts[0] ?? Buffer.alloc(0)).subarray(0, count);
  }

  /** Everything held, or the next file chunk when nothing is (null: the file is over). */
  async take(): Promise<Buffer | null> {
    if (this.size === 0 && !(await this.fill(1))) return null;
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.offset += all.length;
    return all;
  }

  /** Bytes taken but not used (after a deflate stream's end) come back. */
  giveBack(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.unshift(bytes);
    this.size += bytes.length;
    this.offset -= bytes.length;
  }

  skip(count: number): void {
    const all = this.peek(this.size);
    this.parts = all.length > count ? [all.subarray(count)] : [];
    this.size = Math.max(0, this.size - count);
    this.offset += count;
  }

  /** Index of the next gzip magic at or after `from` in what is held, -1 when none. */
  findMagic(from: number): number {
    const all = this.peek(this.size);
    return all.indexOf(Buffer.from(MAGIC), from);
  }
}

/** Length of a gzip member header held at the input's start; 0: not enough bytes; -1: not a gzip header. */
async function headerLength(input: Input): Promise<number> {
  if (!(await input.fill(10))) return input.held === 0 ? 0 : -1;
  const head = input.peek(10);
  if (head[0] !== MAGIC[0] || head[1] !== MAGIC[1] || head[2] !== MAGIC[2]) return -1;
  const flags = head[3];
  let at = 10;
  if (flags & FEXTRA) {
    if (!(await input.fill(at + 2))) return 0;
    at += 2 + input.peek(at + 2).readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    // a zero-terminated field of any length
    for (;;) {
      if (!(await input.fill(at + 1))) return 0;
      const held = input.peek(input.held);
      const end = held.indexOf(0, at);
      if (end >= 0) {
        at = end + 1;
        break;
      }
      if (!(await input.fill(input.held + 1))) return 0;
    }
  }
  if (flags & FHCRC) at += 2;
  return (await input.fill(at)) ? at : 0;
}

/** A queue between the inflater's events and the generator that hands text on. */
class Output {
  readonly chunks: Buffer[] = [];
  private wake: (() => void) | null = null;
  inflater: InflateRaw | null = null;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    if (this.chunks.length >= QUEUED) this.inflater?.pause();
    this.signal();
  }

  signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  wait(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  shift(): Buffer | undefined {
    const chunk = this.chunks.shift();
    if (this.chunks.length < QUEUED) this.inflater?.resume();
    return chunk;
  }
}

export interface GunzipDamage {
  /** Marks at text offsets, reported at their lines by the text's next stage. */
  marks: DamageMark[];
}

/**
 * The decompressed text of a gzip file. Damage is marked (not thrown); a
 * failed read of the file itself still throws.
 */
export async function* gunzip(source: AsyncIterable<Buffer>, damage: GunzipDamage): AsyncGenerator<Buffer> {
  const input = new Input(source[Symbol.asyncIterator]());
  const output = new Output();
  let produced = 0; // bytes of text handed on
  const mark = (message: string, at = produced) => damage.marks.push({ at, message });
  let members = 0;

  for (;;) {
    // the next member's header, or junk before it
    const length = await headerLength(input);
    if (length === 0 && input.held === 0) break;
    if (length <= 0) {
      const junkFrom = input.offset;
      let next = -1;
      while (next < 0) {
        next = input.findMagic(1);
        if (next < 0 && !(await input.fill(input.held + 64 * 1024))) break;
      }
      if (next < 0) {
        // zeros after the last member are block padding (tape, some archivers): gzip itself ignores them
        if (members > 0 && input.peek(input.held).every((byte) => byte === 0)) break;
        const what = length === 0 ? 'a gzip member header cut short' : members === 0 ? 'not gzip data after the gzip magic' : 'bytes that are not gzip data after the last member';
        mark(`${what} at bytes ${junkFrom}-${junkFrom + input.held - 1} of the file: ignored`);
        break;
      }
      input.skip(next);
      mark(`bytes ${junkFrom}-${junkFrom + next - 1} of the file are not gzip data (junk between members): skipped, reading goes on with the next member`);
      continue;
    }
    input.skip(length);
    members++;

    // the member's text: every byte handed on as the inflater gives it
    const start: DamageMark = { at: produced };
    damage.marks.push(start);
    const inflater = createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 256 * 1024 });
    output.inflater = inflater;
    let crc = 0;
    let size = 0;
    let failure: Error | null = null;
    let ended = false;
    inflater.on('data', (chunk: Buffer) => {
      crc = crc32(chunk, crc);
      size += chunk.length;
      output.push(chunk);
    });
    // a write the inflater fails on never calls back: the failure releases it
    let release: (() => void) | null = null;
    inflater.on('error', (error) => {
      failure = error;
      release?.();
      output.signal();
    });
    inflater.on('end', () => {
      ended = true;
      output.signal();
    });
    let written = 0;
    let streamEnd = false;
    let readFailure: unknown = null;
    const pump = (async () => {
      for (;;) {
        const piece = await input.take();
        if (piece === null) break;
        await new Promise<void>((resolve) => {
          release = resolve;
          inflater.write(piece, () => resolve());
        });
        release = null;
        if (failure) return;
        written += piece.length;
        // the inflater stops taking bytes at the deflate stream's end: the rest is the trailer and what follows
        const unused = written - inflater.bytesWritten;
        if (unused > 0) {
          input.giveBack(piece.subarray(piece.length - unused));
          streamEnd = true;
          break;
        }
      }
      inflater.end();
    })().catch((error: unknown) => {
      // the file itself could not be read: not damage to mark, an error for the scan
      readFailure = error;
      inflater.destroy();
      output.signal();
    });
    try {
      while (!ended && !failure && !readFailure) {
        const chunk = output.shift();
        if (chunk) {
          produced += chunk.length;
          yield chunk;
        } else await output.wait();
      }
      await pump;
      for (let chunk = output.shift(); chunk; chunk = output.shift()) {
        produced += chunk.length;
        yield chunk;
      }
    } finally {
      output.inflater = null;
      inflater.destroy();
    }
    if (readFailure) throw readFailure;
    if (failure) {
      start.drop = true;
      mark(`gzip data corrupt (${(failure as Error).message}) at or before byte ${input.offset} of the file: the text up to here was read, the rest of the file cannot be`);
      return;
    }
    if (!streamEnd) {
      mark(`gzip data cut short: the file ends inside a member (at byte ${input.offset}); the text up to here was read, the record it stops in is incomplete`);
      return;
    }
    if (!(await input.fill(8))) {
      mark(`gzip data cut short: the member's 8-byte trailer (checksum and length) is missing at byte ${input.offset}; its text was read but cannot be checked`);
      return;
    }
    const trailer = input.peek(8);
    const checks: string[] = [];
    if (trailer.readUInt32LE(0) !== crc >>> 0) checks.push('its CRC-32 checksum does not match the text');
    if (trailer.readUInt32LE(4) !== size % 2 ** 32) checks.push(`its stored length (${trailer.readUInt32LE(4)}) is not the ${size} bytes it holds`);
    input.skip(8);
    if (checks.length > 0) start.message = `gzip member damaged: ${checks.join(', and ')}; its text (from this line) was read, but any of its records may be corrupt`;
    else start.drop = true;
  }
}
