import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, writeFiles } from './helpers.js';
import { expectFastIsFullParse, kindsJsonLines } from './support/kinds-lines.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';
import { RawIocSearch } from '../lib/matcher/raw-text.js';
import { builtinIocSet, type IocSet } from '../lib/matcher/ioc-set.js';
import { CsvFramer } from '../lib/readers/csv-framer.js';
import type { Report } from '../lib/report/report.js';

// Every kind of IOC is matched in the columns of its kind (docs/hits.md):
// addresses (IPv4, IPv6 in any spelling, CIDR ranges), domains (exact or a
// subdomain), URLs (normalised; their host a weaker match) and hashes. The
// fixtures in test/data/kinds/ hold, for each kind, a hit, near misses and
// the IOC in free text (never a hit); the fast path must find what
// --full-parse finds, wherever the read chunks are cut.

const KINDS = join(ROOT, 'test', 'data', 'kinds');
const IOCS = join(KINDS, 'iocs.txt');

function kindsSet(): IocSet {
  return loadIocs({ kind: 'files', paths: [IOCS] }, null).set;
}

function scanJson(...args: string[]): Report {
  const run = runCli(['--iocs', IOCS, '--format', 'json', '--quiet', ...args]);
  expect(run.status, run.stderr).to.be.oneOf([0, 1]);
  return JSON.parse(run.stdout) as Report;
}

/** `file:line field ioc [how seen]` for each match. */
function matchList(report: Report): string[] {
  return report.hits.flatMap((h) => h.matches.map((m) => `${h.file.split('/').pop()}:${h.line} ${m.field} ${m.ip}${m.how ? ` ${m.how}` : ''}${m.seen ? ` ${m.seen}` : ''}`)).sort();
}

/**
 * A report without its times, and without how records were searched: a
 * record the fast path counts without parsing (no IOC text in its bytes) is
 * `rawText` there and `knownTable` under --full-parse (docs/output.md).
 */
function comparable(report: Report): unknown {
  const { startedAt: _s, finishedAt: _f, run: _r, files, summary, ...rest } = report;
  const { searched: _searched, ...sums } = summary;
  return { ...rest, summary: sums, files: files.map(({ searched: _fileSearched, ...file }) => file) };
}

