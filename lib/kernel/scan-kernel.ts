import { SCAN_KERNEL_WASM } from './scan-kernel-wasm.js';

// The scan's WebAssembly SIMD kernels (see scan-kernel.wat): for the CSV
// framer, given a chunk and the quote state before it, the offsets of the
// line feeds that end records and the quote state after it; for the IOC
// candidate search, where a 4-byte anchor starts.

export interface QuoteState {
  inQuotes: boolean;
  quotePending: boolean;
  /** The byte before the chunk (a line feed at a record's start). */
  before: number;
  /** Out: the line feeds in the chunk, quoted or not (for line numbers). */
  lineFeeds?: number;
  /** In and out: delimiters outside quotes so far in the record still open. */
  fields: number;
}

interface Exports {
  memory: WebAssembly.Memory;
  recordEnds(src: number, len: number, out: number, delimiter: number): number;
  quadPositions(src: number, len: number, out: number, quad: number): number;
  inq: WebAssembly.Global;
  pending: WebAssembly.Global;
  before: WebAssembly.Global;
  lfs: WebAssembly.Global;
  fields: WebAssembly.Global;
}

const PAGE = 65536;

class ScanKernel {
  private readonly exports: Exports;
  private loaded: Buffer | null = null;

  constructor() {
    const module = new WebAssembly.Module(Buffer.from(SCAN_KERNEL_WASM, 'base64'));
    this.exports = new WebAssembly.Instance(module).exports as unknown as Exports;
  }

  /** Copy `chunk` in (zero-padded) and make room for one i32 per byte after it; returns where that room starts. */
  private load(chunk: Buffer): number {
    const { memory } = this.exports;
    const outAt = (chunk.length + 32 + 3) & ~3;
    // the framer asks for candidates and then record ends of the same chunk
    // object: one copy in serves both (every read makes a new chunk object)
    if (this.loaded === chunk) return outAt;
    this.loaded = chunk;
    const needed = outAt + chunk.length * 8 + 16;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(chunk, 0);
    bytes.fill(0, chunk.length, chunk.length + 32);
    return outAt;
  }

  /** Where the 4-byte `anchor` starts in `chunk` (offsets within it, ascending). A copy: the memory is reused. */
  anchors(chunk: Buffer, anchor: Buffer): number[] {
    const outAt = this.load(chunk);
    const count = this.exports.quadPositions(0, chunk.length, outAt, anchor.readInt32LE(0));
    return Array.from(new Int32Array(this.exports.memory.buffer, outAt, count));
  }

  /**
   * Record-ending line feeds in `chunk` as pairs: [offset within it, the
   * record's field count, ...]; `state` is read and updated.
   */
  find(chunk: Buffer, delimiter: number, state: QuoteState): Int32Array {
    const { memory } = this.exports;
    const outAt = this.load(chunk);
    this.exports.inq.value = state.inQuotes ? 1 : 0;
    this.exports.pending.value = state.quotePending ? 1 : 0;
    this.exports.before.value = state.before;
    this.exports.lfs.value = 0;
    this.exports.fields.value = state.fields;
    const count = this.exports.recordEnds(0, chunk.length, outAt, delimiter);
    state.inQuotes = this.exports.inq.value === 1;
    state.quotePending = this.exports.pending.value === 1;
    state.before = this.exports.before.value as number;
    state.lineFeeds = this.exports.lfs.value as number;
    state.fields = this.exports.fields.value as number;
    return new Int32Array(memory.buffer, outAt, count * 2);
  }
}

let kernel: ScanKernel | null | undefined;

/** The kernel, or null where WebAssembly SIMD is not available (`node --jitless`): the framer then scans in JavaScript. */
export function scanKernel(): ScanKernel | null {
  if (kernel === undefined) {
    try {
      kernel = new ScanKernel();
    } catch {
      kernel = null;
    }
  }
  return kernel;
}
