import { SCAN_KERNEL_WASM } from './scan-kernel-wasm.js';

// The scan's WebAssembly SIMD kernels (see scan-kernel.wat): for the CSV
// framer, given a chunk and the quote state before it, the offsets of the
// line feeds that end records and the quote state after it; for the IOC
// candidate search, where a 4-byte anchor starts; for a large IOC set, the
// token search (candidates by hash-table lookups, see the .wat).

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
  quadPositions(src: number, len: number, out: number, quad: number, pair: number, pairOut: number, lfOut: number): number;
  pairs: WebAssembly.Global;
  inq: WebAssembly.Global;
  pending: WebAssembly.Global;
  before: WebAssembly.Global;
  lfs: WebAssembly.Global;
  fields: WebAssembly.Global;
  tokenCandidates(src: number, len: number, out: number, escOut: number, lfOut: number): number;
  feeds: WebAssembly.Global;
  addHosts(at: number, count: number): void;
  addHashes(at: number, count: number): void;
  addAddresses(at: number, count: number): void;
  tmask: WebAssembly.Global;
  nprefix: WebAssembly.Global;
  want: WebAssembly.Global;
}

/** What the token search looks for (the kernel's `want` bits). */
export const TOKEN_WANT = { hashes: 1, hosts: 2, ipv4: 4, ipv6: 8, beyondAscii: 16 } as const;

/** The keys a token search looks up, built once per IOC set: the kernel's memory below its chunks. */
export interface TokenTable {
  readonly memory: Uint8Array;
  readonly tmask: number;
  readonly nprefix: number;
  readonly want: number;
}

/** What a search of a chunk found: its candidates, and in a JSON file where its `\u` escapes start and its line feeds are. */
export interface ChunkSearch {
  found: Int32Array;
  escapes: Int32Array | null;
  feeds: Int32Array | null;
}

/** What a token table is built from (texts lower-case ASCII). */
export interface TokenKeys {
  /** Host names: domain IOCs and the hosts of URL IOCs. */
  hosts: readonly string[];
  /** MD5, SHA-1 and SHA-256 IOCs (32, 40 or 64 hex digits). */
  hashes: readonly string[];
  /** IPv4 addresses (tag 0) and networks (tag 1 + prefix length): address, tag, address, tag, ... */
  ipv4: readonly number[];
  prefixes: readonly number[];
  want: number;
  /** How many keys at most (a host name is two: itself and its last label). */
  count: number;
}

/** Where the token table starts: after the byte classes, the prefix lengths and the filter. */
const TABLE_AT = 132096;
const CLASS_TOKEN = 1;
const CLASS_HEX = 2;
const CLASS_DIGIT = 4;
const CLASS_IPV6 = 8;
const SHAPE_DIGIT = 1;
const SHAPE_DOT = 2;
const SHAPE_OTHER = 4;
const SHAPE_BEYOND = 8;
const SHAPE_WIDE = 16;
const SHAPES_AT = 512;

/** Bytes of a token or an IPv6 run (classes 1 and 8): a run of them may cross a chunk edge (token-search.ts looks across). */
export const RUN_BYTES: Uint8Array = byteClasses().classes.map((c) => (c & (CLASS_TOKEN | CLASS_IPV6) ? 1 : 0));

/** Each byte's classes and its shape in a token, as the token search reads them from memory[0, 256) and [512, 768). */
function byteClasses(): { classes: Uint8Array; shapes: Uint8Array } {
  const classes = new Uint8Array(256);
  const shapes = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    const c = String.fromCharCode(b);
    if (/[0-9A-Za-z._-]/.test(c) || b >= 0x80) classes[b] |= CLASS_TOKEN;
    if (/[0-9A-Fa-f]/.test(c)) classes[b] |= CLASS_HEX;
    if (/[0-9]/.test(c)) classes[b] |= CLASS_DIGIT;
    if (/[0-9A-Fa-f:.]/.test(c)) classes[b] |= CLASS_IPV6;
    if (/[0-9]/.test(c)) shapes[b] = SHAPE_DIGIT;
    else if (c === '.') shapes[b] = SHAPE_DOT;
    else if (/[A-Za-z_-]/.test(c)) shapes[b] = SHAPE_OTHER;
    else if (b >= 0x80) shapes[b] = SHAPE_OTHER | SHAPE_BEYOND | (b >= 0xe0 ? SHAPE_WIDE : 0);
  }
  return { classes, shapes };
}

