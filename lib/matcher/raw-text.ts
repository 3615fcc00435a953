import { kindOf, type Ioc, type IocSet } from './ioc-set.js';
import { scanKernel, type TokenTable } from '../kernel/scan-kernel.js';
import { RawKindSearch } from './raw-kinds.js';
import { LARGE_SET, TokenSearch } from './token-search.js';

// A malformed record has no fields to compare, only bytes. An IOC IP counts in
// them only as a whole address: not inside `179.43.139.840` or `1179.43.139.84`.
// IPv4 literals are searched here (with the WebAssembly kernel on big
// chunks); every other kind in raw-kinds.ts, only when the set holds one, so
// the built-in set's search is what it always was. Any other set is
// searched by token instead (token-search.ts, see searchFor), at a cost that
// follows neither its size nor its kinds; the literal search stays the
// fallback where WebAssembly does not run (`node --jitless`).

const DOT = 0x2e;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function standsAlone(bytes: Buffer, at: number, length: number): boolean {
  const before = at > 0 ? bytes[at - 1] : undefined;
  const after = bytes[at + length];
  if (isDigit(before) || (before === DOT && isDigit(bytes[at - 2]))) return false;
  if (isDigit(after) || (after === DOT && isDigit(bytes[at + length + 1]))) return false;
  return true;
}

/**
 * The literal search (one native search of the text all IOC IPs share, then
 * each IP) is the fastest there is for what the built-in set is: a few IPv4
 * addresses sharing at least their first four characters. Any other set is
 * searched by token, whose cost follows neither the set's size nor its kinds
 * (four random addresses cost the literal search seven times the built-in
 * set's time; a few IPv6 or range IOCs, whose shape search makes every
 * record holding an IPv6 text a candidate, forty).
 */
function searchFor(iocs: IocSet): 'literal' | 'token' {
  if (iocs.iocs.length > LARGE_SET || iocs.iocs.some((ioc) => kindOf(ioc) !== 'ipv4')) return 'token';
  return sharedStart(iocs.iocs.map((ioc) => ioc.ip)).length >= 4 ? 'literal' : 'token';
}

