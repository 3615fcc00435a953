import { RUN_BYTES, scanKernel, TOKEN_WANT, type TokenKeys, type TokenTable } from '../kernel/scan-kernel.js';
import { chunkTokens } from '../kernel/chunk-tokens.js';
import { canonicalIp, canonicalIpv4 } from './canonical.js';
import { AddressRanges, ipv4Number } from './address-ranges.js';
import { urlHosts } from './match-record.js';
import { findIpv6 } from './raw-kinds.js';
import { kindOf, type IocSet } from './ioc-set.js';

// The raw-text search for every IOC set but the built-in set's kind
// (raw-text.ts picks). Searching for each IOC's text costs time in proportion
// to the set; this search costs the same for two IOCs or 100,000: the kernel
// finds the places an IOC's kind of value can stand (tokens with a dot, hex
// runs, colon runs) and looks each up in one hash table (scan-kernel.wat).
// `find` reads a malformed record's tokens the same way in JavaScript, with
// maps, and keeps the literal search's rules for what a whole value is.

/** Past this many IOCs, the token search replaces one search per IOC text, whatever their kinds. */
export const LARGE_SET = 64;

const LABEL_RUN = /[0-9a-z._-]+/g;
const DIGIT_CHAIN = /\d+(?:\.\d+)*/g;
const HEX_RUN = /[0-9a-f]+/g;
const HASH_LENGTHS = new Set([32, 40, 64]);
/** Bytes that may continue a URL's path or query: a URL IOC is whole only when none follows. */
const continuesUrl = (b: number | undefined) => b !== undefined && b > 0x20 && b < 0x7f && !'"\'<>,;)]}|`\\'.includes(String.fromCharCode(b));

