import { expect } from 'chai';
import { join } from 'node:path';
import { CSL_HEADER, ROOT, runCli, writeFiles } from './helpers.js';
import { loadIocs, type LoadedIocs } from '../lib/iocs/load-iocs.js';
import { readStixPattern } from '../lib/iocs/stix-pattern.js';
import type { Report } from '../lib/report/report.js';

// IOC feeds (--iocs): STIX 2.1 bundles, MISP event JSON and CSV, ThreatFox
// exports of every ioc_type and defanged plain lists all give typed
// indicators in canonical form, and every one is in the set the matchers
// look for.

const FEEDS = join(ROOT, 'test', 'data', 'feeds');
const feed = (name: string) => join(FEEDS, name);

function load(paths: string[], options = {}, minConfidence: number | null = null): LoadedIocs {
  return loadIocs({ kind: 'files', paths }, minConfidence, options);
}

/** `kind value[:port]` of each indicator, in file order. */
function kinds(loaded: LoadedIocs): string[] {
  return loaded.indicators.map((i) => `${i.kind} ${i.value}${i.port === null ? '' : ` :${i.port}`}`);
}

function matcher(loaded: LoadedIocs): string[] {
  return loaded.set.iocs.map((i) => `${i.ip}:${i.port ?? '*'}`);
}

/** A CommonSecurityLog export with one connection to each address given. */
function logWith(...destinations: string[]): string {
  const rows = destinations.map((d, i) => `2026-05-28T10:0${i}:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.${i + 5},50000,${d},443,,,,,`);
  return writeFiles({ 'firewall.csv': [CSL_HEADER, ...rows].join('\n') + '\n' });
}

/** The MISP attributes of the fixtures (JSON and CSV hold the same), as indicators. */
const MISP_INDICATORS = [
  'ipv4 179.43.139.84 :443',
  'ipv4 179.43.139.86',
  'ipv6 2001:db8::bad:1',
  'cidr 203.0.113.0/25',
  'domain c2.evil.example',
  'domain update.evil.example',
  'domain cdn.evil.example',
  'ipv4 198.51.100.44',
  'url https://payload.example/bins/pb.pl',
  'md5 0123456789abcdef0123456789abcdef',
  'sha1 0123456789abcdef0123456789abcdef01234567',
  'sha256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
  'ipv6 2001:db8::c2 :6667',
  'sha256 aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111',
  'md5 fedcba9876543210fedcba9876543210',
];

