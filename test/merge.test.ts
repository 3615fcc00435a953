import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, FIXTURES, refusalCode, runCli, writeFiles, tempDir } from './helpers.js';
import { readReport } from '../lib/merge/read-report.js';
import { mergeReports } from '../lib/merge/merge-reports.js';
import type { HuntErrorCode } from '../lib/errors/hunt-error.js';
import type { Hit, Report } from '../lib/report/report.js';
import { compareHits } from '../lib/sink/report-builder.js';

// `perlbot-hunt merge`: reports of one sweep made on many machines as one.

function scanTo(dir: string, name: string, ...args: string[]): string {
  const path = join(dir, name);
  const run = runCli(['--format', 'json', '--output', path, '--quiet', ...args]);
  expect(run.status, run.stderr).to.be.oneOf([0, 1]);
  return path;
}

function merge(...args: string[]) {
  const run = runCli(['merge', ...args]);
  return { ...run, report: run.status !== 2 && args.includes('json') ? (JSON.parse(run.stdout) as Report) : null };
}

const withoutReport = ({ report: _report, ...rest }: Hit) => rest;

describe('perlbot-hunt merge', () => {
  let dir: string;
  let csl: string;
  let dne: string;
  before(() => {
    dir = tempDir();
    csl = scanTo(dir, 'firewall-host.json', join(FIXTURES, 'CommonSecurityLog'));
    dne = scanTo(dir, 'defender-host.json', join(FIXTURES, 'DeviceNetworkEvents'));
  });

  it('gives what one scan of everything gives: summary and per IOC recomputed, files concatenated, every hit in time order', () => {
    const merged = merge('--format', 'json', csl, dne);
    expect(merged.status).to.equal(1);
    const whole = JSON.parse(runCli(['--format', 'json', '--quiet', join(FIXTURES, 'CommonSecurityLog'), join(FIXTURES, 'DeviceNetworkEvents')]).stdout) as Report;
    const report = merged.report!;
    expect(report.summary).to.deep.equal(whole.summary);
    expect(report.files.map(({ report: _r, ...f }) => f)).to.deep.equal(whole.files);
    expect(report.files.map((f) => f.report)).to.deep.equal([...Array(5).fill(csl), ...Array(10).fill(dne)]);
    expect(report.hits.map(withoutReport)).to.have.deep.members(whole.hits);
    expect([...report.hits].sort(compareHits)).to.deep.equal(report.hits);
    expect(report.hits.filter((h) => h.table === 'CommonSecurityLog').every((h) => h.report === csl)).to.equal(true);
    expect(report.iocs).to.deep.equal(whole.iocs);
    expect(report.exclusions).to.deep.equal(whole.exclusions);
  });

  it('records each report (its digest, counts and run) instead of one run, and the sweep\'s span', () => {
    const report = merge('--format', 'json', csl, dne).report!;
    const [a, b] = [csl, dne].map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report);
    expect(report).not.to.have.property('run');
    expect(report.merge!.reports.map((r) => [r.path, r.files, r.hits + r.suppressed, r.run?.options.paths])).to.deep.equal([
      [csl, 5, a.hits.length, a.run!.options.paths],
      [dne, 10, b.hits.length, b.run!.options.paths],
    ]);
    expect(report.merge!.reports[0].sha256).to.match(/^[0-9a-f]{64}$/);
    expect(report.startedAt).to.equal([a.startedAt, b.startedAt].sort()[0]);
    expect(report.finishedAt).to.equal([a.finishedAt, b.finishedAt].sort()[1]);
    const devices = report.merge!.perDevice;
    expect(devices.reduce((n, d) => n + d.hits, 0)).to.equal(report.summary.hits);
    expect(devices.some((d) => d.device !== null)).to.equal(true);
  });

  it('keeps the same path on two machines apart, by report', () => {
    const logs = writeFiles({ 'export.csv': `${CSL_HEADER}\n2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,179.43.139.84,443,,,,,\n` });
    const hostA = scanTo(dir, 'host-a.json', join(logs, 'export.csv'));
    // the other machine's file of that path holds other records
    writeFileSync(join(logs, 'export.csv'), `${CSL_HEADER}\n2026-05-21T09:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.6,50000,179.43.139.84,443,,,,,\n`);
    const hostB = scanTo(dir, 'host-b.json', join(logs, 'export.csv'));
    const report = merge('--format', 'json', hostA, hostB).report!;
    expect(report.hits.map((h) => [h.file, h.report])).to.deep.equal([[join(logs, 'export.csv'), hostA], [join(logs, 'export.csv'), hostB]]);
    expect(report.summary.perIoc[0]).to.deep.equal({ ip: '179.43.139.84', port: 443, hits: 2, suppressed: 0 });
    // long lines wrap: read the text report as one line
    const text = merge(hostA, hostB).stdout.replace(/\n +/g, ' ');
    expect(text).to.contain(`from ${hostA}`);
    expect(text).to.contain(`${hostB} > ${join(logs, 'export.csv')}`);
  });

  it('merges a merged report again, its reports listed one by one', () => {
    const first = join(dir, 'first.json');
    expect(runCli(['merge', '--format', 'json', '--output', first, csl]).status).to.equal(1);
    const report = merge('--format', 'json', first, dne).report!;
    expect(report.merge!.reports.map((r) => r.path)).to.deep.equal([csl, dne]);
    expect(report.files[0].report).to.equal(csl);
    expect(report.summary.hits).to.equal(merge('--format', 'json', csl, dne).report!.summary.hits);
  });

  it('refuses reports made with other IOCs, exclusions, --kql-parity or time window, naming both files', () => {
    const logs = join(FIXTURES, 'CommonSecurityLog', 'kql-projection.csv');
    const iocs = writeFiles({ 'iocs.txt': '179.43.139.84:443\n' });
    const cases: string[][] = [['--iocs', join(iocs, 'iocs.txt')], ['--no-exclusions'], ['--kql-parity'], ['--since', '2026-05-01']];
    cases.forEach((args, i) => {
      const other = scanTo(dir, `other-${i}.json`, ...args, logs);
      expect(refusalCode(() => mergeReports([readReport(csl), readReport(other)], '0.0.0')), args.join(' ')).to.equal('MERGE_REFUSED_OTHER_SWEEP');
    });
    const other = join(dir, 'other-0.json');
    const run = merge(csl, other);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.match(/a different IOC set \(lacks 179\.43\.139\.86:443\)/);
    expect(run.stderr).to.contain(other).and.contain(csl);
  });

  it('refuses what is not a JSON report of this tool, naming the file', () => {
    const bad = writeFiles({
      'hits.ndjson': runCli(['--format', 'ndjson', '--quiet', join(FIXTURES, 'CommonSecurityLog', 'kql-projection.csv')]).stdout,
      'other.json': JSON.stringify({ tool: { name: 'something-else' } }),
      'cut.json': readFileSync(csl, 'utf8').slice(0, 2000),
      'nohits.json': JSON.stringify({ ...JSON.parse(readFileSync(csl, 'utf8')), hits: undefined }),
    });
    const cases: Array<[string, HuntErrorCode]> = [
      ['hits.ndjson', 'REPORT_FILE_NOT_JSON'],
      ['other.json', 'REPORT_FILE_NOT_OURS'],
      ['cut.json', 'REPORT_FILE_NOT_JSON'],
      ['nohits.json', 'REPORT_FILE_CUT'],
      ['missing.json', 'REPORT_FILE_UNREADABLE'],
    ];
    for (const [name, code] of cases) expect(refusalCode(() => readReport(join(bad, name))), name).to.equal(code);
    const run = merge(csl, join(bad, 'hits.ndjson'));
    expect(run.status).to.equal(2);
    expect(run.stderr).to.match(new RegExp(`^perlbot-hunt merge: ${join(bad, 'hits\\.ndjson')}: not JSON .*--format json\n$`));
    expect(merge().status).to.equal(2);
  });

  it('exits as a scan would, writes --output atomically, and leaves `perlbot-hunt <dir>` (and a folder named merge) a scan', () => {
    const clean = scanTo(dir, 'clean.json', join(FIXTURES, 'real', 'securehats_sentinel_playground', 'CiscoFirepowerEStreamerCONN.csv'));
    expect(merge('--allow-overlap', clean, clean).status).to.equal(0);
    const out = join(dir, 'merged.csv');
    const run = runCli(['merge', '--format', 'csv', '--output', out, csl, dne]);
    expect(run.status).to.equal(1);
    expect(readFileSync(out, 'utf8').split('\n')[0]).to.match(/^file,line,time,table,ip,/);
    const folder = writeFiles({ 'merge/fw.csv': `${CSL_HEADER}\n2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,179.43.139.86,443,,,,,\n` });
    const scan = runCli(['--format', 'json', './merge'], {}, folder);
    expect(scan.status).to.equal(1);
    expect((JSON.parse(scan.stdout) as Report).summary.hits).to.equal(1);
  });
});

