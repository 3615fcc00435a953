import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CSL_HEADER, refusalCode, ROOT, runCli, writeFiles } from './helpers.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import type { HuntErrorCode } from '../lib/errors/hunt-error.js';
import { loadIocs } from '../lib/iocs/load-iocs.js';
import { refang } from '../lib/iocs/defang.js';
import { splitQuotedLine } from '../lib/iocs/threatfox-csv.js';
import type { Report } from '../lib/report/report.js';

// --iocs FILE (docs/iocs.md): ThreatFox's CSV and JSON exports and plain
// lists, what is used, what is counted apart, and bad files stopping the run.

const THREATFOX = join(ROOT, 'test', 'data', 'threatfox');
const CSV = join(THREATFOX, 'recent.csv');
const JSON_EXPORT = join(THREATFOX, 'recent.json');

/** The IOCs of both exports, every kind, newest first as ThreatFox lists them. */
const EXPORTED = [
  { ip: '203.0.113.199', port: 8080, threatType: 'botnet_cc', malware: 'Cobalt Strike', confidence: 100, firstSeen: '2026-05-27T22:41:09Z' },
  { ip: 'update-check.example.net', port: null, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 50, firstSeen: '2026-05-27T18:02:55Z' },
  { ip: 'http://198.51.100.223/bins/pb.pl', port: null, threatType: 'payload_delivery', malware: 'PerlBot', confidence: 75, firstSeen: '2026-05-26T11:30:12Z' },
  { ip: '8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0', port: null, threatType: 'payload', malware: 'PerlBot', confidence: 100, firstSeen: '2026-05-25T08:19:44Z' },
  { ip: '198.51.100.161', port: 6667, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 25, firstSeen: '2026-05-22T14:05:31Z' },
  { ip: '179.43.139.86', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 80, firstSeen: '2026-05-21T09:14:37Z' },
  { ip: '179.43.139.84', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 75, firstSeen: '2026-05-21T09:14:37Z' },
];

function entries(path: string) {
  return loadIocs({ kind: 'files', paths: [path] }, null).set.iocs.map(({ ip, port, threatType, malware, confidence, firstSeen }) => ({ ip, port, threatType, malware, confidence, firstSeen }));
}

/** A CommonSecurityLog export with one connection to each address given. */
function logWith(...destinations: string[]): string {
  const rows = destinations.map((d, i) => `2026-05-28T10:0${i}:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.${i + 5},50000,${d},,,,,,`);
  return writeFiles({ 'firewall.csv': [CSL_HEADER, ...rows].join('\n') + '\n' });
}

