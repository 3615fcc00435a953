import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, writeFiles } from './helpers.js';
import { expectFastIsFullParse, kindsJsonLines } from './support/kinds-lines.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';
import { RawIocSearch } from '../lib/matcher/raw-text.js';
import { LARGE_SET } from '../lib/matcher/token-search.js';
import { builtinIocSet, type IocSet } from '../lib/matcher/ioc-set.js';
import { CsvFramer } from '../lib/readers/csv-framer.js';
import type { Report } from '../lib/report/report.js';

// Every IOC set but the built-in set's kind (a few IPv4 addresses sharing
// their start) is searched by token (lib/matcher/token-search.ts), at a cost
// that follows neither its size nor its kinds, instead of one search per IOC.
// What it finds must not depend on that: the same hits as --full-parse, and
// as the literal search of the same IOCs, wherever the read chunks are cut.

const KINDS = join(ROOT, 'test', 'data', 'kinds');
const SMALL_FEED = join(KINDS, 'iocs.txt');

/** IOCs of every kind that no fixture holds, near the fixtures' own values (same prefixes, same domains' parents). */
function fillers(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const hex = (n: number) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(8).slice(0, n);
    switch (i % 8) {
      case 0: out.push(`198.51.${(i >> 3) % 100 + 101}.${i % 250}`); break;
      case 1: out.push(`203.0.${(i >> 3) % 100 + 114}.${i % 250}:${1000 + i}`); break;
      case 2: out.push(`2001:db8:${(i + 0x100).toString(16)}::${(i % 4096).toString(16)}`); break;
      case 3: out.push(`192.0.${(i >> 3) % 200 + 3}.0/24`); break;
      case 4: out.push(`filler${i}.evil-example.net`); break;
      case 5: out.push(`https://drop${i}.example/pb${i}.pl`); break;
      case 6: out.push(hex([32, 40, 64][i % 3])); break;
      default: out.push(`n${i}.notevil.example`);
    }
  }
  return out;
}

const LARGE_FEED = join(writeFiles({ 'large.txt': `${readFileSync(SMALL_FEED, 'utf8')}\n${fillers(4000).join('\n')}\n` }), 'large.txt');

function setOf(path: string): IocSet {
  return loadIocs({ kind: 'files', paths: [path] }, null).set;
}

function scan(feed: string, ...args: string[]): Report {
  const run = runCli(['--iocs', feed, '--format', 'json', '--quiet', ...args]);
  expect(run.status, run.stderr).to.be.oneOf([0, 1]);
  return JSON.parse(run.stdout) as Report;
}

/** `file:line field ioc how` for each match. */
function matchList(report: Report): string[] {
  return report.hits.flatMap((h) => h.matches.map((m) => `${h.file.split('/').pop()}:${h.line} ${m.field} ${m.ip}${m.how ? ` ${m.how}` : ''}`)).sort();
}

