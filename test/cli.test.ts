import { expect } from 'chai';
import { symlinkSync, mkdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { refusalCode, runCli, writeFiles, CSL_HEADER } from './helpers.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import type { Report } from '../lib/report/report.js';

const hitCsv = `${CSL_HEADER}\n2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,179.43.139.84,443,,,,,\n`;
const cleanCsv = `${CSL_HEADER}\n2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,8.8.8.8,53,,,,,\n`;

describe('the perlbot-hunt command', () => {
  it('exits 1 and prints the hit in the text listing when an active hit is found', () => {
    const dir = writeFiles({ 'a.csv': hitCsv });
    const run = runCli([dir]);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.include('179.43.139.84');
    expect(run.stdout).to.include(`${join(dir, 'a.csv')}:2`);
  });

  it('exits 0 with no hit, and writes a JSON report of the documented shape', () => {
    const dir = writeFiles({ 'a.csv': cleanCsv });
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(0);
    const report = JSON.parse(run.stdout) as Report;
    // the keys docs/output.md lists, then `run` (provenance: options, IOC and exclusion sets with their SHA-256)
    expect(Object.keys(report)).to.deep.equal(['tool', 'startedAt', 'finishedAt', 'iocs', 'exclusions', 'files', 'summary', 'hits', 'run']);
    expect(report.tool.name).to.equal('perlbot-hunt');
    expect(report.tool.version).to.equal(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    expect(Date.parse(report.startedAt)).to.be.at.most(Date.parse(report.finishedAt));
    expect(report.iocs).to.deep.equal([
      { ip: '179.43.139.84', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 75, firstSeen: '2026-05-21' },
      { ip: '179.43.139.86', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 80, firstSeen: '2026-05-21' },
    ]);
    expect(report.exclusions.map((e) => e.id)).to.deep.equal(['backup-rsync-tar', 'cron-log-parser', 'admin-config-gen', 'ci-test-script', 'devops-config-manage']);
    expect(report.exclusions[1].description).to.match(/cron or systemd/);
    const file = join(dir, 'a.csv');
    expect(report.files).to.deep.equal([{
      path: file, format: 'csv', compressed: false, table: 'CommonSecurityLog', records: 1,
      bytes: statSync(file).size, sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), errors: [],
      // its one record holds no IOC text: counted on the fast path, its raw text searched
      searched: { knownTable: 0, unknownTable: 0, rawText: 1 }, beforeWindow: 0, afterWindow: 0,
    }]);
    expect(report.summary).to.deep.equal({
      files: 1, records: 1, hits: 0, suppressed: 0, errors: 0,
      perIoc: [{ ip: '179.43.139.84', port: 443, hits: 0, suppressed: 0 }, { ip: '179.43.139.86', port: 443, hits: 0, suppressed: 0 }],
      outsideWindow: 0, beforeWindow: 0, afterWindow: 0,
      searched: { files: { knownTable: 1, unknownTable: 0, rawText: 0 }, records: { knownTable: 0, unknownTable: 0, rawText: 1 } },
      notSearched: { files: 0, skipped: 0, unreadable: 0, records: 0 },
    });
  });

  it('writes one hit per line with --format ndjson', () => {
    const dir = writeFiles({ 'a.csv': hitCsv, 'b.csv': hitCsv.replace('179.43.139.84', '179.43.139.86') });
    const run = runCli(['--format', 'ndjson', dir]);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((h) => h.matches[0].ip).sort()).to.deep.equal(['179.43.139.84', '179.43.139.86']);
    expect(lines[0]).to.have.keys(['file', 'line', 'record', 'table', 'time', 'matches', 'suppressedBy', 'malformed', 'fields', 'context']);
  });

  it('exits 3 when nothing is hit but an input could not be read', () => {
    const dir = writeFiles({ 'a.csv': cleanCsv });
    const run = runCli(['--format', 'json', dir, join(dir, 'missing.csv')]);
    expect(run.status).to.equal(3);
    const report = JSON.parse(run.stdout) as Report;
    const missing = report.files.find((f) => f.path.endsWith('missing.csv'))!;
    expect(missing.errors).to.deep.equal([{ line: null, message: 'no such file or directory' }]);
    expect(report.summary.errors).to.equal(1);
  });

  it('exits 1, not 3, when there is an active hit and an unreadable input', () => {
    const dir = writeFiles({ 'a.csv': hitCsv });
    expect(runCli([dir, join(dir, 'missing.csv')]).status).to.equal(1);
  });

  it('exits 2 when every named path is missing or nothing matched', () => {
    const dir = writeFiles({});
    const missing = runCli([join(dir, 'nope.csv'), join(dir, 'nope2.json')]);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.match(/nothing to scan/);
    expect(runCli([join(dir, '*.csv')]).status).to.equal(2);
    expect(runCli([dir]).status).to.equal(2);
  });

  it('exits 2 on bad usage, naming the problem', () => {
    const dir = writeFiles({ 'a.csv': hitCsv });
    for (const args of [['--format', 'xml', dir], ['--table', 'SecurityEvent', dir], ['--since', 'yesterday', dir], ['--bogus', dir], []]) {
      const run = runCli(args);
      expect(run.status, args.join(' ')).to.equal(2);
      expect(run.stderr).to.match(/perlbot-hunt: /);
      expect(run.stdout).to.equal('');
    }
  });

  it('names the --jobs value as typed when it is not a thread count', () => {
    const dir = writeFiles({ 'a.csv': hitCsv });
    for (const value of ['abc', '', '0', '65', '1.5', '0x4']) {
      expect(refusalCode(() => normalizeOptions({ paths: [dir], jobs: value })), value).to.equal('USAGE_JOBS');
    }
    const run = runCli(['--jobs', '0x4', dir]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('--jobs must be a whole number from 1 to 64, not "0x4"');
    expect(runCli(['--jobs', '3', '--format', 'json', dir]).status).to.equal(1);
  });

  it('walks hidden folders, follows a symlink once and reports a loop instead of hanging', () => {
    const dir = writeFiles({ '.hidden/deep/a.csv': hitCsv, 'notes.txt': hitCsv, 'b.csv.gz': hitCsv });
    symlinkSync(dir, join(dir, '.hidden', 'loop'));
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'c.tsv'), cleanCsv);
    symlinkSync(join(dir, 'other'), join(dir, 'again'));
    const run = runCli(['--format', 'json', dir]);
    const report = JSON.parse(run.stdout) as Report;
    const names = report.files.map((f) => f.path.slice(dir.length + 1));
    expect(names).to.have.members(['.hidden/deep/a.csv', '.hidden/loop', 'again/c.tsv', 'b.csv.gz', 'notes.txt']);
    expect(report.files.find((f) => f.path.endsWith('notes.txt'))!.skipped).to.equal('extension');
    const loop = report.files.find((f) => f.path.endsWith('loop'))!;
    expect(loop.errors[0].message).to.match(/symbolic link loop/);
    expect(report.summary.hits).to.equal(2);
    expect(run.status).to.equal(1);
  });

  it('honours no ignore file: a sweep must not skip evidence', () => {
    const dir = writeFiles({ '.gitignore': '*.csv\n', '.ignore': '*\n', '.rgignore': '*\n', 'logs/a.csv': hitCsv });
    const report = JSON.parse(runCli(['--format', 'json', dir]).stdout) as Report;
    expect(report.files.filter((f) => f.skipped === undefined).map((f) => f.path.slice(dir.length + 1))).to.deep.equal(['logs/a.csv']);
    // the ignore files themselves are named as skipped, not honoured
    expect(report.files.filter((f) => f.skipped !== undefined).map((f) => f.path.slice(dir.length + 1))).to.deep.equal(['.gitignore', '.ignore', '.rgignore']);
    expect(report.summary.hits).to.equal(1);
  });

  it('scans a file named explicitly whatever its extension, sniffing its content', () => {
    const dir = writeFiles({ 'evidence.txt': hitCsv, 'events.log': JSON.stringify({ RemoteIP: '179.43.139.86', ActionType: 'ConnectionSuccess', Timestamp: '2026-01-01T00:00:00Z' }) });
    const report = JSON.parse(runCli(['--format', 'json', join(dir, 'evidence.txt'), join(dir, 'events.log')]).stdout) as Report;
    expect(report.files.map((f) => [f.format, f.table])).to.deep.equal([['csv', 'CommonSecurityLog'], ['ndjson', 'DeviceNetworkEvents']]);
    expect(report.summary.hits).to.equal(2);
  });

  it('expands glob patterns, hidden files included', () => {
    const dir = writeFiles({ 'x/a.csv': hitCsv, 'x/.b.csv': hitCsv, 'x/c.json': '[]' });
    const report = JSON.parse(runCli(['--format', 'json', `${dir}/x/*.csv`]).stdout) as Report;
    expect(report.files.map((f) => f.path.split('/').pop())).to.deep.equal(['.b.csv', 'a.csv']);
  });

  it('warns on standard error about a file of no catalogued table, not in the report stream', () => {
    const dir = writeFiles({ 'syslog.csv': 'Computer,SyslogMessage\nh,x\n' });
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(0);
    expect(run.stderr).to.match(/warning: .*syslog\.csv: no catalogued table \(use --table to force one\): its records were searched by the unknown-table rule/);
    expect(JSON.parse(run.stdout).files[0].table).to.equal('unknown');
  });
});