describe('IOC files (--iocs)', () => {
  describe('ThreatFox exports', () => {
    it('reads the CSV export: banner, commented header, ", " separators, None, CRLF, closing entry count', () => {
      expect(entries(CSV)).to.deep.equal(EXPORTED);
    });

    it('reads the JSON export (keyed by IOC id) to the same IOCs', () => {
      expect(entries(JSON_EXPORT)).to.deep.equal(EXPORTED);
    });

    it('uses the domain, URL and hash entries too (none is "not applicable"), and records the file in the run record', () => {
      const { set, notices } = loadIocs({ kind: 'files', paths: [CSV] }, null);
      const sha256 = createHash('sha256').update(readFileSync(CSV)).digest('hex');
      expect(set.provenance).to.deep.equal({
        origin: CSV,
        sha256,
        files: [{ path: CSV, sha256, format: 'threatfox-csv', entries: 7, used: 7, duplicates: 0, notApplicable: {}, errors: [] }],
      });
      expect(set.iocs.map((i) => i.kind)).to.deep.equal(['ipv4', 'domain', 'url', 'sha256', 'ipv4', 'ipv4', 'ipv4']);
      expect(notices).to.deep.equal([`${CSV} (threatfox-csv): 7 entries: 7 used`]);
    });

    it('finds columns by the header, whatever columns ThreatFox adds or drops', () => {
      const dir = writeFiles({
        'old.csv': [
          '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"',
          '"2024-07-16 05:25:36", "1301610", "192.0.2.44:7777", "ip:port", "botnet_cc", "win.cobalt_strike", "None", "Cobalt Strike", "", "100", "None", "CobaltStrike", "0", "abuse_ch"',
        ].join('\n'),
      });
      expect(entries(join(dir, 'old.csv'))).to.deep.equal([{ ip: '192.0.2.44', port: 7777, threatType: 'botnet_cc', malware: 'Cobalt Strike', confidence: 100, firstSeen: '2024-07-16T05:25:36Z' }]);
    });

    it('splits quoted fields with doubled quotes and spaces after commas', () => {
      expect(splitQuotedLine('"a", "b ""c""", "", None,"d,e"')).to.deep.equal(['a', 'b "c"', '', 'None', 'd,e']);
      expect(splitQuotedLine('"a", "unclosed')).to.equal(null);
    });

    it('reads a saved ThreatFox API answer and this tool\'s own iocs.json layout', () => {
      const dir = writeFiles({
        'api.json': JSON.stringify({ query_status: 'ok', data: [{ id: '1', ioc: '192.0.2.9:443', ioc_type: 'ip:port', threat_type: 'botnet_cc', malware_printable: 'PerlBot', confidence_level: 90, first_seen: '2026-05-20 01:02:03 UTC' }] }),
        'own.json': readFileSync(join(ROOT, 'lib', 'data', 'iocs.json')),
      });
      expect(entries(join(dir, 'api.json'))).to.deep.equal([{ ip: '192.0.2.9', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 90, firstSeen: '2026-05-20T01:02:03Z' }]);
      expect(entries(join(dir, 'own.json')).map((i) => `${i.ip}:${i.port}`)).to.deep.equal(['179.43.139.84:443', '179.43.139.86:443']);
    });
  });

  describe('plain lists', () => {
    it('undoes the common defangings', () => {
      expect(refang('179[.]43[.]139[.]84:443')).to.equal('179.43.139.84:443');
      expect(refang('179(.)43{.}139[dot]84[:]443')).to.equal('179.43.139.84:443');
      expect(refang('hxxp://1.2.3.4/')).to.equal('http://1.2.3.4/');
      expect(refang('hXXps[://]evil[.]example/x')).to.equal('https://evil.example/x');
    });

    it('takes every line by its shape (a URL on an IP stays a URL IOC, no longer an ip:port); reports a bad line by number', () => {
      const dir = writeFiles({
        'list.txt': [
          '# PerlBot C2, from the incident ticket',
          '179[.]43[.]139[.]84:443',
          '179.43.139.86   # the second C2, any port',
          '',
          'hxxp://198[.]51[.]100[.]7/',
          'hxxps://198.51.100.8:8443/gate.php',
          'evil[.]example[.]net',
          'hxxp://evil.example.net/pb.pl',
          'd41d8cd98f00b204e9800998ecf8427e',
          '179.43.139.300',
        ].join('\n'),
      });
      const path = join(dir, 'list.txt');
      const { set, warnings } = loadIocs({ kind: 'files', paths: [path] }, null);
      expect(set.iocs.map((i) => [i.kind, i.ip, i.port])).to.deep.equal([
        ['ipv4', '179.43.139.84', 443],
        ['ipv4', '179.43.139.86', null],
        ['url', 'http://198.51.100.7/', null],
        ['url', 'https://198.51.100.8:8443/gate.php', null],
        ['domain', 'evil.example.net', null],
        ['url', 'http://evil.example.net/pb.pl', null],
        ['md5', 'd41d8cd98f00b204e9800998ecf8427e', null],
      ]);
      expect(set.provenance.files![0]).to.include({ format: 'plain-list', entries: 8, used: 7 });
      expect(set.provenance.files![0].notApplicable).to.deep.equal({});
      expect(warnings).to.deep.equal([`${path}:10: "179.43.139.300" is not an IP, ip:port, URL, domain or hash`]);
    });
  });

  describe('on the command line', () => {
    it('replaces the built-in set: an address only the ThreatFox export names is a hit, and the report says where the IOCs came from', () => {
      const logs = logWith('203.0.113.199');
      const builtin = runCli(['--format', 'json', logs]);
      expect(builtin.status).to.equal(0);
      const loaded = runCli(['--iocs', CSV, '--format', 'json', logs]);
      expect(loaded.status, loaded.stderr).to.equal(1);
      const report = JSON.parse(loaded.stdout) as Report;
      expect(report.hits.map((h) => h.matches[0])).to.deep.equal([{ field: 'DestinationIP', ip: '203.0.113.199', port: null, portMatch: null }]);
      // each IOC says its kind, where it is written and its validity
      expect(report.iocs.map(({ ip, port, threatType, malware, confidence, firstSeen }) => ({ ip, port, threatType, malware, confidence, firstSeen }))).to.deep.equal(EXPORTED);
      expect(report.iocs[2]).to.deep.include({ kind: 'url', sourceFile: CSV, line: 12, validFrom: null, validUntil: null, lastSeen: '2026-05-27T03:11:40Z' });
      expect(report.summary.perIoc.map((p) => `${p.kind}:${p.ip}:${p.port}=${p.hits}`)).to.deep.equal([
        'ipv4:203.0.113.199:8080=1', 'domain:update-check.example.net:null=0', 'url:http://198.51.100.223/bins/pb.pl:null=0',
        'sha256:8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0:null=0',
        'ipv4:198.51.100.161:6667=0', 'ipv4:179.43.139.86:443=0', 'ipv4:179.43.139.84:443=0',
      ]);
      expect(report.run!.iocSet.files![0].notApplicable).to.deep.equal({});
      expect(loaded.stderr).to.contain('7 entries: 7 used');
    });

    it('is repeatable: the files\' IOCs are joined, an ip:port given twice looked for once', () => {
      const dir = writeFiles({ 'extra.txt': '192.0.2.50:4444\n179.43.139.84:443\n' });
      const run = runCli(['--iocs', JSON_EXPORT, '--iocs', join(dir, 'extra.txt'), '--format', 'json', logWith('192.0.2.50')]);
      expect(run.status, run.stderr).to.equal(1);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.iocs.filter((i) => i.kind === 'ipv4').map((i) => `${i.ip}:${i.port}`)).to.deep.equal(['203.0.113.199:8080', '198.51.100.161:6667', '179.43.139.86:443', '179.43.139.84:443', '192.0.2.50:4444']);
      expect(report.run!.iocSet.files!.map((f) => [f.used, f.duplicates])).to.deep.equal([[7, 0], [1, 1]]);
      expect(report.run!.iocSet.sha256).to.equal(null);
    });

    it('--min-confidence drops IOCs below it, so their connections are no longer hits', () => {
      const logs = logWith('198.51.100.161', '179.43.139.84');
      const all = JSON.parse(runCli(['--iocs', CSV, '--format', 'json', logs]).stdout) as Report;
      expect(all.summary.hits).to.equal(2);
      const run = runCli(['--iocs', CSV, '--min-confidence', '76', '--format', 'json', logs]);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.iocs.map((i) => i.confidence)).to.deep.equal([100, 100, 80]);
      expect(report.summary.hits).to.equal(0);
      expect(run.status).to.equal(0);
      expect(report.run!.iocSet).to.include({ minConfidence: 76, belowConfidence: 4 });
      expect(run.stderr).to.contain('--min-confidence 76: 4 of 7 IOCs dropped');
    });

    it('--min-confidence applies to the built-in set too, and keeps IOCs whose confidence is unknown', () => {
      const builtin = JSON.parse(runCli(['--min-confidence', '80', '--format', 'json', logWith('179.43.139.84')]).stdout) as Report;
      expect(builtin.iocs.map((i) => i.ip)).to.deep.equal(['179.43.139.86']);
      const dir = writeFiles({ 'list.txt': '179.43.139.84\n' });
      const run = runCli(['--iocs', join(dir, 'list.txt'), '--min-confidence', '90', '--format', 'json', logWith('179.43.139.84')]);
      expect(run.status).to.equal(1);
      expect(run.stderr).to.contain('1 with no stated confidence kept');
    });

    it('refuses IOC files that cannot be used, each with its code', () => {
      const dir = writeFiles({
        'domains.txt': 'no-ioc-here\n# nothing else\n',
        'broken.json': '{\n  "1": [\n    {"ioc_value": "1.2.3.4:80",\n  ]\n}\n',
        'odd.json': '{"layout": "none"}',
        'garbage.txt': 'not an ioc\n',
        'v6.txt': '2001:db8::1\n',
      });
      const files = (...names: string[]) => ({ kind: 'files', paths: names.map((name) => join(dir, name)) }) as const;
      const cases: Array<[() => unknown, HuntErrorCode]> = [
        [() => loadIocs(files('domains.txt'), null), 'IOC_FILE_NO_USABLE_IOC'],
        [() => loadIocs(files('broken.json'), null), 'IOC_FILE_NOT_JSON'],
        [() => loadIocs(files('odd.json'), null), 'IOC_FILE_LAYOUT'],
        [() => loadIocs(files('garbage.txt'), null), 'IOC_FILE_NO_USABLE_IOC'],
        [() => loadIocs(files('missing.csv'), null), 'IOC_FILE_UNREADABLE'],
        [() => loadIocs({ kind: 'files', paths: [CSV] }, 101), 'IOC_FILE_BELOW_CONFIDENCE'],
        [() => normalizeOptions({ paths: ['x.csv'], iocs: [CSV], minConfidence: '101' }), 'USAGE_MIN_CONFIDENCE'],
        [() => loadIocs({ kind: 'files', paths: [CSV, join(dir, 'domains.txt')] }, 100), 'IOC_FILE_NO_USABLE_IOC'],
      ];
      for (const [load, code] of cases) expect(refusalCode(load), code).to.equal(code);
    });

    it('stops with exit 2 before scanning, naming the file and the line, when IOCs cannot be used', () => {
      const dir = writeFiles({ 'broken.json': '{\n  "1": [\n    {"ioc_value": "1.2.3.4:80",\n  ]\n}\n' });
      const run = runCli(['--iocs', join(dir, 'broken.json'), logWith('179.43.139.84')]);
      expect(run.status).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.match(new RegExp(`^perlbot-hunt: cannot use the IOCs: ${join(dir, 'broken.json')}: not valid JSON at line 4 `));
    });
  });
});
