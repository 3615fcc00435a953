import { canonicalIp, canonicalIpv4, normaliseUrl } from './canonical.js';
import { AddressRanges } from './address-ranges.js';
import { kindOf, type IocSet } from './ioc-set.js';

// The raw-text search for IOCs other than IPv4 addresses (raw-text.ts keeps
// the IPv4 literals). Two duties, as for IPv4:
// - candidates: every place where text a matcher could read as an IOC may
//   start. A literal where the IOC has one: a domain, a hash, the host of a
//   URL, compared case-insensitively. A shape where it has none: any dotted
//   quad when IPv4 ranges are in force, any `::` or run of six
//   colon-separated hex groups when IPv6 addresses or ranges are, any byte
//   beyond ASCII when domains are (an IDN or a full-width dot spells a
//   domain without its punycode letters). A candidate only means "parse this
//   record"; it never makes a hit.
// - find: the IOCs a malformed record's bytes hold as whole values.

const IPV6_SHAPE = /::|[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){5}/gi;
/** A run of hex digits, colons and dots (one holding a colon may be an IPv6 address): no backtracking, so a long hex run costs its length, not its square. */
const IPV6_RUN = /[0-9a-f:.]+/gi;
const DOTTED_QUAD = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
/** The longest shape the candidates look for (an IPv6 address with a dotted tail), and some. */
const LONGEST_SHAPE = 48;

/** ASCII letters lower-cased, for the case-insensitive literals. */
function folded(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const b = out[i];
    if (b >= 0x41 && b <= 0x5a) out[i] = b + 0x20;
  }
  return out;
}

const isHex = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66));
const isLabel = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f);
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
/** Bytes that may continue a URL's path or query: a URL IOC is whole only when none follows. */
const continuesUrl = (b: number | undefined) => b !== undefined && b > 0x20 && b < 0x7f && !'"\'<>,;)]}|`\\'.includes(String.fromCharCode(b));

interface Literal {
  /** The IOC value a whole occurrence counts for (the report's `ip`). */
  value: string;
  bytes: Buffer;
  whole: (text: Buffer, at: number, end: number) => boolean;
}

const domainWhole = (text: Buffer, at: number, end: number) =>
  !isLabel(text[at - 1]) && !isLabel(text[end]) && !(text[end] === 0x2e && isLabel(text[end + 1]));
const hashWhole = (text: Buffer, at: number, end: number) => !isHex(text[at - 1]) && !isHex(text[end]);
const urlWhole = (text: Buffer, at: number, end: number) => !isLabel(text[at - 1]) && text[at - 1] !== 0x2e && !continuesUrl(text[end]);

export class RawKindSearch {
  private readonly literals: Literal[] = [];
  /** What only flags candidates: the hosts of URL IOCs, an IDN's Unicode form. */
  private readonly hints: Buffer[] = [];
  private readonly ranges: AddressRanges;
  private readonly ipv6: Set<string>;
  private readonly dottedQuads: boolean;
  private readonly hexColons: boolean;
  private readonly nonAscii: boolean;
  readonly overlap: number;

