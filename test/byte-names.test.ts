import { expect } from 'chai';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CSL_HEADER, propertySettings, ROOT, runCli, tempDir } from './helpers.js';
import { bytesOfPath, pathFromBytes } from '../lib/record/file-path.js';
import { printable } from '../lib/terminal/terminal-text.js';
import { argvWithBytes } from '../lib/cli/argv-bytes.js';
import type { Report } from '../lib/report/report.js';

// On Linux a name is bytes: a file or folder named with bytes that are not
// UTF-8 must be read like any other (not "vanish"), and shown escaped.

const HIT = '2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.1.1.5,50000,179.43.139.84,443,,,,,x';
const EXPORT = `${CSL_HEADER}\n${HIT}\n`;

const bytes = (...parts: Array<string | number[] | Buffer>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/**
 * A sweep folder: `\xffdir/a.csv` (a folder whose name is not UTF-8),
 * `b\xe9\x85.csv` (a file cut inside a character) and `c.csv`, each with one hit.
 */
function sweep(): string {
  const dir = tempDir();
  const odd = bytes(dir, '/', [0xff], 'dir');
  mkdirSync(odd);
  writeFileSync(bytes(odd, '/a.csv'), EXPORT);
  writeFileSync(bytes(dir, '/b', [0xe9, 0x85], '.csv'), EXPORT);
  writeFileSync(join(dir, 'c.csv'), EXPORT);
  return dir;
}

function json(args: string[]): { status: number | null; report: Report; stderr: string } {
  const run = runCli(['--format', 'json', '--quiet', ...args]);
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

type WithBytes = { pathBytes?: string; fileBytes?: string };

/** Each file entry as `shown path => exact bytes (hex)`. */
function entries(report: Report, dir: string): string[] {
  return report.files.map((f) => {
    const exact = (f as WithBytes).pathBytes;
    return `${f.path.slice(dir.length + 1)} => ${exact === undefined ? '-' : Buffer.from(exact, 'base64').subarray(Buffer.byteLength(dir) + 1).toString('hex')}`;
  });
}

const EXPECTED_FILES = ['b\\xe9\\x85.csv => 62e9852e637376', 'c.csv => -', '\\xffdir/a.csv => ff6469722f612e637376'];

describe('names that are not UTF-8', () => {
  it('a folder named with byte 0xff: its export is read, its hit reported, the path shown as \\xff, exit 1', () => {
    const dir = sweep();
    const run = runCli(['--quiet', dir]);
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stdout).to.include(`at ${dir}/\\xffdir/a.csv:2 (record 1)`);
    expect(run.stdout).to.include(`  ${dir}/\\xffdir/a.csv: csv, CommonSecurityLog, 1`);
    expect(run.stdout).not.to.include('\ufffd');
  });

  it('a file named with invalid UTF-8 next to normal files: every file read, the JSON report holds each exact path', () => {
    const dir = sweep();
    const { status, report } = json([dir]);
    expect(status).to.equal(1);
    expect(entries(report, dir)).to.deep.equal(EXPECTED_FILES);
    expect(report.files.every((f) => f.errors.length === 0 && f.records === 1)).to.equal(true);
    expect(report.summary.hits).to.equal(3);
    // each hit names its file the same way
    for (const hit of report.hits) {
      const file = report.files.find((f) => f.path === hit.file)!;
      expect((hit as WithBytes).fileBytes).to.equal((file as WithBytes).pathBytes);
    }
    // the schema publishes the two keys
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('the same through --jobs 2 (paths cross to worker threads)', () => {
    const dir = sweep();
    const { status, report } = json(['--jobs', '2', dir]);
    expect(status).to.equal(1);
    expect(entries(report, dir)).to.deep.equal(EXPECTED_FILES);
    expect(report.summary.hits).to.equal(3);
    expect(report.files.map((f) => f.sha256)).to.satisfy((digests: Array<string | null>) => digests.every((d) => d !== null));
  });

  it('a glob over such a folder matches inside it', () => {
    const dir = sweep();
    const { status, report } = json([`${dir}/*/*.csv`]);
    expect(status).to.equal(1);
    expect(entries(report, dir)).to.deep.equal(['\\xffdir/a.csv => ff6469722f612e637376']);
    expect(report.summary.hits).to.equal(1);
  });

  it('paths the shell expanded keep their bytes (evidence/*)', () => {
    const dir = sweep();
    const run = spawnSync('sh', ['-c', `exec "$0" "$1" --format json --quiet "$2"/*`, process.execPath, join(ROOT, 'bin', 'perlbot-hunt.js'), dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(entries(report, dir)).to.deep.equal(EXPECTED_FILES);
    expect(report.run!.options.paths.map((p) => p.slice(dir.length + 1))).to.deep.equal(['b\\xe9\\x85.csv', 'c.csv', '\\xffdir']);
  });

  it('csv, ndjson and html reports show the bytes as \\xHH', () => {
    const dir = sweep();
    const csv = runCli(['--format', 'csv', '--quiet', dir]).stdout;
    expect(csv).to.include(`\n${dir}/\\xffdir/a.csv,2,`);
    const ndjson = runCli(['--format', 'ndjson', '--quiet', dir]).stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; fileBytes?: string });
    expect(ndjson.map((h) => [h.file.slice(dir.length + 1), h.fileBytes !== undefined])).to.deep.equal([
      ['b\\xe9\\x85.csv', true],
      ['c.csv', false],
      ['\\xffdir/a.csv', true],
    ]);
    const html = runCli(['--format', 'html', '--quiet', dir]).stdout;
    expect(html).to.include(`${dir}/\\xffdir/a.csv</span>`);
    expect(html).not.to.include('\ufffd');
  });

  it('merge reads the bytes back: the same file in two reports is one file, and is written with its bytes again', () => {
    const dir = sweep();
    const out = tempDir();
    for (const name of ['one.json', 'two.json']) expect(runCli(['--format', 'json', '--quiet', '-o', join(out, name), dir]).status).to.equal(1);
    const merged = runCli(['merge', '--format', 'json', '--quiet', '--allow-overlap', join(out, 'one.json'), join(out, 'two.json')]);
    const report = JSON.parse(merged.stdout) as Report;
    expect(entries(report, dir)).to.deep.equal(EXPECTED_FILES);
    expect(report.summary.hits).to.equal(3);
  });
});

describe('a path held as text (record/file-path.ts)', () => {
  it('gives back exactly the bytes it was read from, and a UTF-8 name is its plain decoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'binary', maxLength: 32 }), (raw, text) => {
        const read = Buffer.from(raw);
        expect(bytesOfPath(pathFromBytes(read)).equals(read)).to.equal(true);
        const utf8 = Buffer.from(text, 'utf8');
        expect(pathFromBytes(utf8)).to.equal(utf8.toString('utf8'));
      }),
      propertySettings(500),
    );
  });

  it('is shown on a terminal with each byte that is not UTF-8 as \\xHH', () => {
    expect(printable(pathFromBytes(bytes('a', [0xff, 0xc3], 'é\\', [0xed, 0xa0, 0x80])))).to.equal('a\\xff\\xc3é\\\\\\xed\\xa0\\x80');
    // a name with the byte 0x85 and one with the character U+0085 (NEL) are never shown alike
    expect([printable(pathFromBytes(Buffer.of(0x85))), printable('\u0085')]).to.deep.equal(['\\x85', '\\u0085']);
  });

  it('the command line: words Node decoded with U+FFFD are taken from their bytes, only when each word matches', () => {
    const dir = tempDir();
    const cmdline = join(dir, 'cmdline');
    writeFileSync(cmdline, bytes('node\0/bin/hunt\0--quiet\0x', [0xff], '.csv\0'));
    expect(argvWithBytes(['--quiet', 'x\ufffd.csv'], cmdline).map((w) => bytesOfPath(w).toString('hex'))).to.deep.equal([Buffer.from('--quiet').toString('hex'), '78ff2e637376']);
    // another command line (not this run's words): left as Node gave it
    expect(argvWithBytes(['--json', 'x\ufffd.csv'], cmdline)).to.deep.equal(['--json', 'x\ufffd.csv']);
  });
});
