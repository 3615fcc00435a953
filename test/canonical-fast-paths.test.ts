import { expect } from 'chai';
import fc from 'fast-check';
import { domainToASCII } from 'node:url';
import { propertySettings } from './helpers.js';
import { canonicalCidr, canonicalDomain, canonicalIp, canonicalIpv4, parseAddressPort } from '../lib/matcher/canonical.js';
import { refang } from '../lib/iocs/defang.js';
import { readIndicatorValue } from '../lib/iocs/indicator.js';
import { ipaddr } from '../lib/matcher/ipaddr-lib.js';

// The canonical forms read the common shapes (a dotted quad, ip:port, a
// lower-case host name, a line with nothing defanged) by hand, without
// patterns or intermediate strings: a feed of 100,000 IOCs and every address
// token of a log go through them. Each must give exactly what the general
// reading, by patterns, gives: the references below are that reading as it
// was written before the hand-written paths, and every generated text, of
// the common shapes and near misses alike, must read the same through both.

function referenceIpv4(text: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets.join('.') : null;
}

function referenceIp(text: string): { kind: 'ipv4' | 'ipv6'; value: string } | null {
  const s = text.trim();
  if (s.length === 0 || s.length > 100) return null;
  const v4 = referenceIpv4(s);
  if (v4 !== null) return { kind: 'ipv4', value: v4 };
  if (!s.includes(':')) return null;
  const bare = s.replace(/%[^%]*$/, '');
  if (!/^[0-9a-f:.]+$/i.test(bare) || !ipaddr.IPv6.isValid(bare)) return null;
  const address = ipaddr.IPv6.parse(bare);
  if (address.isIPv4MappedAddress()) return { kind: 'ipv4', value: address.toIPv4Address().toString() };
  return { kind: 'ipv6', value: address.toRFC5952String() };
}

function referenceAddressPort(text: string): { kind: 'ipv4' | 'ipv6'; value: string; port: number | null } | null {
  const s = text.trim();
  let host = s;
  let port: number | null = null;
  const bracketed = /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(s);
  const v4port = /^([\d.]+):(\d{1,5})$/.exec(s);
  if (bracketed) {
    host = bracketed[1];
    port = bracketed[2] === undefined ? null : Number(bracketed[2]);
  } else if (v4port) {
    host = v4port[1];
    port = Number(v4port[2]);
  }
  if (port !== null && port > 65535) return null;
  const ip = referenceIp(host);
  return ip ? { ...ip, port } : null;
}

function referenceDomain(text: string): string | null {
  const s = text.trim().replace(/\.$/, '');
  if (s.length === 0 || s.length > 253 || !s.includes('.')) return null;
  const ascii = /^[\x21-\x7e]+$/.test(s) ? s.toLowerCase() : domainToASCII(s);
  if (ascii === '') return null;
  const labels = ascii.split('.');
  if (!labels.every((label) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label))) return null;
  return /^\d+$/.test(labels[labels.length - 1]) ? null : ascii;
}

function referenceRefang(text: string): string {
  const s = text
    .trim()
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi, '.')
    .replace(/\[:\]|\(:\)/g, ':')
    .replace(/\[:\/\/\]/g, '://');
  return s.replace(/^(?:hxxps?|fxps?)(?=:\/\/)/i, (scheme) => scheme.toLowerCase().replace('hxxp', 'http').replace('fxp', 'ftp'));
}

const chars = (alphabet: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength });

/** An octet as feeds and logs write them, and as they must not: leading zeros, past 255, four digits, none. */
const octet = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 255 }).map(String), weight: 4 },
  { arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 3 })).map(([n, width]) => String(n).padStart(width, '0')), weight: 2 },
  { arbitrary: fc.constantFrom('0', '00', '000', '0000', '0001', '255', '256', '260', '300', '999'), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 9999 }).map(String), weight: 1 },
  { arbitrary: chars('0123456789a ', 4), weight: 1 },
);

/** Dotted quads, and near misses: three or five parts, a stray character, white space around. */
const quadLike = fc.oneof(
  { arbitrary: fc.array(octet, { minLength: 4, maxLength: 4 }).map((parts) => parts.join('.')), weight: 3 },
  {
    arbitrary: fc
      .tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.constantFrom('', ' ', '\t', '\n'), fc.constantFrom('', ' ', '.', '\n', 'x'))
      .map(([parts, before, after]) => `${before}${parts.join('.')}${after}`),
    weight: 1,
  },
);

/** A port as written after an address: none, digits (up to seven, so past 65535), nothing after the colon, a second colon. */
const portLike = fc.oneof(
  fc.constantFrom('', ':0', ':00443', ':65535', ':65536', ':99999', ':100000', ':'),
  fc.integer({ min: 0, max: 65535 }).map((n) => `:${n}`),
  fc.integer({ min: 0, max: 9999999 }).map((n) => `:${n}`),
  chars('0123456789:a ', 6).map((tail) => `:${tail}`),
);

/** Anything made of the characters addresses are made of. */
const addressNoise = chars('0123456789.:[]/abcdefABCDEF% ', 24);