describe('IOC kinds beyond IPv4', () => {
  it('each kind hits in its columns; near misses and free text never do', () => {
    expect(matchList(scanJson(KINDS))).to.deep.equal([
      'CommonSecurityLog.csv:2 DestinationHostName evil.example subdomain a.b.evil.example',
      'CommonSecurityLog.csv:4 RequestURL https://drop.example/pb.pl',
      'CommonSecurityLog.csv:5 FileHash d41d8cd98f00b204e9800998ecf8427e',
      'CommonSecurityLog.csv:6 DestinationIP 2001:db8::c2',
      'CommonSecurityLog.csv:8 DestinationHostName xn--bcher-kva.example',
      'DeviceNetworkEvents.csv:10 RemoteUrl evil.example subdomain cdn.evil.example',
      'DeviceNetworkEvents.csv:13 RemoteUrl evil.example',
      'DeviceNetworkEvents.csv:14 RemoteUrl https://drop.example/pb.pl',
      'DeviceNetworkEvents.csv:15 RemoteUrl https://drop.example/pb.pl url-host drop.example',
      'DeviceNetworkEvents.csv:16 RemoteUrl payload.example/bins/x.pl http://payload.example/bins/x.pl',
      'DeviceNetworkEvents.csv:17 RemoteUrl payload.example/bins/x.pl url-host payload.example',
      'DeviceNetworkEvents.csv:18 RemoteUrl http://203.0.113.80:8080/gate',
      'DeviceNetworkEvents.csv:19 RemoteIP http://203.0.113.80:8080/gate url-host 203.0.113.80',
      'DeviceNetworkEvents.csv:2 RemoteIP 198.51.100.7',
      'DeviceNetworkEvents.csv:20 InitiatingProcessSHA256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
      'DeviceNetworkEvents.csv:22 InitiatingProcessSHA1 0123456789abcdef0123456789abcdef01234567',
      'DeviceNetworkEvents.csv:25 RemoteIP 198.51.100.128/25 in-range 198.51.100.200',
      'DeviceNetworkEvents.csv:26 RemoteUrl xn--bcher-kva.example',
      'DeviceNetworkEvents.csv:4 RemoteIP 2001:db8::c2',
      'DeviceNetworkEvents.csv:6 RemoteIP 198.51.100.128/25 in-range 198.51.100.200',
      'DeviceNetworkEvents.csv:8 RemoteIP 2001:db8:bad::/48 in-range 2001:db8:bad:ffff::1',
    ]);
  });

  it('says each match\'s kind, pairs ports as for IPv4, and counts each IOC in perIoc', () => {
    const report = scanJson(KINDS);
    const at = (file: string, line: number) => report.hits.find((h) => h.file.endsWith(file) && h.line === line)!.matches[0];
    expect(at('DeviceNetworkEvents.csv', 2)).to.deep.equal({ field: 'RemoteIP', ip: '198.51.100.7', port: 443, portMatch: true });
    expect(at('CommonSecurityLog.csv', 6)).to.deep.equal({ field: 'DestinationIP', ip: '2001:db8::c2', port: 443, portMatch: null, kind: 'ipv6' });
    expect(at('DeviceNetworkEvents.csv', 15)).to.include({ kind: 'url', how: 'url-host' });
    const counts = Object.fromEntries(report.summary.perIoc.map((p) => [`${p.kind} ${p.ip}`, p.hits]));
    expect(counts).to.deep.equal({
      'ipv4 198.51.100.7': 1,
      'ipv6 2001:db8::c2': 2,
      'cidr 198.51.100.128/25': 2,
      'cidr 2001:db8:bad::/48': 1,
      'domain evil.example': 3,
      'url https://drop.example/pb.pl': 3,
      'url payload.example/bins/x.pl': 2,
      'url http://203.0.113.80:8080/gate': 2,
      'sha256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0': 1,
      'sha1 0123456789abcdef0123456789abcdef01234567': 1,
      'md5 d41d8cd98f00b204e9800998ecf8427e': 1,
      'domain xn--bcher-kva.example': 2,
    });
  });

  it('the fast path gives the --full-parse report on the fixtures', () => {
    const fast = scanJson(KINDS);
    const full = scanJson('--full-parse', KINDS);
    expect(comparable(fast)).to.deep.equal(comparable(full));
  });

  it('the fast path gives the --full-parse report on JSON lines spanning many read chunks', () => {
    const dir = kindsJsonLines(40000, 17);
    expect(statSync(join(dir, 'big.jsonl')).size).to.be.above(4 * 1024 * 1024);
    // every hit, one a line (the JSON report of this size is compared by its hits alone)
    expect(expectFastIsFullParse(IOCS, dir).length).to.be.above(1000);
  });

  it('hands every record holding IOC text to the parser, wherever the chunks are cut', () => {
    const search = new RawIocSearch(kindsSet());
    const text = readFileSync(join(KINDS, 'DeviceNetworkEvents.csv'));
    const handed = (pieces: Buffer[]) => {
      const framer = new CsvFramer(0x2c, search, { fullParse: false, kernel: false });
      const out = [...pieces.flatMap((piece) => framer.push(piece)), ...framer.end()];
      return new Set(out.map((r) => r.line));
    };
    // the lines of the fixture's hits (and the header): each must be parsed however the file is cut
    const hitLines = [1, 2, 4, 6, 8, 10, 13, 14, 15, 16, 17, 18, 19, 20, 22, 25, 26];
    for (let cut = 1; cut < text.length; cut++) {
      const lines = handed([text.subarray(0, cut), text.subarray(cut)]);
      for (const line of hitLines) expect(lines.has(line), `line ${line}, cut at ${cut}`).to.equal(true);
    }
  });

  it('keeps the built-in set\'s search as it was: only the two IPv4 addresses are candidates', () => {
    const text = Buffer.from('evil.example 2001:db8::1 d41d8cd98f00b204e9800998ecf8427e 198.51.100.200 ü 179.43.139.84');
    expect(new RawIocSearch(builtinIocSet()).candidates(text, Buffer.alloc(0))).to.deep.equal([text.indexOf('179.43.139.84')]);
  });

  it('finds whole values of every kind in a malformed record\'s raw text, not near misses', () => {
    const search = new RawIocSearch(kindsSet());
    const found = (text: string) => [...search.find(Buffer.from(text))].sort();
    expect(found('GET https://A.EVIL.EXAMPLE/x from 2001:DB8:0::C2 to 198.51.100.129, file 8F3D0E6C1B2A4F5E9D7C6B5A49382716A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0')).to.deep.equal([
      '198.51.100.128/25',
      '2001:db8::c2',
      '8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
      'evil.example',
    ]);
    expect(found('drop.example/pb.pl payload.example/bins/x.pl 2001:db8:bad:1::9')).to.deep.equal(['2001:db8:bad::/48', 'https://drop.example/pb.pl', 'payload.example/bins/x.pl']);
    // near misses of each kind
    expect(found('notevil.example evil.example.com 2001:db8::c20 198.51.100.127 198.51.100.1290 179.43.139.840 d41d8cd98f00b204e9800998ecf8427f 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0a drop.example/pb.plx')).to.deep.equal([]);
    // a record too large to hold, fed in pieces cut anywhere, finds the same
    const text = Buffer.from('x'.repeat(100) + ' cdn.evil.example 2001:db8::c2 ' + 'y'.repeat(50) + ' 198.51.100.200 d41d8cd98f00b204e9800998ecf8427e');
    for (let cut = 1; cut < text.length; cut += 3) {
      const stream = search.stream();
      stream.feed(text.subarray(0, cut));
      stream.feed(text.subarray(cut));
      expect([...stream.finish()].sort(), `cut at ${cut}`).to.deep.equal(['198.51.100.128/25', '2001:db8::c2', 'd41d8cd98f00b204e9800998ecf8427e', 'evil.example']);
    }
  });

  it('a malformed record keeps its raw-text hits for every kind, in the fast path as under --full-parse', () => {
    const dir = writeFiles({
      'e.jsonl': [
        '{"Timestamp":"2026-05-25T10:00:00Z","RemoteIP":"10.0.0.1","ActionType":"ConnectionSuccess"}',
        '{"RemoteUrl": "https://a.evil.example/x", ',
        '{"RemoteIP":"2001:db8::c2","ActionType":"ConnectionSuccess",}',
        '{"InitiatingProcessMD5":"D41D8CD98F00B204E9800998ECF8427E","ActionType":"x",}',
        '{"RemoteUrl":"notevil.example","ActionType":"x",}',
      ].join('\n') + '\n',
    });
    for (const mode of [[], ['--full-parse']]) {
      const report = scanJson(...mode, dir);
      expect(report.hits.map((h) => [h.line, h.malformed, h.matches.map((m) => `${m.kind} ${m.ip}`)]), mode.join(' ')).to.deep.equal([
        [2, true, ['domain evil.example']],
        [3, true, ['ipv6 2001:db8::c2']],
        [4, true, ['md5 d41d8cd98f00b204e9800998ecf8427e']],
      ]);
    }
  });
});