  constructor(iocs: IocSet) {
    this.ranges = new AddressRanges(iocs.ofKinds('cidr'));
    this.ipv6 = new Set(iocs.ofKinds('ipv6').map((ioc) => ioc.ip));
    let hostIpv6 = false;
    let domains = false;
    for (const ioc of iocs.iocs) {
      const kind = kindOf(ioc);
      if (kind === 'domain') {
        domains = true;
        this.literals.push({ value: ioc.ip, bytes: Buffer.from(ioc.ip, 'latin1'), whole: domainWhole });
      } else if (kind === 'md5' || kind === 'sha1' || kind === 'sha256') {
        this.literals.push({ value: ioc.ip, bytes: Buffer.from(ioc.ip, 'latin1'), whole: hashWhole });
      } else if (kind === 'url') {
        const url = normaliseUrl(ioc.ip);
        if (!url) continue;
        const ip = canonicalIp(url.host);
        if (ip?.kind === 'ipv6') hostIpv6 = true;
        else if (ip === null) domains = true;
        this.hints.push(Buffer.from(url.host, 'latin1'));
        this.literals.push({ value: ioc.ip, bytes: Buffer.from(ioc.ip.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').toLowerCase(), 'latin1'), whole: urlWhole });
      }
    }
    this.dottedQuads = this.ranges.has('ipv4');
    this.hexColons = this.ipv6.size > 0 || this.ranges.has('ipv6') || hostIpv6;
    this.nonAscii = domains;
    let longest = this.dottedQuads || this.hexColons ? LONGEST_SHAPE : 0;
    for (const { bytes } of [...this.literals, ...this.hints.map((bytes) => ({ bytes }))]) longest = Math.max(longest, bytes.length);
    this.overlap = longest + 2;
  }

  /** Whether there is anything to look for beyond IPv4 literals. */
  get active(): boolean {
    return this.literals.length > 0 || this.dottedQuads || this.hexColons;
  }

  /** Where IOC text of these kinds may start in `bytes` (unsorted). */
  candidates(bytes: Buffer, into: number[]): void {
    if (this.literals.length > 0) {
      const text = folded(bytes);
      for (const needle of [...this.literals.map((l) => l.bytes), ...this.hints]) {
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) into.push(at);
      }
      // a literal running past the end may continue in the next chunk: its start is a candidate too
      for (const needle of [...this.literals.map((l) => l.bytes), ...this.hints]) {
        for (let cut = Math.min(needle.length - 1, text.length); cut > 0; cut--) {
          if (text.compare(needle, 0, cut, text.length - cut) === 0) into.push(text.length - cut);
        }
      }
    }
    if (this.nonAscii) for (let at = 0; at < bytes.length; at++) if (bytes[at] >= 0x80) into.push(at);
    if (this.dottedQuads || this.hexColons) {
      const text = bytes.toString('latin1');
      if (this.dottedQuads) for (const m of text.matchAll(DOTTED_QUAD)) into.push(m.index);
      if (this.hexColons) for (const m of text.matchAll(IPV6_SHAPE)) into.push(m.index);
      // a shape cut by the chunk's end: its last bytes start a candidate
      if (/[0-9a-f:.]$/i.test(text)) into.push(Math.max(0, text.length - LONGEST_SHAPE));
    }
  }

  /**
   * The IOC values `bytes` hold as whole values. With `complete` false a
   * value touching the end is left for the next piece to decide.
   */
  find(bytes: Buffer, into: Set<string>, complete: boolean): void {
    const fits = (end: number) => complete || end + 2 <= bytes.length;
    if (this.literals.length > 0) {
      const text = folded(bytes);
      for (const { value, bytes: needle, whole } of this.literals) {
        if (into.has(value)) continue;
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
          const end = at + needle.length;
          if (!fits(end)) break;
          if (whole(text, at, end)) {
            into.add(value);
            break;
          }
        }
      }
    }
    if (!this.dottedQuads && !this.hexColons) return;
    const text = bytes.toString('latin1');
    if (this.dottedQuads) {
      for (const m of text.matchAll(DOTTED_QUAD)) {
        const end = m.index + m[0].length;
        // inside a longer run of digits and dots (`1.198.51.100.7`) is no address, as for an exact IOC
        const inRun = isDigit(bytes[m.index - 1]) || (bytes[m.index - 1] === 0x2e && isDigit(bytes[m.index - 2]));
        if (inRun || isDigit(bytes[end]) || (bytes[end] === 0x2e && isDigit(bytes[end + 1])) || !fits(end)) continue;
        const address = canonicalIpv4(m[0]);
        if (address === m[0]) for (const ioc of this.ranges.lookup('ipv4', address) ?? []) into.add(ioc.ip);
      }
    }
    if (this.hexColons) findIpv6(text, this.ipv6, this.ranges, into, fits);
  }
}

/** The IPv6 IOCs (addresses, ranges) a record's text (latin1) holds as whole runs of hex digits, colons and dots. */
export function findIpv6(text: string, ipv6: ReadonlySet<string>, ranges: AddressRanges, into: Set<string>, fits: (end: number) => boolean): void {
  for (const m of text.matchAll(IPV6_RUN)) {
    if (!m[0].includes(':')) continue;
    const end = m.index + m[0].length;
    if (!fits(end)) continue;
    const ip = canonicalIp(m[0].replace(/[.:]+$/, (tail) => (tail.startsWith('::') ? '::' : '')));
    if (ip?.kind !== 'ipv6') continue;
    if (ipv6.has(ip.value)) into.add(ip.value);
    for (const ioc of ranges.lookup('ipv6', ip.value) ?? []) into.add(ioc.ip);
  }
}
