import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, FIXTURES, runCli, tempDir, writeFiles } from './helpers.js';
import type { Report } from '../lib/report/report.js';

// Never a false clean: what a run did not search is named, counted and said
// (files[], summary, text, HTML, standard error), and "no hit" is said plainly
// only when everything was searched.

const row = (time: string, destination: string) => `${time},Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,${destination},443,,,,,x`;
const hitCsv = `${CSL_HEADER}\n${row('2026-06-02T10:00:00Z', '179.43.139.84')}\n`;
const cleanCsv = `${CSL_HEADER}\n${row('2026-06-02T10:00:00Z', '10.9.9.9')}\n`;

function json(args: string[]): { status: number | null; report: Report; stderr: string } {
  const run = runCli(['--format', 'json', ...args]);
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

describe('never a false clean', () => {
  describe('a file the walk does not take', () => {
    it('is a files[] entry saying it was skipped and why, counted, and named in the text and HTML reports', () => {
      const dir = writeFiles({ 'clean.csv': cleanCsv, 'firewall.log': hitCsv });
      const { status, report } = json([dir]);
      expect(status).to.equal(0);
      const log = report.files.find((f) => f.path.endsWith('firewall.log'))!;
      expect(log).to.include({ skipped: 'extension', format: null, records: 0 });
      expect(log.errors).to.deep.equal([]);
      expect(report.summary.notSearched).to.deep.equal({ files: 1, skipped: 1, unreadable: 0, records: 0 });
      // lines joined: a long path wraps
      const text = runCli(['--no-color', dir]).stdout.replace(/\n +/g, ' ');
      expect(text).to.match(/firewall\.log: skipped: its extension is not an export's \(--all-files reads it\)/);
      expect(text).to.include('no hit in what was searched; 1 file (1 skipped) not searched');
      expect(text).not.to.include('no hit: no record touched');
      const html = runCli(['--format', 'html', dir]).stdout;
      expect(html).to.include('firewall.log');
      expect(html).to.include('skipped: its extension is not an export');
      expect(html).to.include('<p class="verdict partial">No active hit in what was searched; 1 file (1 skipped) not searched');
      expect(html).not.to.include('verdict clear');
      expect(html).not.to.include('figure hits clear');
    });

    it('is read with --all-files, its format told by its content, and its hit found', () => {
      const dir = writeFiles({ 'clean.csv': cleanCsv, 'firewall.log': hitCsv });
      const { status, report } = json(['--all-files', dir]);
      expect(status).to.equal(1);
      const log = report.files.find((f) => f.path.endsWith('firewall.log'))!;
      expect(log.skipped).to.equal(undefined);
      expect([log.format, log.table, log.records]).to.deep.equal(['csv', 'CommonSecurityLog', 1]);
      expect(report.hits.map((h) => h.file)).to.deep.equal([log.path]);
      expect(report.summary.notSearched.files).to.equal(0);
      expect(report.run!.options.allFiles).to.equal(true);
    });
  });

  describe('a named path that gives nothing', () => {
    it('an empty glob beside a good path: a files[] error, exit 3 when no hit', () => {
      const dir = writeFiles({ 'clean.csv': cleanCsv });
      const glob = join(dir, 'nothing-*.csv');
      const { status, report, stderr } = json([join(dir, 'clean.csv'), glob]);
      expect(status).to.equal(3);
      expect(report.files.find((f) => f.path === glob)!.errors).to.deep.equal([{ line: null, message: 'glob matched nothing' }]);
      expect(report.summary.errors).to.equal(1);
      expect(stderr).to.include(`perlbot-hunt: ${glob}: glob matched nothing\n`);
      // a hit elsewhere still exits 1, the empty glob still listed
      const hit = json([writeFiles({ 'hit.csv': hitCsv }), glob]);
      expect(hit.status).to.equal(1);
      expect(hit.report.files.map((f) => f.errors.length)).to.deep.equal([0, 1]);
    });

    it('an empty folder and a folder of no export beside a good path: each a files[] error, exit 3', () => {
      const dir = writeFiles({ 'good/clean.csv': cleanCsv, 'notes/readme.txt': 'x' });
      mkdirSync(join(dir, 'empty'));
      const { status, report } = json([join(dir, 'good'), join(dir, 'empty'), join(dir, 'notes')]);
      expect(status).to.equal(3);
      expect(report.files.find((f) => f.path === join(dir, 'empty'))!.errors[0].message).to.match(/^folder holds no export/);
      expect(report.files.find((f) => f.path === join(dir, 'notes'))!.errors[0].message).to.match(/^holds no export .*: 1 other file skipped; --all-files reads them$/);
      // the skipped file is listed too
      expect(report.files.find((f) => f.path === join(dir, 'notes', 'readme.txt'))!.skipped).to.equal('extension');
    });
  });

  describe('the time window', () => {
    const csv = [CSL_HEADER, row('2026-05-01T10:00:00Z', '179.43.139.84'), row('2026-05-02T10:00:00Z', '179.43.139.86'), row('2026-06-02T10:00:00Z', '179.43.139.84'), row('2026-07-02T10:00:00Z', '179.43.139.84')].join('\n') + '\n';

    it('counts the active hits it leaves out, before and after, in files[] and the summary', () => {
      const dir = writeFiles({ 'a.csv': csv });
      const { status, report } = json(['--since', '2026-06-01T00:00:00Z', '--until', '2026-07-01T00:00:00Z', dir]);
      expect(status).to.equal(1);
      expect(report.hits).to.have.length(1);
      expect([report.summary.outsideWindow, report.summary.beforeWindow, report.summary.afterWindow]).to.deep.equal([3, 2, 1]);
      expect([report.files[0].beforeWindow, report.files[0].afterWindow]).to.deep.equal([2, 1]);
    });

    it('says so in the text, HTML and standard error, and never says plain "no hit" of a window that left hits out', () => {
      const dir = writeFiles({ 'a.csv': csv });
      const run = runCli(['--no-color', '--since', '2026-08-01T00:00:00Z', dir]);
      expect(run.status).to.equal(0);
      expect(run.stdout).to.include('4 active hits before the window are not listed');
      expect(run.stdout).not.to.include('no hit: no record touched');
      expect(run.stderr).to.include('perlbot-hunt: no hit in the window: 0 active hits, 0 suppressed, 0 errors, 4 active hits outside the window not listed\n');
      const html = runCli(['--format', 'html', '--since', '2026-05-02T00:00:00Z', '--until', '2026-06-01T00:00:00Z', dir]).stdout;
      expect(html).to.include('1 active hit before the window and 2 after it are not listed');
      expect(html).not.to.include('verdict clear');
    });
  });

  describe('the verdict', () => {
    it('a clean folder of known tables, fully searched: exit 0, "no hit" and a green banner', () => {
      const dir = writeFiles({ 'a.csv': cleanCsv, 'b.csv': cleanCsv.replace('10.9.9.9', '10.8.8.8') });
      const run = runCli(['--no-color', dir]);
      expect(run.status).to.equal(0);
      expect(run.stdout).to.include('no hit: no record touched an IOC in force');
      expect(run.stdout).to.include('files searched: 2 through a known table, 0 by the unknown-table rule, 0 by raw');
      expect(run.stdout).not.to.include('not searched');
      const html = runCli(['--format', 'html', dir]).stdout;
      expect(html).to.include('<p class="verdict clear">');
      const { report } = json([dir]);
      expect(report.summary.searched).to.deep.equal({ files: { knownTable: 2, unknownTable: 0, rawText: 0 }, records: { knownTable: 0, unknownTable: 0, rawText: 2 } });
      expect(report.summary.notSearched).to.deep.equal({ files: 0, skipped: 0, unreadable: 0, records: 0 });
    });

    it('--kql-parity: records of tables other than the seed\'s two are counted as not searched, never as clean', () => {
      const dir = writeFiles({ 'a.csv': cleanCsv });
      const syslog = join(dir, 'syslog.csv');
      writeFileSync(syslog, readFileSync(join(FIXTURES, 'other', 'syslog-export.csv')));
      const { report } = json(['--kql-parity', dir]);
      // the record holding IOC text was parsed and not searched (the others' raw text holds none)
      expect(report.summary.notSearched.records).to.equal(1);
      expect(report.files.find((f) => f.path === syslog)!.records).to.be.above(1);
      expect(report.summary.notSearched.files).to.equal(1);
      expect(runCli(['--no-color', '--kql-parity', dir]).stdout).to.include('no hit in what was searched');
    });

        it('an unreadable file is a file not searched: no plain "no hit", no green banner', () => {
      const dir = writeFiles({ 'a.csv': cleanCsv, 'b.csv': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0]) });
      const run = runCli(['--no-color', dir]);
      expect(run.status).to.equal(3);
      expect(run.stdout).to.include('no hit in what was searched; 1 file (1 not read: see the errors) not searched');
      expect(runCli(['--format', 'html', dir]).stdout).not.to.include('verdict clear');
    });

    it('ends a run with one line on standard error, naming the report written with --output; -q silences it', () => {
      const dir = writeFiles({ 'a.csv': hitCsv, 'notes.txt': 'x' });
      const out = join(tempDir(), 'hunt.json');
      const run = runCli(['--format', 'json', '--output', out, dir]);
      expect(run.status).to.equal(1);
      expect(run.stderr).to.equal(`perlbot-hunt: HIT: 1 active hit, 0 suppressed, 0 errors, 1 file not searched; report in ${out}\n`);
      expect(JSON.parse(readFileSync(out, 'utf8')).summary.hits).to.equal(1);
      expect(runCli(['--quiet', '--format', 'json', dir]).stderr).to.equal('');
    });

    it('writes each input error on standard error as its file is done, escaped for the terminal', () => {
      const dir = writeFiles({ 'a.csv': `${CSL_HEADER}\n${row('2026-06-02T10:00:00Z', '10.9.9.9')},extra\n` });
      const hostile = join(dir, 'b\u001b[31mred.csv');
      writeFileSync(hostile, `${CSL_HEADER}\n"never closed\n`);
      const run = runCli(['--format', 'json', dir]);
      expect(run.status).to.equal(3);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines[0]).to.equal(`perlbot-hunt: ${join(dir, 'a.csv')}:2: row has 15 fields, the header has 14`);
      expect(lines[1]).to.match(/^perlbot-hunt: .*b\\x1b\[31mred\.csv:2: /);
      expect(run.stderr).not.to.include('\u001b');
      expect(lines.at(-1)).to.equal('perlbot-hunt: no hit, but some input could not be read: 0 active hits, 0 suppressed, 2 errors');
    });
  });

  describe('merge', () => {
    it('adds up the new counts from each report, and counts the files of an older report without them by their table', () => {
      const dir = tempDir();
      const one = writeFiles({ 'a.csv': [CSL_HEADER, row('2026-05-01T10:00:00Z', '179.43.139.84'), row('2026-06-02T10:00:00Z', '10.9.9.9')].join('\n') + '\n', 'skip.log': 'x' });
      const two = writeFiles({ 'b.csv': [CSL_HEADER, row('2026-05-01T10:00:00Z', '179.43.139.86'), row('2026-05-03T10:00:00Z', '179.43.139.86')].join('\n') + '\n', 'skip.txt': 'x' });
      const reports = [one, two].map((input, i) => {
        const path = join(dir, `r${i}.json`);
        expect(runCli(['-q', '--format', 'json', '--output', path, '--since', '2026-06-01T00:00:00Z', input]).status).to.equal(0);
        return path;
      });
      const merged = JSON.parse(runCli(['merge', '--format', 'json', ...reports]).stdout) as Report;
      expect([merged.summary.outsideWindow, merged.summary.beforeWindow, merged.summary.afterWindow]).to.deep.equal([3, 3, 0]);
      expect(merged.summary.notSearched).to.deep.equal({ files: 2, skipped: 2, unreadable: 0, records: 0 });
      expect(merged.summary.searched.files.knownTable).to.equal(2);
      const text = runCli(['merge', '--no-color', ...reports]).stdout;
      expect(text).to.include('3 active hits before the window are not listed');
      expect(text).to.include('no hit in what was searched; 2 files (2 skipped) not searched');

      // a report made before these counts: its files carry none of them
      const old = JSON.parse(readFileSync(reports[1], 'utf8')) as Report;
      for (const file of old.files) {
        const f = file as unknown as Record<string, unknown>;
        for (const key of ['searched', 'beforeWindow', 'afterWindow', 'skipped']) delete f[key];
      }
      old.files.push({ path: '/elsewhere/syslog.csv', format: 'csv', compressed: false, table: 'unknown', records: 5, bytes: 50, sha256: 'f'.repeat(64), errors: [] } as unknown as Report['files'][number]);
      writeFileSync(reports[1], JSON.stringify(old));
      const withOld = JSON.parse(runCli(['merge', '--format', 'json', ...reports]).stdout) as Report;
      // b.csv, of a catalogued table, counts as searched through it; the unknown-table file as not searched
      expect(withOld.summary.searched.records.knownTable).to.be.at.least(2);
      expect(withOld.summary.notSearched.records).to.equal(5);
      expect(withOld.summary.beforeWindow).to.equal(1);
    });
  });
});