describe('IOC feeds', () => {
  describe('STIX 2.1 bundles', () => {
    const loaded = load([feed('stix-bundle.json')]);
    const record = loaded.set.provenance.files![0];

    it('reads every supported pattern form into canonical indicators: OR splits, address AND port is ip:port, IN lists, ISSUBSET ranges', () => {
      expect(record.format).to.equal('stix-bundle');
      expect(kinds(loaded)).to.deep.equal([
        'ipv4 179.43.139.84 :443',
        'ipv4 179.43.139.86 :443',
        'ipv6 2001:db8::c2',
        'ipv6 2001:db8::c3 :8443',
        'cidr 198.51.100.0/24',
        'cidr 2001:db8:bad::/48',
        'domain c2.evil.example',
        'url http://payload.example/bins/pb.pl',
        'url https://payload.example/gate.php',
        'sha256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
        'md5 0123456789abcdef0123456789abcdef',
        'sha1 0123456789abcdef0123456789abcdef01234567',
        'ipv4 203.0.113.50',
      ]);
    });

    it('keeps the indicator id, name, labels, confidence, validity and the malware it indicates', () => {
      expect(loaded.indicators[0]).to.deep.equal({
        kind: 'ipv4',
        value: '179.43.139.84',
        port: 443,
        threatType: 'malicious-activity',
        malware: 'PerlBot',
        confidence: 75,
        firstSeen: null,
        lastSeen: null,
        validFrom: '2026-05-21T09:14:37Z',
        validUntil: '2026-08-21T00:00:00Z',
        labels: ['perlbot', 'c2'],
        name: 'PerlBot C2 servers',
        sourceId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        sourceFile: feed('stix-bundle.json'),
        line: 26,
      });
    });

    it('sets aside revoked indicators, other pattern types and patterns it cannot read, counted, each named by its id', () => {
      expect(record.notUsed).to.deep.equal({ revoked: 1, 'pattern type not stix': 1, 'pattern not supported': 1, 'pattern part not supported': 2 });
      expect(matcher(loaded)).to.not.include('203.0.113.7:*'); // the revoked one
      const path = feed('stix-bundle.json');
      expect(loaded.warnings).to.deep.equal([
        `${path}:109: indicator--f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b06 not used, pattern part not supported: process:name = 'perl' AND process:parent_ref.name = 'httpd'`,
        `${path}:120: indicator--a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c07 not used, pattern not supported: "FOLLOWEDBY" between observation expressions (only OR of [ … ] is used: AND, FOLLOWEDBY and qualifiers are not): [ipv4-addr:value = '203.0.113.9'] FOLLOWEDBY [domain-name:value = 'next.example'] WITHIN 300 SECONDS`,
        `${path}:131: indicator--b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d08 not used, pattern type not stix: pattern_type "sigma"`,
        `${path}:142: indicator--c9d0e1f2-a3b4-4c5d-8e6f-7a8b9c0d1e09 not used, pattern part not supported: file:name = 'pb.pl'`,
      ]);
      expect(loaded.notices[0]).to.contain('5 not used (1 pattern not supported, 2 pattern part not supported, 1 pattern type not stix, 1 revoked)');
    });

    it('hands every indicator to the matchers: none is counted as not applicable', () => {
      expect(matcher(loaded)).to.deep.equal(kinds(loaded).map((k) => { const [, value, port] = k.split(' '); return `${value}:${port?.slice(1) ?? '*'}`; }));
      expect(matcher(loaded)).to.include.members(['179.43.139.84:443', '2001:db8:bad::/48:*', 'c2.evil.example:*', '0123456789abcdef0123456789abcdef:*']);
      expect(record.notApplicable).to.deep.equal({});
    });
  });

  describe('STIX patterns', () => {
    const read = (pattern: string) => readStixPattern(pattern);

    it('uses an AND-group whole or not at all: a dropped part would widen the IOC', () => {
      expect(read("[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 443]")).to.deep.equal({
        iocs: [{ type: 'network-traffic', value: '198.51.100.7:443', expect: 'address' }],
        notUsed: [],
      });
      expect(read("[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:protocols[*] = 'tcp']")).to.deep.equal({
        iocs: [],
        notUsed: ["network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:protocols[*] = 'tcp'"],
      });
      expect(read("[ipv4-addr:value != '198.51.100.7']")).to.deep.equal({ iocs: [], notUsed: ["ipv4-addr:value != '198.51.100.7'"] });
    });

    it('distributes AND over OR: each address with the port', () => {
      const reading = read("[(network-traffic:dst_ref.value = '198.51.100.7' OR network-traffic:dst_ref.value = '2001:db8::7') AND network-traffic:dst_port = 8443]");
      expect(reading).to.deep.equal({
        iocs: [
          { type: 'network-traffic', value: '198.51.100.7:8443', expect: 'address' },
          { type: 'network-traffic', value: '[2001:db8::7]:8443', expect: 'address' },
        ],
        notUsed: [],
      });
    });

    it('reads quoted keys and escaped quotes in strings', () => {
      expect(read("[file:hashes.'SHA-256' = 'ab' OR domain-name:value = 'it\\'s.example']")).to.deep.equal({
        iocs: [
          { type: "file:hashes.'SHA-256'", value: 'ab', expect: 'sha256' },
          { type: 'domain-name:value', value: "it's.example", expect: 'domain' },
        ],
        notUsed: [],
      });
    });

    it('refuses observation operators and qualifiers, broken and oversized patterns, without throwing', () => {
      expect(read("[ipv4-addr:value = '198.51.100.7'] AND [ipv4-addr:value = '198.51.100.8']")).to.have.property('error').that.match(/"AND" between observation expressions/);
      expect(read("[ipv4-addr:value = '198.51.100.7'] REPEATS 5 TIMES")).to.have.property('error');
      expect(read("[ipv4-addr:value = '198.51.100.7")).to.have.property('error');
      expect(read("[ipv4-addr:value = '198.51.100.7']]")).to.have.property('error');
      expect(read(`[ipv4-addr:value = '${'1'.repeat(20000)}']`)).to.have.property('error').that.match(/at most 16384/);
    });

    it('hostile nesting and alternatives stay bounded: no recursion, no blow-up', () => {
      const deep = `[${'('.repeat(5000)}ipv4-addr:value = '198.51.100.7'${')'.repeat(5000)}]`;
      expect(read(deep)).to.deep.equal({ iocs: [{ type: 'ipv4-addr:value', value: '198.51.100.7', expect: 'address' }], notUsed: [] });
      // (a OR b) AND (c OR d) AND … : 2^n alternatives if expanded blindly
      const product = `[${Array.from({ length: 12 }, (_, i) => `(network-traffic:dst_port = ${i} OR network-traffic:dst_port = ${i + 100})`).join(' AND ')}]`;
      expect(read(product)).to.have.property('error').that.match(/more than 512 alternatives/);
    });
  });

  describe('MISP', () => {
    it('reads an event export: attributes and object attributes of every supported type, composites split', () => {
      const loaded = load([feed('misp-event.json')]);
      expect(loaded.set.provenance.files![0].format).to.equal('misp-json');
      expect(kinds(loaded)).to.deep.equal(MISP_INDICATORS);
      expect(loaded.indicators[0]).to.deep.include({
        sourceId: '5f1e0001-0c2d-4e8a-9b7c-000000000001',
        name: 'PerlBot campaign, May 2026',
        threatType: 'Network activity',
        firstSeen: '2026-05-21T09:14:37.000000+00:00',
        labels: ['tlp:green', 'misp-galaxy:malpedia="PerlBot"'],
      });
      expect(loaded.indicators.at(-2)!.labels).to.include('filename:pb.pl');
    });

    it('sets aside to_ids false attributes (counted) unless allAttributes; counts types it does not read; names a bad value by line', () => {
      const path = feed('misp-event.json');
      const strict = load([path]);
      const record = strict.set.provenance.files![0];
      expect(record.notUsed).to.deep.equal({ 'to_ids false': 2 });
      expect(record.notApplicable).to.include({ 'email-src': 1 });
      expect(strict.warnings).to.deep.equal([`${path}:315: "not-an-address" is typed ip-dst but is not an IP address, ip:port or CIDR range`]);
      const all = load([path], { allAttributes: true });
      expect(kinds(all)).to.include.members(['domain benign-cdn.example', 'sha1 fedcba9876543210fedcba9876543210fedcba98']);
      expect(all.set.provenance.files![0]).to.include({ entries: 19 }).and.not.have.property('notUsed');
      expect(all.set.provenance.files![0].usedByOption).to.deep.equal({ 'to_ids false': 2 });
      expect(all.notices[0]).to.contain('used as asked: 2 to_ids false');
    });

    it('reads an object of 300 000 attributes (a large feed is no crash)', () => {
      const attribute = { type: 'ip-dst', value: '192.0.2.1', to_ids: false };
      const dir = writeFiles({ 'big.json': JSON.stringify({ Event: { Attribute: [{ type: 'ip-dst', value: '192.0.2.2' }], Object: [{ Attribute: Array(300000).fill(attribute) }] } }) });
      const loaded = load([join(dir, 'big.json')]);
      expect(matcher(loaded)).to.deep.equal(['192.0.2.2:*']);
      expect(loaded.set.provenance.files![0].notUsed).to.deep.equal({ 'to_ids false': 300000 });
    });

    it('reads a list of events and a REST answer ({"response": [...]}) alike', () => {
      const event = {
        info: 'e',
        Attribute: [{ uuid: 'a1', type: 'ip-dst|port', value: '2001:db8::1|443', to_ids: true, category: 'Network activity' }],
      };
      const dir = writeFiles({
        'list.json': JSON.stringify([{ Event: event }, { Event: { ...event, Attribute: [{ uuid: 'a2', type: 'ip-dst', value: '192.0.2.1', to_ids: true }] } }]),
        'rest.json': JSON.stringify({ response: [{ Event: { ...event, Attribute: [{ uuid: 'a3', type: 'ip-src', value: '192.0.2.3', to_ids: '1' }] } }] }),
      });
      expect(kinds(load([join(dir, 'list.json')]))).to.deep.equal(['ipv6 2001:db8::1 :443', 'ipv4 192.0.2.1']);
      expect(kinds(load([join(dir, 'rest.json')]))).to.deep.equal(['ipv4 192.0.2.3']);
    });

    it('reads the CSV export (default columns, quoted text, 1/0 to_ids) to the same indicators as the JSON', () => {
      const path = feed('misp-export.csv');
      const loaded = load([path]);
      expect(loaded.set.provenance.files![0]).to.include({ format: 'misp-csv', entries: 19 });
      expect(kinds(loaded)).to.deep.equal(MISP_INDICATORS);
      expect(loaded.set.provenance.files![0].notUsed).to.deep.equal({ 'to_ids false': 2 });
      expect(loaded.indicators[0]).to.deep.include({ sourceId: '5f1e0001-0c2d-4e8a-9b7c-000000000001', labels: ['tlp:green'], line: 2 });
      expect(loaded.warnings).to.deep.equal([`${path}:16: "not-an-address" is typed ip-dst but is not an IP address, ip:port or CIDR range`]);
    });
  });

  describe('ThreatFox', () => {
    const EVERY_TYPE = [
      'ipv4 179.43.139.84 :443',
      'domain c2.evil.example',
      'url http://payload.example/bins/pb.pl',
      'md5 0123456789abcdef0123456789abcdef',
      'sha1 0123456789abcdef0123456789abcdef01234567',
      'sha256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
      'ipv4 179.43.139.86 :443',
    ];

    it('reads every ioc_type from the CSV and the JSON export alike, with ioc_id, tags and last_seen_utc', () => {
      for (const name of ['threatfox-all.csv', 'threatfox-all.json']) {
        const loaded = load([feed(name)]);
        expect(kinds(loaded), name).to.deep.equal(EVERY_TYPE);
        expect(loaded.indicators[2], name).to.deep.include({ sourceId: '1530044', lastSeen: '2026-05-28T01:02:03Z', firstSeen: '2026-05-27T21:33:02Z', labels: ['PerlBot', 'perl'], confidence: 100 });
        expect(matcher(loaded), name).to.deep.equal(EVERY_TYPE.map((k) => { const [, value, port] = k.split(' '); return `${value}:${port?.slice(1) ?? '*'}`; }));
      }
    });
  });

  describe('plain lists', () => {
    it('types each line by its shape, defanged forms undone', () => {
      const path = feed('plain-defanged.txt');
      const loaded = load([path]);
      expect(kinds(loaded)).to.deep.equal([
        'ipv4 179.43.139.84 :443',
        'ipv4 179.43.139.86',
        'ipv6 2001:db8::c2',
        'ipv6 2001:db8::c3 :8443',
        'ipv4 198.51.100.9',
        'cidr 198.51.100.0/24',
        'cidr 2001:db8:bad::/48',
        'domain evil.example',
        'domain c2.evil.example',
        'url https://evil.example/x',
        'url http://payload.example/bins/pb.pl',
        'sha256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
        'sha1 0123456789abcdef0123456789abcdef01234567',
        'md5 0123456789abcdef0123456789abcdef',
      ]);
      // an IPv4-mapped IPv6 address is its IPv4 address, for the matcher too
      expect(matcher(loaded).slice(0, 5)).to.deep.equal(['179.43.139.84:443', '179.43.139.86:*', '2001:db8::c2:*', '2001:db8::c3:8443', '198.51.100.9:*']);
      expect(loaded.set.iocs.map((i) => i.kind)).to.deep.equal(loaded.indicators.map((i) => i.kind));
      expect(loaded.set.provenance.files![0].notApplicable).to.deep.equal({});
      expect(loaded.warnings).to.deep.equal([`${path}:16: "not an indicator" is not an IP, ip:port, URL, domain or hash`]);
    });
  });

  describe('the IOC set in force', () => {
    it('lists each indicator once across files, with its first metadata; --min-confidence applies to every kind', () => {
      const both = load([feed('threatfox-all.csv'), feed('stix-bundle.json')]);
      const domains = both.indicators.filter((i) => i.value === 'c2.evil.example');
      expect(domains.map((i) => [i.sourceFile, i.confidence])).to.deep.equal([[feed('threatfox-all.csv'), 50]]);
      const confident = load([feed('threatfox-all.csv')], {}, 60);
      expect(kinds(confident)).to.not.include('domain c2.evil.example');
      expect(kinds(confident)).to.include('url http://payload.example/bins/pb.pl');
    });

    it('lists the built-in set as its two IPv4 ip:port indicators', () => {
      const builtin = loadIocs({ kind: 'builtin' }, null);
      expect(kinds(builtin)).to.deep.equal(['ipv4 179.43.139.84 :443', 'ipv4 179.43.139.86 :443']);
      expect(builtin.indicators[0]).to.include({ malware: 'PerlBot', sourceFile: 'built-in' });
    });
  });

  describe('on the command line', () => {
    it('an IPv6 IOC file is used: its addresses are hits in any spelling, the port paired', () => {
      const dir = writeFiles({ 'v6.txt': '2001:db8::c2\n[2001:DB8::C3]:443\n', 'v4.txt': '198.51.100.7\n' });
      const run = runCli(['--iocs', join(dir, 'v4.txt'), '--iocs', join(dir, 'v6.txt'), '--format', 'json', logWith('198.51.100.7', '2001:0DB8:0:0:0:0:0:C3', '[2001:db8::c2%eth0]')]);
      expect(run.status, run.stderr).to.equal(1);
      expect(run.stderr).to.contain('v6.txt (plain-list): 2 entries: 2 used');
      const report = JSON.parse(run.stdout) as Report;
      expect(report.hits.map((h) => h.matches[0])).to.deep.equal([
        { field: 'DestinationIP', ip: '2001:db8::c2', port: 443, portMatch: null, kind: 'ipv6' },
        { field: 'DestinationIP', ip: '2001:db8::c3', port: 443, portMatch: true, kind: 'ipv6' },
        { field: 'DestinationIP', ip: '198.51.100.7', port: 443, portMatch: null },
      ]);
    });

    it('--all-attributes uses MISP attributes whose to_ids is false', () => {
      const dir = writeFiles({
        'event.json': JSON.stringify({
          Event: {
            info: 'context',
            Attribute: [
              { uuid: 'u1', type: 'ip-dst', value: '192.0.2.10', to_ids: true },
              { uuid: 'u2', type: 'ip-dst', value: '198.51.100.7', to_ids: false },
            ],
          },
        }),
      });
      const logs = logWith('198.51.100.7');
      const strict = runCli(['--iocs', join(dir, 'event.json'), logs]);
      expect(strict.status, strict.stderr).to.equal(0);
      expect(strict.stderr).to.contain('1 not used (1 to_ids false)');
      const all = runCli(['--iocs', join(dir, 'event.json'), '--all-attributes', logs]);
      expect(all.status, all.stderr).to.equal(1);
      expect(all.stderr).to.contain('used as asked: 1 to_ids false');
    });

    it('the text report lists what each feed set aside, and why', () => {
      const run = runCli(['--iocs', feed('stix-bundle.json'), '--format', 'text', '--no-color', logWith('192.0.2.1')]);
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout.replace(/\s+/g, ' ')).to.contain('not used: 1 revoked, 2 pattern part not supported, 1 pattern not supported, 1 pattern type not stix');
    });

    it('control characters from an IOC file never reach the terminal', () => {
      const dir = writeFiles({ 'list.txt': '198.51.100.7\n\u001b[2J\u001b]0;pwned\u0007\n' });
      const run = runCli(['--iocs', join(dir, 'list.txt'), logWith('192.0.2.1')]);
      expect(run.stderr).to.not.match(/\u001b/);
      expect(run.stderr).to.contain('\\x1b[2J');
    });
  });
});
