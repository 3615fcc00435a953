import { expect } from 'chai';
import fc from 'fast-check';
import { propertySettings } from './helpers.js';
import { canonicalCidr, canonicalDomain, canonicalHash, canonicalIp, cidrContains, normaliseUrl, parseAddressPort, readIndicatorValue } from '../lib/iocs/indicator.js';

// The typed indicator model: one canonical text per IOC, whatever way a feed
// (or, later, a log column) writes it.

/** Eight 16-bit groups. */
const groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

/** Every way of writing one IPv6 address that the tool must read as the same. */
function spellings(parts: number[], caseFlips: boolean[], padding: boolean, compressAt: number): string[] {
  const hex = parts.map((p) => (padding ? p.toString(16).padStart(4, '0') : p.toString(16)));
  const full = hex.join(':');
  // compress one run of zero groups, as any writer may choose
  let compressed = full;
  const zeroRun = parts.findIndex((p, i) => i >= compressAt % 8 && p === 0);
  if (zeroRun >= 0) {
    let end = zeroRun;
    while (end < 8 && parts[end] === 0) end++;
    compressed = `${hex.slice(0, zeroRun).join(':')}::${hex.slice(end).join(':')}`;
  }
  const cased = [...compressed].map((ch, i) => (caseFlips[i % caseFlips.length] ? ch.toUpperCase() : ch)).join('');
  return [full, compressed, cased, `[${cased}]`, `${compressed}%eth0`];
}

/** The address as a 128-bit number, computed apart from the code under test. */
function bits(parts: number[]): bigint {
  return parts.reduce((acc, p) => (acc << 16n) | BigInt(p), 0n);
}

function v6Text(n: bigint): string {
  const parts: string[] = [];
  for (let i = 7; i >= 0; i--) parts.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return parts.join(':');
}