/** The longest start all `texts` share (`179.43.139.8`). */
function sharedStart(texts: readonly string[]): string {
  let prefix = texts[0] ?? '';
  for (const text of texts) while (!text.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Finds IOCs in raw bytes, whole values only. */
export class RawIocSearch {
  private readonly needles: Array<{ ip: string; bytes: Buffer }>;
  private readonly kinds: RawKindSearch | null;
  private readonly tokens: TokenSearch | null;
  /** The first IOC (and its place in the set) of each value, for naming what raw text holds. */
  private firstIocs: Map<string, { ioc: Ioc; at: number }> | null = null;
  /** Longest needle plus its boundary bytes: what a streamed search carries over between pieces. */
  readonly overlap: number;

  /** The longest start all IOC IPs share (`179.43.139.8`): one native search finds candidates for all. */
  private readonly prefix: Buffer;

  /** `how`: which search (tests); by default the literal one for the built-in set's kind, else by token. */
  constructor(
    private readonly iocs: IocSet,
    how: 'literal' | 'token' = searchFor(iocs),
  ) {
    this.tokens = how === 'token' && TokenSearch.available() ? new TokenSearch(iocs) : null;
    if (this.tokens) {
      this.needles = [];
      this.kinds = null;
      this.overlap = this.tokens.overlap;
      this.prefix = Buffer.alloc(0);
      return;
    }
    const ips = [...new Set(iocs.ofKinds('ipv4').map((ioc) => ioc.ip))];
    this.needles = ips.map((ip) => ({ ip, bytes: Buffer.from(ip, 'latin1') }));
    const kinds = new RawKindSearch(iocs);
    this.kinds = kinds.active ? kinds : null;
    // a loop, not Math.max(...): a spread of a long custom IOC list would overflow the stack
    let longest = 0;
    for (const needle of this.needles) longest = Math.max(longest, needle.bytes.length);
    this.overlap = Math.max(longest + 2, this.kinds?.overlap ?? 0);
    this.prefix = Buffer.from(sharedStart(ips), 'latin1');
  }

  /**
   * Where IOC text may start in `chunk` (offsets within it, ascending), also
   * for text begun in `before` (the previous chunk's tail: negative offsets).
   * No boundary check: a candidate only means "parse this record". With
   * `escapes` (a JSON-lines chunk) the kernel's search also notes where `\u`
   * starts (scanKernel().escapesIn, or chunkEscapes when the hashing thread
   * searched the chunk), in the same pass.
   */
  candidates(chunk: Buffer, before: Buffer, escapes = false): number[] {
    if (this.tokens) return this.tokens.candidates(chunk, before, escapes);
    const found: number[] = [];
    const longest = this.overlap - 2;
    if (before.length > 0 && longest > 1) {
      const seam = Buffer.concat([before.subarray(Math.max(0, before.length - longest + 1)), chunk.subarray(0, longest - 1)]);
      const shift = Math.min(before.length, longest - 1);
      for (const at of this.scanFor(seam)) if (at < shift) found.push(at - shift);
    }
    // appended one by one: a chunk made of IOC-like text has a candidate every few bytes,
    // and a spread of that many arguments overflows the stack
    if (found.length === 0) return this.scanFor(chunk, escapes);
    for (const at of this.scanFor(chunk, escapes)) found.push(at);
    return found;
  }

  private scanFor(bytes: Buffer, escapes = false): number[] {
    const ipv4 = this.scanIpv4(bytes, escapes);
    if (this.kinds === null) return ipv4;
    this.kinds.candidates(bytes, ipv4);
    return ipv4.sort((a, b) => a - b);
  }

  private scanIpv4(bytes: Buffer, escapes: boolean): number[] {
    if (this.prefix.length < 4) {
      const found: number[] = [];
      for (const { bytes: needle } of this.needles) {
        for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) found.push(at);
      }
      return found.sort((a, b) => a - b);
    }
    // a needle running past the end may continue in the next chunk: keep it as a candidate
    const fits = (at: number) => this.needles.some((n) => at + n.bytes.length > bytes.length || bytes.compare(n.bytes, 0, n.bytes.length, at, at + n.bytes.length) === 0);
    return this.prefixStarts(bytes, escapes).filter(fits);
  }

  /** Where the shared prefix starts: 16 positions at a time in WebAssembly where it runs (a copy in pays off on big chunks only). */
  private prefixStarts(bytes: Buffer, escapes: boolean): number[] {
    const kernel = bytes.length >= 4096 ? scanKernel() : null;
    if (kernel) {
      const prefix = this.prefix;
      return kernel.anchors(bytes, prefix.subarray(0, 4), escapes).filter((at) => bytes.compare(prefix, 0, prefix.length, at, Math.min(bytes.length, at + prefix.length)) === 0);
    }
    const starts: number[] = [];
    for (let at = bytes.indexOf(this.prefix); at >= 0; at = bytes.indexOf(this.prefix, at + 1)) starts.push(at);
    return starts;
  }


  /**
   * The IPs found. With `complete` false the bytes may continue in a next
   * piece, so a match touching the end is left for that piece to decide.
   */
  find(bytes: Buffer, into: Set<string> = new Set(), complete = true): Set<string> {
    if (this.tokens) {
      this.tokens.find(bytes, into, complete);
      return into;
    }
    for (const { ip, bytes: needle } of this.needles) {
      if (into.has(ip)) continue;
      let at = bytes.indexOf(needle);
      while (at >= 0) {
        if (!complete && at + needle.length + 2 > bytes.length) break;
        if (standsAlone(bytes, at, needle.length)) {
          into.add(ip);
          break;
        }
        at = bytes.indexOf(needle, at + 1);
      }
    }
    this.kinds?.find(bytes, into, complete);
    return into;
  }

  /** The token search's table (null for the literal search): the hashing thread searches a large file's chunks with it. */
  get tokenTable(): TokenTable | null {
    return this.tokens?.table ?? null;
  }

  /** For a record too large to hold: fed piece by piece, never holding more than a piece. */
  stream(): RawIocStream {
    return new RawIocStream(this);
  }

  /** The IOCs for values found, one per value (the first with it), in IOC-set order. */
  iocsFor(values: Iterable<string>): Ioc[] {
    // indexed on first use: only a malformed record holding IOC text asks
    if (this.firstIocs === null) {
      const first = new Map<string, { ioc: Ioc; at: number }>();
      this.iocs.iocs.forEach((ioc, at) => {
        if (!first.has(ioc.ip)) first.set(ioc.ip, { ioc, at });
      });
      this.firstIocs = first;
    }
    const index = this.firstIocs;
    const found = [...new Set(values)].flatMap((value) => index.get(value) ?? []);
    return found.sort((a, b) => a.at - b.at).map(({ ioc }) => ioc);
  }


}

export class RawIocStream {
  private tail: Buffer = Buffer.alloc(0);
  readonly found = new Set<string>();

  constructor(private readonly search: RawIocSearch) {}

  feed(piece: Buffer): void {
    const joined = this.tail.length > 0 ? Buffer.concat([this.tail, piece]) : piece;
    this.search.find(joined, this.found, false);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - this.search.overlap - 2)));
  }

  /** The record ended: decide the matches left at its very end. */
  finish(): Set<string> {
    this.search.find(this.tail, this.found, true);
    return this.found;
  }
}