const PAGE = 65536;
/** `\u`, little-endian. */
const ESCAPE_PAIR = 0x5c | (0x75 << 8);

class ScanKernel {
  private readonly exports: Exports;
  private loaded: Uint8Array | null = null;
  /** Where chunks go: above the token table in force (0 when none). */
  private base = 0;
  private installed: TokenTable | null = null;
  /** The `\u` places the last anchor or token search found, and in which chunk. */
  private escapes: { chunk: Uint8Array; at: number[] } | null = null;
  /** The line feeds the last anchor or token search of a JSON-lines chunk found, and in which chunk. */
  private feeds: { chunk: Uint8Array; at: Int32Array } | null = null;

  constructor() {
    const module = new WebAssembly.Module(Buffer.from(SCAN_KERNEL_WASM, 'base64'));
    this.exports = new WebAssembly.Instance(module).exports as unknown as Exports;
  }

  /** Copy `chunk` in (zero-padded) and make room for 10 bytes a byte after it; returns where that room starts. */
  private load(chunk: Uint8Array): number {
    const { memory } = this.exports;
    const outAt = this.base + ((chunk.length + 32 + 3) & ~3);
    // the framer asks for candidates and then record ends of the same chunk
    // object: one copy in serves both (every read makes a new chunk object)
    if (this.loaded === chunk) return outAt;
    this.loaded = chunk;
    this.grow(outAt + chunk.length * 10 + 64);
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(chunk, this.base);
    bytes.fill(0, this.base + chunk.length, this.base + chunk.length + 32);
    return outAt;
  }

  /**
   * Where the 4-byte `anchor` starts in `chunk` (offsets within it,
   * ascending). A copy: the memory is reused. With `escapes` (a JSON-lines
   * chunk), where `\u` starts and the line feeds are found in the same pass,
   * for `escapesIn` and `lineFeedsIn`.
   */
  anchors(chunk: Buffer, anchor: Buffer, escapes = false): number[] {
    const outAt = this.load(chunk);
    // the room after the chunk is 10 bytes a byte: anchors take 4 at most, `\u` 2, line feeds 4
    const pairOut = outAt + 4 * chunk.length + 16;
    const lfOut = (pairOut + 2 * chunk.length + 16 + 3) & ~3;
    const count = this.exports.quadPositions(this.base, chunk.length, outAt, anchor.readInt32LE(0), escapes ? ESCAPE_PAIR : 0, pairOut, escapes ? lfOut : 0);
    const { buffer } = this.exports.memory;
    this.escapes = escapes ? { chunk, at: Array.from(new Int32Array(buffer, pairOut, this.exports.pairs.value as number)) } : null;
    this.feeds = escapes ? { chunk, at: new Int32Array(buffer, lfOut, this.exports.feeds.value as number).slice() } : null;
    return Array.from(new Int32Array(buffer, outAt, count));
  }

  /** Where `\u` starts in `chunk` (ascending), when the last anchor or token search was of this very chunk, with escapes; else null. */
  escapesIn(chunk: Uint8Array): number[] | null {
    return this.escapes !== null && this.escapes.chunk === chunk ? this.escapes.at : null;
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
    const count = this.exports.recordEnds(this.base, chunk.length, outAt, delimiter);
    state.inQuotes = this.exports.inq.value === 1;
    state.quotePending = this.exports.pending.value === 1;
    state.before = this.exports.before.value as number;
    state.lineFeeds = this.exports.lfs.value as number;
    state.fields = this.exports.fields.value as number;
    return new Int32Array(memory.buffer, outAt, count * 2);
  }