describe('perlbot-hunt merge: each input counted once', () => {
  const line = (n: number) => `2026-05-21T10:0${n}:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.${n},50000,179.43.139.84,443,,,,,`;
  let dir: string;
  let partA: string;
  let partB: string;
  before(() => {
    dir = tempDir();
    const logs = writeFiles({ 'a.csv': `${CSL_HEADER}\n${line(1)}\n${line(2)}\n`, 'b.csv': `${CSL_HEADER}\n${line(3)}\n` });
    partA = scanTo(dir, 'part-a.json', join(logs, 'a.csv'));
    partB = scanTo(dir, 'part-b.json', join(logs, 'b.csv'));
  });

  it('refuses the same report twice, naming both, and counts it once with --allow-overlap', () => {
    const copy = join(dir, 'copy-of-a.json');
    writeFileSync(copy, readFileSync(partA));
    expect(refusalCode(() => mergeReports([readReport(partA), readReport(copy)], '0.0.0'))).to.equal('MERGE_REFUSED_OVERLAP');
    const refused = merge('--format', 'json', partA, copy);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.include(copy).and.include(partA).and.include('the same report');
    const once = merge('--allow-overlap', '--format', 'json', partA, copy).report!;
    expect(once.summary.hits).to.equal(2);
    expect(once.summary.perIoc[0].hits).to.equal(2);
    expect(once.files).to.have.length(1);
  });

  it('refuses a sweep merged with one of its own parts (the same input file in two reports), and counts it once with --allow-overlap', () => {
    const sweep = join(dir, 'sweep.json');
    expect(runCli(['merge', '--format', 'json', '-o', sweep, partA, partB]).status).to.equal(1);
    expect(refusalCode(() => mergeReports([readReport(sweep), readReport(partA)], '0.0.0'))).to.equal('MERGE_REFUSED_OVERLAP');
    const refused = merge('--format', 'json', sweep, partA);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.include(sweep).and.include(partA);
    const once = merge('--allow-overlap', '--format', 'json', sweep, partA).report!;
    expect(once.summary.hits).to.equal(3);
    expect(once.summary.perIoc[0]).to.deep.include({ hits: 3 });
    expect(once.hits).to.have.length(3);
    expect(once.merge!.reports.map((r) => r.path)).to.deep.equal([partA, partB]);
  });
});