/** IPv6 text and near misses: groups of 0–5 hex digits, `::` anywhere, an IPv4 tail, a zone id, case. */
const ipv6Like = fc
  .tuple(
    fc.array(fc.oneof(chars('0123456789abcdefABCDEF', 5), fc.constantFrom('', 'ffff', 'FFFF', '0', '0000', 'g')), { minLength: 1, maxLength: 9 }),
    fc.integer({ min: -1, max: 9 }),
    fc.constantFrom('', '.1.2.3.4', ':192.0.2.1', ':1.2.3.256'),
    fc.constantFrom('', '%eth0', '%', '%1%2'),
  )
  .map(([groups, compressAt, tail, zone]) => {
    const text = compressAt < 0 || compressAt > groups.length ? groups.join(':') : `${groups.slice(0, compressAt).join(':')}::${groups.slice(compressAt).join(':')}`;
    return `${text}${tail}${zone}`;
  });

/** A host name's label, well-formed or not: case, digits, `-` and `_` at either end, non-ASCII, over 63 characters. */
const label = fc.oneof(
  chars('abcxyzABCXYZ0189-_', 12),
  chars('0123456789', 4),
  fc.constantFrom('bücher', 'ÉCOLE', 'xn--bcher-kva', 'a'.repeat(63), 'b'.repeat(64), '-lead', 'trail-', '_srv', ''),
  chars('ab.!*~ /:', 5),
);

const domainLike = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '.', ' ', '..'))
  .map(([labels, end]) => `${labels.join('.')}${end}`);

describe('canonical forms: the hand-written paths read as the patterns do', () => {
  it('property: canonicalIpv4 of any quad-like text is the pattern reading (leading zeros dropped, past 255 refused)', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: quadLike, weight: 4 }, { arbitrary: addressNoise, weight: 1 }), (text) => {
        expect(canonicalIpv4(text), JSON.stringify(text)).to.equal(referenceIpv4(text));
      }),
      propertySettings(2000),
    );
  });

  it('property: canonicalIp and parseAddressPort of address-like text are the pattern readings', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: fc.tuple(quadLike, portLike).map(([quad, port]) => `${quad}${port}`), weight: 4 }, { arbitrary: addressNoise, weight: 1 }), (text) => {
        expect(parseAddressPort(text), JSON.stringify(text)).to.deep.equal(referenceAddressPort(text));
        expect(canonicalIp(text), JSON.stringify(text)).to.deep.equal(referenceIp(text));
      }),
      propertySettings(2000),
    );
  });

  it('property: canonicalIp of IPv6-like text is the pattern reading (ipaddr parsing once, not checking first)', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6Like, ipv6Like.map((text) => `[${text}]:443`)), (text) => {
        expect(canonicalIp(text), JSON.stringify(text)).to.deep.equal(referenceIp(text));
        expect(parseAddressPort(text), JSON.stringify(text)).to.deep.equal(referenceAddressPort(text));
      }),
      propertySettings(2000),
    );
  });

  it('property: canonicalCidr of text without a slash is no range, as the pattern reading says', () => {
    fc.assert(
      fc.property(fc.oneof(quadLike, addressNoise).filter((text) => !text.includes('/')), (text) => {
        expect(canonicalCidr(text), JSON.stringify(text)).to.equal(null);
      }),
      propertySettings(500),
    );
    // and with one, it still reads ranges
    expect(canonicalCidr('198.51.100.77/24')).to.equal('198.51.100.0/24');
  });

  it('property: canonicalDomain of any host-like text is the pattern reading (case, IDN, label rules, numeric top label)', () => {
    fc.assert(
      fc.property(domainLike, (text) => {
        expect(canonicalDomain(text), JSON.stringify(text)).to.equal(referenceDomain(text));
      }),
      propertySettings(3000),
    );
  });

  it('property: a domain IOC, with or without a port, is read as the pattern reads it', () => {
    const reference = (text: string) => {
      const m = /^(.*?)(?::(\d{1,5}))?$/.exec(text);
      const domain = m ? canonicalDomain(m[1]) : null;
      const port = m?.[2] === undefined ? null : Number(m[2]);
      return domain !== null && (port === null || port <= 65535) ? { kind: 'domain', value: domain, port } : null;
    };
    const withPort = fc.tuple(domainLike, fc.constantFrom('', ':443', ':65536', ':', ':x', '\n', 'a\rb.example', '\u2028', ':8\n')).map(([host, tail]) => `${host}${tail}`);
    fc.assert(
      fc.property(withPort, (text) => {
        const s = text.trim();
        fc.pre(s.length > 0);
        expect(readIndicatorValue(s, 'domain'), JSON.stringify(s)).to.deep.equal(reference(s));
      }),
      propertySettings(2000),
    );
  });

  it('property: refang of any text, defanged or not, is the pattern reading', () => {
    const piece = fc.oneof(
      fc.constantFrom('[.]', '(.)', '{.}', '[dot]', '(DOT)', '{dot}', '[:]', '(:)', '[://]', 'hxxp://', 'HXXPS://', 'fxp://', 'fxps://', 'hxxp', '://', '[', '(', '{', ' '),
      chars('abc.:/019', 6),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        expect(refang(text), JSON.stringify(text)).to.equal(referenceRefang(text));
      }),
      propertySettings(2000),
    );
  });
});