  /** Builds a token table (the memory the chunks then go above). */
  buildTokens(keys: TokenKeys): TokenTable {
    const ex = this.exports;
    let slots = 16;
    while (slots < keys.count * 2) slots *= 2;
    const end = TABLE_AT + slots * 8;
    this.grow(end + 4096);
    this.loaded = null;
    this.installed = null;
    this.base = 0;
    const bytes = new Uint8Array(ex.memory.buffer);
    bytes.fill(0, 0, end);
    const { classes, shapes } = byteClasses();
    bytes.set(classes, 0);
    bytes.set(shapes, SHAPES_AT);
    bytes.set(keys.prefixes, 256);
    ex.tmask.value = slots - 1;
    ex.nprefix.value = keys.prefixes.length;
    ex.want.value = keys.want;
    // each kind's list written above the table, then added in one call
    this.addAll(end, keys.hosts, ex.addHosts);
    this.addAll(end, keys.hashes, ex.addHashes);
    this.grow(end + keys.ipv4.length * 4);
    new Int32Array(ex.memory.buffer, end, keys.ipv4.length).set(keys.ipv4);
    ex.addAddresses(end, keys.ipv4.length / 2);
    return { memory: new Uint8Array(ex.memory.buffer, 0, end).slice(), tmask: slots - 1, nprefix: keys.prefixes.length, want: keys.want };
  }

  /** Texts (latin1) at `at`, then an (offset, length) pair for each, then `add` over the pairs. */
  private addAll(at: number, texts: readonly string[], add: (pairs: number, count: number) => void): void {
    let bytes = 0;
    for (const text of texts) bytes += Math.min(text.length, 4096);
    const pairs = (at + bytes + 7) & ~7;
    this.grow(pairs + texts.length * 8);
    const memory = Buffer.from(this.exports.memory.buffer);
    const index = new Int32Array(this.exports.memory.buffer, pairs, texts.length * 2);
    let p = at;
    texts.forEach((text, i) => {
      const length = memory.write(text.length > 4096 ? text.slice(0, 4096) : text, p, 'latin1');
      index[2 * i] = p;
      index[2 * i + 1] = length;
      p += length;
    });
    add(pairs, texts.length);
  }

  private install(table: TokenTable): void {
    if (this.installed === table) return;
    this.grow(table.memory.length);
    new Uint8Array(this.exports.memory.buffer).set(table.memory, 0);
    this.exports.tmask.value = table.tmask;
    this.exports.nprefix.value = table.nprefix;
    this.exports.want.value = table.want;
    this.installed = table;
    this.base = (table.memory.length + 63) & ~63;
    this.loaded = null;
  }

  private grow(needed: number): void {
    const { memory } = this.exports;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
  }

  /**
   * Where a value of the table's kinds may start in `chunk` (offsets within
   * it, ascending). A copy. With `escapes` (a JSON-lines chunk), where `\u`
   * starts is found in the same pass, for `escapesIn`.
   */
  tokenCandidates(table: TokenTable, chunk: Uint8Array, escapes = false): Int32Array {
    this.install(table);
    const outAt = this.load(chunk);
    // the room after the chunk is 10 bytes a byte: candidates take 4 at most, `\u` 2, line feeds 4
    const escOut = outAt + 4 * chunk.length + 16;
    const lfOut = (escOut + 2 * chunk.length + 16 + 3) & ~3;
    const count = this.exports.tokenCandidates(this.base, chunk.length, outAt, escapes ? escOut : 0, escapes ? lfOut : 0);
    const { buffer } = this.exports.memory;
    this.escapes = escapes ? { chunk, at: Array.from(new Int32Array(buffer, escOut, this.exports.pairs.value as number)) } : null;
    this.feeds = escapes ? { chunk, at: new Int32Array(buffer, lfOut, this.exports.feeds.value as number).slice() } : null;
    return new Int32Array(buffer, outAt, count).slice().sort();
  }

  /**
   * A chunk's token search as handed to the other thread (kernel/chunk-tokens.ts):
   * its candidates and, in a file that opens as JSON does, where its `\u`
   * escapes start and its line feeds are.
   */
  chunkSearch(table: TokenTable, chunk: Uint8Array, json: boolean): ChunkSearch {
    const found = this.tokenCandidates(table, chunk, json);
    const escapes = json ? this.escapesIn(chunk) : null;
    return { found, escapes: escapes && Int32Array.from(escapes), feeds: json ? this.lineFeedsIn(chunk) : null };
  }

  /** Where the line feeds of `chunk` are (ascending), when the last anchor or token search was of this very chunk, with escapes; else null. */
  lineFeedsIn(chunk: Uint8Array): Int32Array | null {
    return this.feeds !== null && this.feeds.chunk === chunk ? this.feeds.at : null;
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
