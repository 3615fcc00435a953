import { isUtf8 } from 'node:buffer';

/** Bytes in the character a valid lead byte starts (0 for a byte that cannot start one of two or more). */
function sequenceLength(byte: number): number {
  return byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
}

/**
 * Which chunks of one file the fast path may skim: clean UTF-8 and no NUL
 * bytes. A character split between two chunks is clean (otherwise nearly
 * every chunk of non-ASCII text would look damaged), so the start of a
 * character cut off at a chunk's end is held back and checked with the
 * bytes that open the next chunk: a stray byte at a chunk's edge is damage
 * like any other.
 */
export class CleanChunks {
  /** The start of a character the last chunk cut off (up to 3 bytes). */
  private pending: Buffer = Buffer.alloc(0);

  /** The next chunk of the file is clean. `nulFree`: it is known to hold no NUL byte (inputs/nul-runs.ts searched it). */
  clean(chunk: Buffer, nulFree = false): boolean {
    let start = 0;
    let seam = true;
    if (this.pending.length > 0) {
      const needed = sequenceLength(this.pending[0]) - this.pending.length;
      start = Math.min(needed, chunk.length);
      const joined = Buffer.concat([this.pending, chunk.subarray(0, start)]);
      this.pending = Buffer.alloc(0);
      if (start < needed) {
        // a chunk too short to finish the character: it stays open
        const open = joined.subarray(1).every((byte) => (byte & 0xc0) === 0x80);
        if (open) this.pending = joined;
        return open && (nulFree || !chunk.includes(0));
      }
      seam = isUtf8(joined);
    }
    let end = chunk.length;
    for (let k = 1; k <= 3 && chunk.length - k >= start; k++) {
      const byte = chunk[chunk.length - k];
      if ((byte & 0xc0) === 0x80) continue;
      if (k < sequenceLength(byte)) {
        end = chunk.length - k;
        this.pending = Buffer.from(chunk.subarray(end));
      }
      break;
    }
    return seam && isUtf8(chunk.subarray(start, end)) && (nulFree || !chunk.includes(0));
  }

  /**
   * Bytes already seen, framed again (after an unclosed quote): they run to
   * where the file has been read, so a character still open there is not
   * damage yet.
   */
  cleanAgain(bytes: Buffer): boolean {
    return isUtf8(bytes.subarray(0, bytes.length - this.pending.length)) && !bytes.includes(0);
  }

  /** The file ended inside a character. */
  get cut(): boolean {
    return this.pending.length > 0;
  }
}