describe('indicators', () => {
  describe('IP addresses', () => {
    it('property: every textual form of one IPv6 address has one canonical value', () => {
      fc.assert(
        fc.property(groups, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.nat(), (parts, flips, padding, at) => {
          // keep out the IPv4-mapped block: those reduce to IPv4 (the next property)
          fc.pre(!(parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff));
          const values = new Set<string>();
          for (const text of spellings(parts, flips, padding, at)) {
            const read = text.startsWith('[') ? parseAddressPort(`${text}:443`) : canonicalIp(text);
            expect(read, text).to.not.equal(null);
            expect(read!.kind).to.equal('ipv6');
            values.add(read!.value);
          }
          expect([...values]).to.have.length(1);
          const [value] = values;
          // RFC 5952: lower case, no leading zeros, and it reads back as the same address
          expect(value).to.equal(value.toLowerCase());
          expect(bits(value.includes('::') ? expandForTest(value) : value.split(':').map((g) => parseInt(g, 16)))).to.equal(bits(parts));
        }),
        propertySettings(300),
      );
    });

    it('property: an IPv4-mapped IPv6 address in any form is its IPv4 address', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.boolean(), (octets, upper) => {
          const v4 = octets.join('.');
          const hi = ((octets[0] << 8) | octets[1]).toString(16);
          const lo = ((octets[2] << 8) | octets[3]).toString(16);
          const forms = [`::ffff:${v4}`, `0:0:0:0:0:ffff:${v4}`, `::ffff:${hi}:${lo}`, `[::ffff:${v4}]`];
          for (const form of forms) {
            const text = upper ? form.toUpperCase() : form;
            const read = text.startsWith('[') ? parseAddressPort(text) : canonicalIp(text);
            expect(read, text).to.deep.include({ kind: 'ipv4', value: v4 });
          }
        }),
        propertySettings(200),
      );
    });

    it('reads a port beside a bracketed IPv6 address, never the last group of an unbracketed one', () => {
      expect(parseAddressPort('[2001:DB8::1]:443')).to.deep.equal({ kind: 'ipv6', value: '2001:db8::1', port: 443 });
      expect(parseAddressPort('2001:db8::1:443')).to.deep.equal({ kind: 'ipv6', value: '2001:db8::1:443', port: null });
      expect(parseAddressPort('198.51.100.7:8080')).to.deep.equal({ kind: 'ipv4', value: '198.51.100.7', port: 8080 });
      expect(parseAddressPort('[2001:db8::1]:65536')).to.equal(null);
      expect(parseAddressPort('198.51.100.256')).to.equal(null);
      expect(canonicalIp('fe80::1%eth0')).to.deep.equal({ kind: 'ipv6', value: 'fe80::1' });
      expect(canonicalIp('1::2::3')).to.equal(null);
    });
  });

  describe('CIDR ranges', () => {
    it('are written network/prefix, host bits cleared, a mapped-IPv4 range as its IPv4 range', () => {
      expect(canonicalCidr('198.51.100.77/24')).to.equal('198.51.100.0/24');
      expect(canonicalCidr('2001:DB8:0:1::5/32')).to.equal('2001:db8::/32');
      expect(canonicalCidr('::ffff:198.51.100.0/120')).to.equal('198.51.100.0/24');
      expect(canonicalCidr('198.51.100.0/33')).to.equal(null);
      expect(canonicalCidr('2001:db8::/129')).to.equal(null);
    });

    it('property: an IPv4 range contains exactly the addresses whose first prefix bits are its own', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 0xffffffff }), fc.nat(32), (base, prefix, other, flip) => {
          const text = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
          const cidr = canonicalCidr(`${text(base)}/${prefix}`)!;
          const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
          // an address just across one bit from the base: inside exactly when that bit is a host bit
          const near = (base ^ (1 << (31 - Math.min(flip, 31)))) >>> 0;
          for (const candidate of [base, other, near]) {
            expect(cidrContains(cidr, text(candidate)), `${text(candidate)} in ${cidr}`).to.equal(((candidate & mask) >>> 0) === ((base & mask) >>> 0));
          }
        }),
        propertySettings(500),
      );
    });

    it('property: an IPv6 range contains exactly the addresses whose first prefix bits are its own', () => {
      fc.assert(
        fc.property(groups, fc.integer({ min: 0, max: 128 }), groups, fc.nat(127), (base, prefix, other, flip) => {
          const b = bits(base);
          const cidr = canonicalCidr(`${v6Text(b)}/${prefix}`)!;
          const all = (1n << 128n) - 1n;
          const mask = prefix === 0 ? 0n : (all << BigInt(128 - prefix)) & all;
          const near = b ^ (1n << BigInt(127 - flip));
          for (const candidate of [b, bits(other), near]) {
            // a mapped address is its IPv4 address: inside an IPv4 range (a mapped one), never an IPv6 range
            const mapped = candidate >> 32n === 0xffffn;
            const mappedRange = b >> 32n === 0xffffn && prefix >= 96;
            const inside = (candidate & mask) === (b & mask) && mapped === mappedRange;
            expect(cidrContains(cidr, v6Text(candidate)), `${v6Text(candidate)} in ${cidr}`).to.equal(inside);
          }
        }),
        propertySettings(500),
      );
    });

    it('never puts an IPv4 address in an IPv6 range or the other way round', () => {
      expect(cidrContains('0.0.0.0/0', '2001:db8::1')).to.equal(false);
      expect(cidrContains('::/0', '198.51.100.7')).to.equal(false);
      expect(cidrContains('198.51.100.0/24', '::ffff:198.51.100.7')).to.equal(true);
    });
  });

  describe('domains, URLs and hashes', () => {
    it('domains: lower case, no trailing dot, IDN in punycode; not an address, not a bare word', () => {
      expect(canonicalDomain('C2.Evil.Example.')).to.equal('c2.evil.example');
      expect(canonicalDomain('bücher.example')).to.equal('xn--bcher-kva.example');
      expect(canonicalDomain('XN--BCHER-KVA.example')).to.equal('xn--bcher-kva.example');
      expect(canonicalDomain('198.51.100.7')).to.equal(null);
      expect(canonicalDomain('localhost')).to.equal(null);
      expect(canonicalDomain('-bad.example')).to.equal(null);
      expect(canonicalDomain(`${'a'.repeat(64)}.example`)).to.equal(null);
    });

    it('URLs: scheme and host lower-cased, default port and fragment dropped, unreserved escapes decoded', () => {
      expect(normaliseUrl('HTTPS://Evil.EXAMPLE:443/a%7Eb%2f?q=%41#frag')!.value).to.equal('https://evil.example/a~b%2F?q=A');
      expect(normaliseUrl('http://evil.example:8080')!.value).to.equal('http://evil.example:8080/');
      expect(normaliseUrl('http://[2001:DB8::1]:80/x')).to.deep.equal({ value: 'http://[2001:db8::1]/x', host: '2001:db8::1', port: 80 });
      expect(normaliseUrl('http://bücher.example/Path')!.value).to.equal('http://xn--bcher-kva.example/Path');
      expect(normaliseUrl('evil.example/x')!.value).to.equal('evil.example/x');
      expect(normaliseUrl('evil.example')).to.equal(null);
      expect(normaliseUrl('http://2001:db8::1/')).to.equal(null);
      expect(normaliseUrl('http://evil.example:99999/')).to.equal(null);
    });

    it('hashes: lower-case hex of the length of their kind', () => {
      expect(canonicalHash('0123456789ABCDEF0123456789ABCDEF', 'md5')).to.deep.equal({ kind: 'md5', value: '0123456789abcdef0123456789abcdef' });
      expect(canonicalHash('0123456789abcdef0123456789abcdef', 'sha1')).to.equal(null);
      expect(canonicalHash('0123456789abcdef0123456789abcdef0123456g', 'hash')).to.equal(null);
      expect(canonicalHash('a'.repeat(64), 'hash')).to.deep.equal({ kind: 'sha256', value: 'a'.repeat(64) });
    });

    it('an untyped value is typed by its shape', () => {
      const kinds = ['198.51.100.7:443', '2001:db8::1', '198.51.100.0/24', 'evil.example', 'https://evil.example/x', 'a'.repeat(32), 'b'.repeat(40), 'c'.repeat(64)].map(
        (text) => readIndicatorValue(text, 'any')?.kind,
      );
      expect(kinds).to.deep.equal(['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256']);
      expect(readIndicatorValue('not an indicator', 'any')).to.equal(null);
    });
  });
});

/** `a::b` to eight groups, for checking a canonical value independently. */
function expandForTest(value: string): number[] {
  const [head, tail] = value.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  return [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
}
