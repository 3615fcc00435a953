import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CSL_HEADER, ROOT, runCli, tempDir, writeFiles } from './helpers.js';

// What a newcomer meets first, and what an attacker who names files can do
// with the command line: file names are never options, messages say why.

const HIT = `${CSL_HEADER}\n2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,179.43.139.84,443,,,,,\n`;

describe('file names are not options', () => {
  it('refuses a file name a glob expanded into an option (--iocs=decoy.csv), and scans it as a path after --', () => {
    const dir = writeFiles({ 'a.csv': HIT, '--iocs=decoy.csv': '203.0.113.1:443\n' });
    // what the shell hands over for `perlbot-hunt *.csv` in that folder
    const expanded = runCli(['--iocs=decoy.csv', 'a.csv'], {}, dir);
    expect(expanded.status).to.equal(2);
    expect(expanded.stderr).to.include('--iocs=decoy.csv is the name of a file here, not an option');
    const safe = runCli(['--format', 'json', '--', '--iocs=decoy.csv', 'a.csv'], {}, dir);
    expect(safe.status, safe.stderr).to.equal(1);
    expect(JSON.parse(safe.stdout).files.map((f: { path: string }) => f.path)).to.deep.equal(['--iocs=decoy.csv', 'a.csv']);
  });

  it('takes --help.csv and -o.csv for unknown options, not help or an object: exit 2, nothing written', () => {
    const dir = writeFiles({ 'a.csv': HIT });
    for (const word of ['--help.csv', '-o.csv']) {
      const run = runCli([word, join(dir, 'a.csv')], {}, tempDir());
      expect(run.status, word).to.equal(2);
      expect(run.stderr).to.include(`unknown option ${word}`);
      expect(run.stdout).to.equal('');
    }
    expect(readdirSync(dir)).to.deep.equal(['a.csv']);
  });

  it('refuses a value option given twice rather than writing to "a,b"', () => {
    const cwd = tempDir();
    const run = runCli(['-o', 'a', '-o', 'b', writeFiles({ 'a.csv': HIT })], {}, cwd);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('--output is given 2 times (a, b): give it once');
    expect(readdirSync(cwd)).to.deep.equal([]);
  });

  it('warns, naming it, about --iocs, --exclusions or --output given after the first path', () => {
    const dir = writeFiles({ 'a.csv': HIT, 'list.txt': '179.43.139.84:443\n' });
    const run = runCli([join(dir, 'a.csv'), '--iocs', join(dir, 'list.txt')]);
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stderr).to.include(`warning: --iocs ${join(dir, 'list.txt')} comes after the path ${join(dir, 'a.csv')}`);
  });

  it('says what is wrong with --no-exclusions --exclusions x, not an internal list', () => {
    const run = runCli(['--no-exclusions', '--exclusions', 'x', 'y']);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('--no-exclusions and --exclusions x contradict each other');
    expect(run.stderr).to.not.include('false,x');
  });
});