describe('a large IOC feed', () => {
  it('is searched by token, as is every set but a few IPv4 addresses sharing their start', () => {
    expect(setOf(LARGE_FEED).iocs.length).to.be.above(LARGE_SET * 50);
    const tokenLike = (search: RawIocSearch) => search.candidates(Buffer.from('zz,'), Buffer.from('filler')).length > 0;
    // the token search makes a candidate of a token that fills all it sees of the chunk before; the literal search of text that is no IOC's
    expect(tokenLike(new RawIocSearch(setOf(LARGE_FEED)))).to.equal(true);
    expect(tokenLike(new RawIocSearch(setOf(SMALL_FEED)))).to.equal(true);
    expect(tokenLike(new RawIocSearch(setOf(SMALL_FEED), 'literal'))).to.equal(false);
    expect(tokenLike(new RawIocSearch(builtinIocSet()))).to.equal(false);
  });

  it('finds on the fixtures what --full-parse finds, and what the same IOCs find in a small feed', () => {
    const fast = matchList(scan(LARGE_FEED, KINDS));
    expect(fast.length).to.be.above(15);
    expect(fast).to.deep.equal(matchList(scan(LARGE_FEED, '--full-parse', KINDS)));
    expect(fast).to.deep.equal(matchList(scan(SMALL_FEED, KINDS)));
  });

  it('finds on the shipped and real fixtures what --full-parse finds, and the built-in set\'s hits among them', () => {
    const feed = join(writeFiles({ 'with-perlbot.txt': `${readFileSync(LARGE_FEED, 'utf8')}179.43.139.84:443\n179.43.139.86:443\n` }), 'with-perlbot.txt');
    const dirs = [join(ROOT, 'fixtures')];
    const fast = matchList(scan(feed, ...dirs));
    expect(fast).to.deep.equal(matchList(scan(feed, '--full-parse', ...dirs)));
    // every hit of the built-in set is one of the large feed's too
    const builtin = matchList(scan(join(ROOT, 'lib', 'data', 'iocs.json'), ...dirs));
    expect(builtin.length).to.be.above(50);
    for (const hit of builtin) expect(fast).to.include(hit);
  });

  it('hands every record holding IOC text to the parser, wherever the chunks are cut', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    for (const name of ['DeviceNetworkEvents.csv', 'CommonSecurityLog.csv']) {
      const text = readFileSync(join(KINDS, name));
      const handed = (pieces: Buffer[], fullParse: boolean) => {
        const framer = new CsvFramer(0x2c, large, { fullParse, kernel: true });
        return [...pieces.flatMap((piece) => framer.push(piece)), ...framer.end()];
      };
      // the lines --full-parse finds a hit on (by the small feed's search of their raw text, which is exact)
      const small = new RawIocSearch(setOf(SMALL_FEED), 'literal');
      const hitLines = handed([text], true)
        .filter((r) => r.bytes && small.find(r.bytes).size > 0)
        .map((r) => r.line);
      expect(hitLines.length, `${name}: ${hitLines.length} lines`).to.be.above(2);
      for (let cut = 1; cut < text.length; cut++) {
        const lines = new Set(handed([text.subarray(0, cut), text.subarray(cut)], false).map((r) => r.line));
        for (const line of hitLines) expect(lines.has(line), `${name} line ${line}, cut at ${cut}`).to.equal(true);
      }
    }
  });

  it('gives the --full-parse report on JSON lines spanning many read chunks', () => {
    expect(expectFastIsFullParse(LARGE_FEED, kindsJsonLines(30000, 13)).length).to.be.above(1000);
  });

  it('parses each JSON line whose IOC is spelled with \\u escapes, found in the token search\'s own pass, among thousands of c:\\\\users paths', () => {
    // `c:\\users` in JSON is a backslash, then `users`: no escape
    const plain = (i: number) => JSON.stringify({ Timestamp: '2026-05-25T10:00:00Z', DeviceId: `d${i}`, ActionType: 'ConnectionSuccess', RemoteIP: '192.0.2.9', RemotePort: '443', FolderPath: `c:\\users\\u${i}\\x.exe` });
    const escaped = (i: number) =>
      i % 2 === 0
        ? `{"Timestamp":"2026-05-25T10:00:00Z","DeviceId":"e${i}","ActionType":"ConnectionSuccess","RemoteIP":"\\u0031\\u0039\\u0038.51.100.7","RemotePort":"443"}`
        : `{"Timestamp":"2026-05-25T10:00:00Z","DeviceId":"e${i}","ActionType":"ConnectionSuccess","RemoteIP":"192.0.2.9","RemotePort":"443","RemoteUrl":"\\u0061.evil.example"}`;
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 3_001 === 2_999 ? escaped(i) : plain(i)));
    const file = join(writeFiles({ 'DeviceNetworkEvents.json': `${lines.join('\n')}\n` }), 'DeviceNetworkEvents.json');
    const fast = scan(LARGE_FEED, file);
    expect(fast.hits.map((h) => h.line)).to.deep.equal(lines.flatMap((line, i) => (line.includes('"e') ? [i + 1] : [])));
    expect(matchList(fast)).to.deep.equal(matchList(scan(LARGE_FEED, '--full-parse', file)));
  });

  it('finds in raw text (a malformed record) the whole values the small feed finds, not near misses', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    const small = new RawIocSearch(setOf(SMALL_FEED), 'literal');
    const found = (search: RawIocSearch, text: string) => [...search.find(Buffer.from(text))].sort();
    const texts = [
      'GET https://A.EVIL.EXAMPLE/x from 2001:DB8:0::C2 to 198.51.100.129, file 8F3D0E6C1B2A4F5E9D7C6B5A49382716A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0',
      'drop.example/pb.pl payload.example/bins/x.pl 2001:db8:bad:1::9 http://203.0.113.80:8080/gate',
      'notevil.example evil.example.com 2001:db8::c20 198.51.100.127 198.51.100.1290 179.43.139.840 d41d8cd98f00b204e9800998ecf8427f drop.example/pb.plx',
      'evil.example..x x..evil.example. 1.198.51.100.7 198.51.100.7. ..198.51.100.7..',
    ];
    for (const text of texts) expect(found(large, text), text).to.deep.equal(found(small, text));
    expect(found(large, texts[0])).to.have.length(4);
  });

  it('finds in raw text what the small feed finds, for any mix of IOC text, near misses and separators (property)', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    const small = new RawIocSearch(setOf(SMALL_FEED), 'literal');
    const pieces = [
      '198.51.100.7', '198.51.100.200', '2001:db8::c2', '2001:db8:bad::9', 'evil.example', 'EVIL.example', 'a.evil.example', 'bücher.example',
      'drop.example/pb.pl', 'https://drop.example/pb.pl', 'payload.example/bins/x.pl', '203.0.113.80:8080/gate', 'd41d8cd98f00b204e9800998ecf8427e',
      '0123456789abcdef0123456789abcdef01234567', 'notevil', '1', '0', 'x', 'f', '.', '..', ':', '::', '/', '-', '_', ',', ' ', '"', '\t', 'é',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
        const text = Buffer.from(parts.join(''));
        expect([...large.find(text)].sort()).to.deep.equal([...small.find(text)].sort());
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a malformed record of millions of labels or hex digits in time that follows its length', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    // one token of two million labels: each suffix a lookup would be a square of its length
    expect([...large.find(Buffer.from(`${'a.'.repeat(2_000_000)}evil.example`))]).to.deep.equal(['evil.example']);
    // four million hex digits before an IPv6 IOC: a backtracking run search would be a square too
    expect([...large.find(Buffer.from(`${'a'.repeat(4_000_000)} 2001:db8::c2`))]).to.deep.equal(['2001:db8::c2']);
  });

  it('makes a candidate in every line where the literal search finds an IOC, for any mix of IOC text, near misses and separators (property)', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    const small = new RawIocSearch(setOf(SMALL_FEED), 'literal');
    const pieces = ['198.51.100.7', '198.51.100.200', '203.0.113.80', '2001:db8::c2', '::ffff:', '::FFFF:c633:6407', 'a.evil.example', 'EVIL.EXAMPLE', 'drop.example/pb.pl', 'd41d8cd98f00b204e9800998ecf8427e', '0', '1', '255', '.', ':', '"', ',', ' ', 'x', '-', 'é', '\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = Buffer.from(`,${parts.join('')},\n`);
        const candidates = large.candidates(text, Buffer.alloc(0));
        let start = 0;
        for (const line of text.toString('latin1').split('\n')) {
          const end = start + line.length;
          if (small.find(text.subarray(start, end)).size > 0) expect(candidates.some((at) => at >= start && at <= end), JSON.stringify(line)).to.equal(true);
          start = end + 1;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads `::ffff:` and a dotted quad as the IPv4 address it is: a candidate only when that address or its network is an IOC', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    // a log's commonest IPv6 text; each one a candidate made every record holding one a record to parse
    const mapped = (ip: string) => large.candidates(Buffer.from(`{"RemoteIP":"::ffff:${ip}","LocalPort":443}\n`), Buffer.alloc(0));
    expect(mapped('151.101.1.140')).to.deep.equal([]);
    expect(mapped('198.51.100.7')).to.have.length(1);
    expect(mapped('198.51.100.200')).to.have.length(1);
    expect([...large.find(Buffer.from('"::ffff:198.51.100.7"'))]).to.deep.equal(['198.51.100.7']);
  });

  it('makes a candidate of each IOC text however a chunk edge cuts it', () => {
    const large = new RawIocSearch(setOf(LARGE_FEED));
    const values = ['198.51.100.7', '198.51.100.200', '2001:db8::c2', 'a.evil.example', 'EVIL.EXAMPLE.', 'drop.example/pb.pl', 'D41D8CD98F00B204E9800998ECF8427E', 'bücher.example', 'ｅｖｉｌ．ｅｘａｍｐｌｅ', '8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0'];
    for (const value of values) {
      for (const [before, after] of [[',', ','], ['"x":"', '"'], ['id=', ' ok'], ['', '']]) {
        const text = Buffer.from(`1.2,${before}${value}${after},3.4`);
        const start = Buffer.byteLength(`1.2,${before}`);
        const end = start + Buffer.byteLength(value);
        for (let cut = 0; cut <= text.length; cut++) {
          const first = large.candidates(text.subarray(0, cut), Buffer.alloc(0));
          const second = large.candidates(text.subarray(cut), text.subarray(0, cut)).map((at) => at + cut);
          const all = [...first, ...second];
          expect(all.some((at) => at >= start && at <= end), `${text} cut at ${cut}: ${all}`).to.equal(true);
        }
      }
    }
  });
});
