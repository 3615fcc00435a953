import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, FIXTURES, ROOT, runCli, tempDir } from './helpers.js';
import type { Report } from '../lib/report/report.js';

// The single-file bundle (`npm run bundle`) and the single executable
// (`npm run bundle -- --sea`), each copied alone into an empty folder and run
// there with nothing else: same JSON report as the installed CLI (times and
// the working folder aside), workers included (--jobs 2 on many files, and a
// file large enough to be hashed on its own thread), same --version, same
// --emit kql.

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A CommonSecurityLog export of at least `bytes`, with one PerlBot hit at its end. */
function largeExport(dir: string, bytes: number): string {
  const row = '2026-05-20T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,93.184.216.34,443,,,,,ordinary traffic to a web server';
  const rows = Array.from({ length: Math.ceil(bytes / (row.length + 1)) }, () => row);
  rows.push('2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.6,50001,179.43.139.84,443,,,,,the C2');
  const path = join(dir, 'large-firewall.csv');
  writeFileSync(path, `${CSL_HEADER}\n${rows.join('\n')}\n`);
  return path;
}

/** The report with what differs between two runs of the same scan taken out. */
function comparable(stdout: string): Report {
  const report = JSON.parse(stdout) as Report;
  const { run, ...rest } = report;
  return { ...rest, startedAt: '', finishedAt: '', run: run && { ...run, options: { ...run.options, cwd: '' } } };
}

function carried(name: string): { dir: string; path: string } {
  const dir = tempDir();
  const path = join(dir, name);
  copyFileSync(join(ROOT, 'dist', name), path);
  expect(readdirSync(dir)).to.deep.equal([name]);
  return { dir, path };
}

describe('carried to another machine', function () {
  this.timeout(180_000);
  let large: string;
  let installed: Report;
  let sea: boolean;

  before(() => {
    // esbuild is fast; the single executable is this node binary plus the tool (~100 MB).
    // node:sea's getAsset (which the executable's workers need) came with Node 20.12.
    const [major, minor] = process.versions.node.split('.').map(Number);
    const seaSupported = major > 20 || (major === 20 && minor >= 12);
    execFileSync(process.execPath, [join(ROOT, 'bundle', 'build.mjs'), ...(seaSupported ? ['--sea'] : [])], { cwd: ROOT, stdio: 'pipe' });
    sea = seaSupported && existsSync(join(ROOT, 'dist', 'perlbot-hunt'));
    large = largeExport(tempDir(), 17 * 1024 * 1024);
    const run = runCli(['--format', 'json', '--jobs', '2', FIXTURES, large]);
    expect(run.status, run.stderr).to.equal(1);
    installed = comparable(run.stdout);
  });

  const cases: Array<[string, string, (path: string, args: string[], cwd: string) => ReturnType<typeof spawnSync>]> = [
    ['the single-file bundle, run with plain node', 'perlbot-hunt.mjs', (path, args, cwd) => spawnSync(process.execPath, [path, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 << 20 })],
    ['the single executable, run without node', 'perlbot-hunt', (path, args, cwd) => spawnSync(path, args, { cwd, encoding: 'utf8', env: { PATH: '/nonexistent' }, maxBuffer: 64 << 20 })],
  ];

  for (const [title, name, run] of cases) {
    describe(title, () => {
      before(function () {
        if (name === 'perlbot-hunt' && !sea) this.skip();
      });

      it('gives the installed CLI\'s JSON report, workers included (--jobs 2, a 17 MiB file hashed on its own thread)', () => {
        const { dir, path } = carried(name);
        const result = run(path, ['--format', 'json', '--jobs', '2', FIXTURES, large], dir);
        expect(result.status, String(result.stderr)).to.equal(1);
        expect(comparable(String(result.stdout))).to.deep.equal(installed);
        expect(installed.files.find((f) => f.path === large)!.bytes).to.be.above(16 * 1024 * 1024);
      });

      it('says the package version, writes the same KQL, and merges reports the same way', () => {
        const { dir, path } = carried(name);
        expect(String(run(path, ['--version'], dir).stdout).trim()).to.equal(VERSION);
        expect(String(run(path, ['--emit', 'kql'], dir).stdout)).to.equal(runCli(['--emit', 'kql']).stdout);
        const report = join(tempDir(), 'host.json');
        writeFileSync(report, JSON.stringify(installed));
        const merged = run(path, ['merge', '--allow-overlap', '--format', 'json', report, report], dir);
        expect(merged.status, String(merged.stderr)).to.equal(1);
        expect(String(merged.stdout)).to.equal(runCli(['merge', '--allow-overlap', '--format', 'json', report, report]).stdout);
      });

      it('names itself as the user typed it, in help and usage errors', () => {
        const { dir, path } = carried(name);
        const typed = name === 'perlbot-hunt.mjs' ? 'node perlbot-hunt.mjs' : 'perlbot-hunt';
        expect(String(run(path, ['--help'], dir).stdout)).to.include(`${typed} [options]`);
        expect(String(run(path, ['--no-such-option'], dir).stderr)).to.include(`Try ${typed} --help.`);
      });
    });
  }
});