describe('the first words', () => {
  it('says why nothing was scanned: no such file, a folder without exports, a glob matching nothing', () => {
    const empty = tempDir();
    const cases: Array<[string, string]> = [
      ['/nonexistent/x.csv', '/nonexistent/x.csv: no such file or directory'],
      [empty, `${empty}: folder holds no export (walked for *.csv *.tsv *.json *.jsonl *.ndjson, each also .gz)`],
      [join(empty, '*.csv'), `${join(empty, '*.csv')}: glob matched nothing`],
    ];
    for (const [path, why] of cases) {
      const run = runCli([path]);
      expect(run.status, path).to.equal(2);
      expect(run.stderr).to.equal(`perlbot-hunt: ${why}\nperlbot-hunt: nothing to scan\n`);
    }
  });

  it('reads standard input for - (piped in, as a shell does)', () => {
    const file = join(writeFiles({ 'a.csv': HIT }), 'a.csv');
    const run = spawnSync('bash', ['-c', 'cat "$0" | "$1" "$2" --format json -', file, process.execPath, join(ROOT, 'bin', 'perlbot-hunt.js')], { encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(1);
    expect(JSON.parse(run.stdout).summary.hits).to.equal(1);
  });

  it('answers -h, -V and `help` with help or version only, exit 0', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(runCli(['-V'])).to.deep.include({ status: 0, stdout: `${version}\n` });
    for (const words of [['-h'], ['help']]) {
      const run = runCli(words);
      expect(run.status, words[0]).to.equal(0);
      expect(run.stdout).to.include('Exit status');
      expect(run.stderr).to.equal('');
    }
  });

  it('--help lists the exit codes, examples, walked extensions, built-in IOCs and the --emit choices', () => {
    const help = runCli(['--help']).stdout;
    expect(help).to.match(/1 +at least one active hit/);
    expect(help).to.match(/3 +no active hit, but some input could not be read/);
    expect(help).to.include('Examples:');
    expect(help).to.include('*.csv *.tsv *.json *.jsonl *.ndjson');
    expect(help).to.include('179.43.139.84:443');
    expect(help).to.include('179.43.139.86:443');
    expect(help).to.include('[choices: "kql"]');
  });

  it('takes --format JSON and --emit KQL in any case', () => {
    const run = runCli(['--format', 'JSON', '--quiet', writeFiles({ 'a.csv': HIT })]);
    expect(run.status, run.stderr).to.equal(1);
    expect(JSON.parse(run.stdout).summary.hits).to.equal(1);
    expect(runCli(['--emit', 'KQL']).status).to.equal(0);
  });

  it('names an unreadable IOC or exclusions file in words, not (ENOENT)', () => {
    for (const option of ['--iocs', '--exclusions']) {
      const run = runCli([option, '/nonexistent/list.txt', 'x']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('/nonexistent/list.txt').and.include('no such file or directory');
      expect(run.stderr).to.not.include('ENOENT');
    }
  });

  it('gives one error, "not a text export", for 5,000 random bytes named .csv', () => {
    // the same random-looking bytes every run (SHA-256 in counter mode), so the test cannot be flaky
    const bytes = Buffer.concat(Array.from({ length: 157 }, (_, i) => createHash('sha256').update(`random ${i}`).digest())).subarray(0, 5000);
    const dir = writeFiles({ 'random.csv': bytes });
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(3);
    const [file] = JSON.parse(run.stdout).files;
    expect(file.errors).to.have.length(1);
    expect(file.errors[0].message).to.include('not a text export');
    expect(run.stderr).to.not.include('--table');
  });

  it('titles the report by the families of the IOCs in force, not PerlBot for other IOCs', () => {
    const dir = writeFiles({ 'a.csv': HIT, 'list.txt': '179.43.139.84:443\n' });
    const run = runCli(['--iocs', join(dir, 'list.txt'), join(dir, 'a.csv')]);
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stdout.split('\n')[0]).to.match(/: IOC hunt report$/);
    expect(runCli([join(dir, 'a.csv')]).stdout.split('\n')[0]).to.match(/: PerlBot C2 hunt report$/);
  });
});

describe('--format csv in a spreadsheet', () => {
  const csv = `${CSL_HEADER}\n2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,"=HYPERLINK(""http://x"")",@SUM(A1),10.1.1.5,50000,179.43.139.84,443,,,,,\n`;

  it("neutralises cells starting with =, +, -, @, TAB or CR with a leading ', file names included; --csv-raw keeps them", async () => {
    const { parse } = await import('csv-parse/sync');
    const dir = writeFiles({ '=cmd.csv': csv, '-5.csv': csv.replace('=HYPERLINK(""http://x"")', '-5').replace('@SUM(A1)', '\tx') });
    const rows = (args: string[]) => parse(runCli(['--format', 'csv', ...args, '--', '=cmd.csv', '-5.csv'], {}, dir).stdout) as string[][];
    const [header, ...safe] = rows([]);
    const at = (name: string) => header.indexOf(name);
    const byFile = Object.fromEntries(safe.map((row) => [row[at('file')], row]));
    expect(Object.keys(byFile).sort()).to.deep.equal(["'-5.csv", "'=cmd.csv"]);
    expect(byFile["'=cmd.csv"][at('DeviceAction')]).to.equal(`'=HYPERLINK("http://x")`);
    expect(byFile["'=cmd.csv"][at('Activity')]).to.equal("'@SUM(A1)");
    // a negative number stays a number
    expect(byFile["'-5.csv"][at('DeviceAction')]).to.equal('-5');
    expect(byFile["'-5.csv"][at('Activity')]).to.equal("'\tx");
    const raw = rows(['--csv-raw']).slice(1);
    expect(raw.map((row) => row[at('file')]).sort()).to.deep.equal(['-5.csv', '=cmd.csv']);
    expect(raw.find((row) => row[at('file')] === '=cmd.csv')![at('DeviceAction')]).to.equal('=HYPERLINK("http://x")');
  });
});
