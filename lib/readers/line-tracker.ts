// Physical line numbers and raw bytes of a stream, kept beside a parser that
// only reports byte offsets. The parser is always a little behind the bytes
// handed to it, so the tracker keeps just the chunks between its cursor and
// the newest byte: memory is bounded by the parser's own buffering.

const LF = 0x0a;
const CR = 0x0d;

export class LineTracker {
  private chunks: Buffer[] = [];
  /** Byte offset of chunks[0][0]. */
  private base = 0;
  /** Total bytes appended so far. */
  private end = 0;
  /** The cursor: `line` is the line number at byte offset `pos`. */
  private pos = 0;
  private line = 1;

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.end += chunk.length;
  }

  get length(): number {
    return this.end;
  }

  /** Line number at `offset`, which never goes backwards between calls. */
  lineAt(offset: number): number {
    this.advance(offset, false);
    return this.line;
  }

  /**
   * Where the next record starts, given where the previous one ended: blank
   * lines between records are not records, so they are stepped over.
   */
  nextRecordStart(previousEnd: number): { offset: number; line: number } {
    this.advance(previousEnd, false);
    this.advance(this.end, true);
    return { offset: this.pos, line: this.line };
  }

  /** The raw bytes in [start, stop), as long as they are still held. */
  slice(start: number, stop: number): Buffer {
    const parts: Buffer[] = [];
    let at = this.base;
    for (const chunk of this.chunks) {
      const chunkEnd = at + chunk.length;
      if (chunkEnd > start && at < stop) {
        parts.push(chunk.subarray(Math.max(0, start - at), Math.min(chunk.length, stop - at)));
      }
      at = chunkEnd;
      if (at >= stop) break;
    }
    return Buffer.concat(parts);
  }

  /** Forget bytes before `offset`; nothing before it will be asked for again. */
  release(offset: number): void {
    while (this.chunks.length > 0 && this.base + this.chunks[0].length <= Math.min(offset, this.pos)) {
      this.base += this.chunks[0].length;
      this.chunks.shift();
    }
  }

  /** Move the cursor to `target` counting LFs; with `blankOnly`, stop at the first byte that is not CR or LF. */
  private advance(target: number, blankOnly: boolean): void {
    if (target <= this.pos) return;
    let at = this.base;
    for (const chunk of this.chunks) {
      const chunkEnd = at + chunk.length;
      if (chunkEnd <= this.pos) {
        at = chunkEnd;
        continue;
      }
      let i = this.pos - at;
      const stop = Math.min(chunk.length, target - at);
      if (blankOnly) {
        while (i < stop && (chunk[i] === LF || chunk[i] === CR)) {
          if (chunk[i] === LF) this.line++;
          i++;
        }
        this.pos = at + i;
        if (i < stop) return;
      } else {
        for (;;) {
          const nl = chunk.indexOf(LF, i);
          if (nl < 0 || nl >= stop) break;
          this.line++;
          i = nl + 1;
        }
        this.pos = at + stop;
      }
      if (this.pos >= target) return;
      at = chunkEnd;
    }
  }
}
