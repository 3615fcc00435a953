import type { RawIocSearch, RawIocStream } from '../matcher/raw-text.js';

/**
 * One record's bytes as they arrive, held up to a bound. Past the bound the
 * record is never held: its bytes go to the IOC search as they stream past,
 * so a giant record costs no memory and still cannot hide a hit.
 */
export class BoundedBytes {
  private parts: Buffer[] = [];
  private size = 0;
  private oversize: RawIocStream | null = null;

  constructor(
    private readonly search: RawIocSearch,
    readonly maxBytes: number,
  ) {}

  get empty(): boolean {
    return this.size === 0 && this.oversize === null;
  }

  add(piece: Buffer): void {
    if (this.oversize) {
      this.oversize.feed(piece);
      return;
    }
    // a copy: the chunk it came from is read into again a few chunks later
    this.parts.push(Buffer.from(piece));
    this.size += piece.length;
    if (this.size > this.maxBytes) {
      this.oversize = this.search.stream();
      for (const part of this.parts) this.oversize.feed(part);
      this.parts = [];
      this.size = 0;
    }
  }

  /** The whole record, or (too large) the IOC IPs found in it; then empty again. */
  take(): { bytes: Buffer } | { tooLarge: Set<string> } {
    const oversize = this.oversize;
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.oversize = null;
    return oversize ? { tooLarge: oversize.finish() } : { bytes };
  }

  /** The IOC IPs in what is held, for a record cut off mid-way. */
  takeFound(): Set<string> {
    const taken = this.take();
    return 'tooLarge' in taken ? taken.tooLarge : this.search.find(taken.bytes);
  }
}

export function tooLargeProblem(maxBytes: number): string {
  return `record larger than ${maxBytes / 1024 / 1024} MiB, not parsed`;
}