describe('--ioc-validity', () => {
  const bundle = (validUntil: string) => JSON.stringify({
    type: 'bundle',
    id: 'bundle--00000000-0000-4000-8000-000000000000',
    objects: [
      { type: 'indicator', spec_version: '2.1', id: 'indicator--11111111-1111-4111-8111-111111111111', created: '2026-05-01T00:00:00Z', modified: '2026-05-01T00:00:00Z', pattern_type: 'stix', pattern: "[domain-name:value = 'evil.example']", valid_from: '2026-05-20T00:00:00Z', valid_until: validUntil },
      { type: 'indicator', spec_version: '2.1', id: 'indicator--22222222-2222-4222-8222-222222222222', created: '2026-05-01T00:00:00Z', modified: '2026-05-01T00:00:00Z', pattern_type: 'stix', pattern: "[ipv4-addr:value = '198.51.100.7']", valid_from: '2026-05-26T00:00:00Z' },
    ],
  });
  const run = (...args: string[]) => {
    const dir = writeFiles({ 'stix.json': bundle('2026-05-25T10:12:00Z') });
    const result = runCli(['--iocs', join(dir, 'stix.json'), '--format', 'json', '--quiet', ...args, join(KINDS, 'DeviceNetworkEvents.csv')]);
    expect(result.status, result.stderr).to.be.oneOf([0, 1]);
    return JSON.parse(result.stdout) as Report;
  };
  const verdicts = (report: Report) => report.hits.map((h) => `${h.line} ${h.time} ${h.suppressedBy ?? 'active'}`);

  it('suppresses, never hides, a hit on an IOC expired or not yet valid at the record\'s time', () => {
    // evil.example is valid until 10:12; 198.51.100.7 from the 26th on
    const without = run();
    expect(verdicts(without)).to.deep.equal(['13 2026-05-25T10:13:00.000Z active', '10 2026-05-25T10:10:00.000Z active', '2 2026-05-25T10:02:00.000Z active']);
    const judged = run('--ioc-validity');
    expect(verdicts(judged)).to.deep.equal(['13 2026-05-25T10:13:00.000Z ioc-outside-validity', '10 2026-05-25T10:10:00.000Z active', '2 2026-05-25T10:02:00.000Z ioc-outside-validity']);
    expect(judged.summary).to.include({ hits: 1, suppressed: 2 });
    expect(judged.exclusions.map((e) => e.id)).to.include('ioc-outside-validity');
    expect(judged.run!.options.iocValidity).to.equal(true);
    expect(without.run!.options).not.to.have.property('iocValidity');
  });

  it('shows each IOC\'s validity on its hits in the text report', () => {
    const dir = writeFiles({ 'stix.json': bundle('2026-05-25T10:12:00Z') });
    const text = runCli(['--iocs', join(dir, 'stix.json'), join(KINDS, 'DeviceNetworkEvents.csv')]).stdout.replace(/\s+/g, ' ');
    expect(text).to.contain('IOC domain evil.example (subdomain cdn.evil.example) [valid from 2026-05-20T00:00:00Z, valid until');
  });

  it('merge refuses reports made with and without it', () => {
    const dir = tempDir();
    const save = (name: string, report: Report) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(report));
      return path;
    };
    const merged = runCli(['merge', save('a.json', run()), save('b.json', run('--ioc-validity'))]);
    expect(merged.status).to.equal(2);
    expect(merged.stderr).to.contain('ioc-outside-validity');
  });
});