/** ASCII letters lower-cased, as latin1 text. */
function folded(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

export class TokenSearch {
  /** The kernel's keys; the hashing thread searches a large file's chunks with it too. */
  readonly table: TokenTable;
  /** IPv4 addresses and host names (of domain IOCs and URL IOCs' hosts) that count as found, by their text. */
  private readonly ipv4 = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly hashes = new Set<string>();
  /** URL IOCs by the first run of label characters of their text without scheme (their host, or user). */
  private readonly urls = new Map<string, Array<{ value: string; text: string }>>();
  private readonly ipv6 = new Set<string>();
  /** The longest domain IOC: no longer suffix of a token can be one. */
  private longestDomain = 0;
  private readonly ranges: AddressRanges;
  private readonly hexColons: boolean;
  readonly overlap: number;

  constructor(iocs: IocSet) {
    const hosts: string[] = [];
    const hashes: string[] = [];
    /** address, tag, address, tag, ... (tag 0 an address, 1 + n a network of prefix n) */
    const addresses: number[] = [];
    const prefixes = new Set<number>();
    let want = 0;
    let longest = 64;
    let hostIpv6 = false;
    for (const ioc of iocs.iocs) {
      const kind = kindOf(ioc);
      longest = Math.max(longest, ioc.ip.length);
      if (kind === 'ipv4') {
        this.ipv4.add(ioc.ip);
        addresses.push(ipv4Number(ioc.ip), 0);
      } else if (kind === 'ipv6') {
        this.ipv6.add(ioc.ip);
      } else if (kind === 'cidr') {
        const [network, prefix] = ioc.ip.split('/');
        if (network.includes(':')) continue;
        prefixes.add(Number(prefix));
        addresses.push(ipv4Number(network), 1 + Number(prefix));
      } else if (kind === 'domain') {
        this.domains.add(ioc.ip);
        this.longestDomain = Math.max(this.longestDomain, ioc.ip.length);
        hosts.push(ioc.ip);
      } else if (kind === 'md5' || kind === 'sha1' || kind === 'sha256') {
        this.hashes.add(ioc.ip.toLowerCase());
        hashes.push(ioc.ip.toLowerCase());
      } else if (kind === 'url') {
        const text = ioc.ip.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').toLowerCase();
        const first = /^[0-9a-z._-]*/.exec(text)![0];
        const list = this.urls.get(first);
        if (list) list.push({ value: ioc.ip, text });
        else this.urls.set(first, [{ value: ioc.ip, text }]);
      }
    }
    for (const host of urlHosts(iocs).keys()) {
      const ip = canonicalIp(host);
      if (ip?.kind === 'ipv4') addresses.push(ipv4Number(ip.value), 0);
      else if (ip?.kind === 'ipv6') hostIpv6 = true;
      else {
        hosts.push(host);
      }
    }
    this.ranges = new AddressRanges(iocs.ofKinds('cidr'));
    this.hexColons = this.ipv6.size > 0 || this.ranges.has('ipv6') || hostIpv6;
    if (hosts.length > 0) want |= TOKEN_WANT.hosts | TOKEN_WANT.beyondAscii;
    if (this.hashes.size > 0) want |= TOKEN_WANT.hashes;
    // a mapped address spelt in hex (`::ffff:b32b:8b54`) is an IPv4 address to the matchers
    if (addresses.length > 0) want |= TOKEN_WANT.ipv4 | TOKEN_WANT.ipv6;
    if (this.hexColons) want |= TOKEN_WANT.ipv6;
    this.overlap = longest + 2;
    const keys: TokenKeys = { hosts, hashes, ipv4: addresses, prefixes: [...prefixes], want, count: 2 * hosts.length + hashes.length + addresses.length / 2 };
    const kernel = scanKernel();
    if (!kernel) throw new Error('the token search needs WebAssembly');
    this.table = kernel.buildTokens(keys);
  }

  /** Whether the token search can run here (WebAssembly SIMD). */
  static available(): boolean {
    return scanKernel() !== null;
  }

  /**
   * Where a value of the set's kinds may start in `chunk` (ascending), and
   * before it (negative offsets) for a run begun in `before`, the previous
   * chunk's tail, that goes on in this one. With `escapes` (a JSON-lines
   * chunk) the kernel also notes where `\u` starts (scanKernel().escapesIn).
   */
  candidates(chunk: Buffer, before: Buffer, escapes = false): number[] {
    // searched already by the thread that hashed it (kernel/chunk-tokens.ts): only a run from the chunk before is left
    const searched = chunkTokens(chunk, this.table);
    if (searched) {
      const seam = searched.atStart ? this.seam(chunk, before) : [];
      return seam.length === 0 ? searched.found : [...seam, ...searched.found];
    }
    // the seam first: the chunk then stays in the kernel's memory for the framer's record-end search
    const seam = this.seam(chunk, before);
    const found = Array.from(scanKernel()!.tokenCandidates(this.table, chunk, escapes));
    return seam.length === 0 ? found : [...seam, ...found];
  }

  /**
   * The kernel reads a chunk's runs as if its edges ended them. A run cut by
   * the edge is read again here whole, with a byte of context each side: only
   * its values begun in `before` count (those begun in `chunk` the chunk's
   * own search finds). A run filling all of either side may go on past what
   * is seen: a candidate as it is.
   */
  private seam(chunk: Buffer, before: Buffer): number[] {
    if (before.length === 0 || chunk.length === 0 || !RUN_BYTES[chunk[0]] || !RUN_BYTES[before[before.length - 1]]) return [];
    let lead = 1;
    while (lead < chunk.length && RUN_BYTES[chunk[lead]]) lead++;
    let trail = 1;
    while (trail < before.length && RUN_BYTES[before[before.length - 1 - trail]]) trail++;
    if (lead === chunk.length || trail === before.length) return [-trail];
    const joined = Buffer.concat([before.subarray(before.length - trail - 1), chunk.subarray(0, lead + 1)]);
    const found = scanKernel()!.tokenCandidates(this.table, joined);
    return Array.from(found.filter((at) => at <= trail), (at) => at - trail - 1);
  }

  /**
   * The IOC values `bytes` hold as whole values (an IPv4 address not inside
   * a longer run of digits and dots, a host name as a label suffix of a
   * token, a hash as a whole hex run, a URL's text not followed by more URL).
   * With `complete` false a value touching the end is left for the next piece.
   */
  find(bytes: Buffer, into: Set<string>, complete: boolean): void {
    const text = folded(bytes);
    const fits = (end: number) => complete || end + 2 <= text.length;
    if (this.ipv4.size > 0 || this.ranges.has('ipv4')) {
      for (const m of text.matchAll(DIGIT_CHAIN)) {
        if (!fits(m.index + m[0].length)) continue;
        if (this.ipv4.has(m[0])) into.add(m[0]);
        if (this.ranges.has('ipv4') && canonicalIpv4(m[0]) === m[0]) {
          for (const ioc of this.ranges.lookup('ipv4', m[0]) ?? []) into.add(ioc.ip);
        }
      }
    }
    if (this.domains.size > 0 || this.urls.size > 0) {
      for (const m of text.matchAll(LABEL_RUN)) {
        if (this.domains.size > 0) this.findDomains(m[0], m.index, into, fits);
        for (const url of this.urls.get(m[0]) ?? []) {
          if (into.has(url.value) || !text.startsWith(url.text, m.index)) continue;
          const after = m.index + url.text.length;
          if (fits(after) && !continuesUrl(text.charCodeAt(after) || undefined)) into.add(url.value);
        }
      }
    }
    if (this.hashes.size > 0) {
      for (const m of text.matchAll(HEX_RUN)) {
        if (HASH_LENGTHS.has(m[0].length) && fits(m.index + m[0].length) && this.hashes.has(m[0])) into.add(m[0]);
      }
    }
    if (this.hexColons) findIpv6(text, this.ipv6, this.ranges, into, fits);
  }

  /**
   * Each part of a token between runs of dots, without its trailing dot: the
   * suffixes that start a label, from the right, up to the longest domain IOC
   * (a token of a million labels costs its length, not a million suffixes).
   */
  private findDomains(token: string, at: number, into: Set<string>, fits: (end: number) => boolean): void {
    for (const part of token.matchAll(/[^.]+(?:\.[^.]+)*/g)) {
      if (!fits(at + part.index + part[0].length)) continue;
      const name = part[0];
      // from the last label leftwards, one label at a time (a part never starts with a dot)
      for (let start = name.lastIndexOf('.') + 1; name.length - start <= this.longestDomain; start = name.lastIndexOf('.', start - 2) + 1) {
        const suffix = name.slice(start);
        if (this.domains.has(suffix)) into.add(suffix);
        if (start === 0) break;
      }
    }
  }


}
