import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, ROOT, runCli, tempDir, writeFiles } from './helpers.js';
import fc from 'fast-check';
import { deliver, openOutput } from '../lib/output/deliver.js';
import { HuntError } from '../lib/errors/hunt-error.js';

// Where the report goes never destroys anything: a device, FIFO or link is
// written into, not renamed over; an existing file is replaced only with
// --force; a failed write is one line and exit 2; a closed pipe is quiet.
// Scan, merge and --emit kql deliver the same way.

const CLEAN = `${CSL_HEADER}\n2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,10.9.9.9,443,,,,,\n`;
const HIT = `${CSL_HEADER}\n2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,179.43.139.84,443,,,,,\n`;

/** A character device node in a temporary folder (root only, as on most triage boxes); null when it cannot be made. */
function deviceNode(dir: string, name: string, major: number, minor: number): string | null {
  const path = join(dir, name);
  const made = spawnSync('mknod', [path, 'c', String(major), String(minor)]);
  return made.status === 0 ? path : null;
}

const BIN = join(ROOT, 'bin', 'perlbot-hunt.js');

describe('delivering the report', () => {
  it('writes into a character device (-o null device) and leaves it a device, exit 0', function () {
    const dir = tempDir();
    const device = deviceNode(dir, 'null', 1, 3);
    if (device === null) this.skip();
    const run = runCli(['--quiet', '-o', device, writeFiles({ 'a.csv': CLEAN })]);
    expect(run.status, run.stderr).to.equal(0);
    expect(statSync(device).isCharacterDevice()).to.equal(true);
    expect(readdirSync(dir)).to.deep.equal(['null']);
  });

  it('on a full device (-o a /dev/full node): one line naming it, exit 2, the node still a device', function () {
    const dir = tempDir();
    const device = deviceNode(dir, 'full', 1, 7);
    if (device === null) this.skip();
    const run = runCli(['--quiet', '-o', device, writeFiles({ 'a.csv': CLEAN })]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.equal(`perlbot-hunt: cannot write the report to ${device}: no space left on the device\n`);
    expect(statSync(device).isCharacterDevice()).to.equal(true);
    expect(readdirSync(dir)).to.deep.equal(['full']);
  });

  it('standard output on /dev/full: one line on standard error, exit 2, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [BIN, '--quiet', writeFiles({ 'a.csv': CLEAN })], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(run.status).to.equal(2);
      expect(run.stderr).to.equal('perlbot-hunt: cannot write the report to standard output: no space left on the device\n');
    } finally {
      closeSync(full);
    }
  });

  it('ends quietly when the reader closes the pipe (| head), with the scan\'s own exit status', () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.${i >> 8}.${i & 255},50000,179.43.139.84,443,,,,,`);
    const dir = writeFiles({ 'big.csv': `${CSL_HEADER}\n${rows.join('\n')}\n` });
    const err = join(tempDir(), 'stderr');
    const run = spawnSync('bash', ['-c', `"$0" "$1" --quiet --format ndjson "$2" 2>"$3" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`, process.execPath, BIN, dir, err], { encoding: 'utf8' });
    expect(readFileSync(err, 'utf8')).to.equal('');
    expect(run.stdout.trim()).to.equal('1');
  });

  it('writes into a FIFO (a named pipe) and leaves it a FIFO', async function () {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (chunk) => (received += String(chunk)));
    const done = new Promise((resolve) => reader.on('close', resolve));
    const run = runCli(['--quiet', '--format', 'json', '-o', fifo, writeFiles({ 'a.csv': HIT })]);
    await done;
    expect(run.status, run.stderr).to.equal(1);
    expect(JSON.parse(received).summary.hits).to.equal(1);
    expect(lstatSync(fifo).isFIFO()).to.equal(true);
  });

  it('refuses an output it must not write, each with its code, and opens nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'old.json'), 'yesterday');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.json'));
    const refusal = (path: string) =>
      openOutput(path, { force: false }).then(
        () => 'opened',
        (error: unknown) => (error instanceof HuntError ? error.code : String(error)),
      );
    expect(await refusal(join(dir, 'old.json'))).to.equal('OUTPUT_EXISTS');
    expect(await refusal(dir)).to.equal('OUTPUT_DIRECTORY');
    expect(await refusal(join(dir, 'dangling.json'))).to.equal('OUTPUT_DANGLING_LINK');
    expect(readdirSync(dir).sort()).to.deep.equal(['dangling.json', 'old.json']);
  });

  it('refuses an existing file without --force (exit 2, one line naming it), replaces it with --force', () => {
    const dir = tempDir();
    const target = join(dir, 'report.json');
    writeFileSync(target, 'yesterday');
    const evidence = writeFiles({ 'a.csv': CLEAN });
    const refused = runCli(['--quiet', '--format', 'json', '-o', target, evidence]);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.equal(`perlbot-hunt: cannot write the report to ${target}: it already exists (--force replaces it)\n`);
    expect(readFileSync(target, 'utf8')).to.equal('yesterday');
    const forced = runCli(['--quiet', '--format', 'json', '--force', '-o', target, evidence]);
    expect(forced.status, forced.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(target, 'utf8')).summary.files).to.equal(1);
  });

  it('keeps a symbolic link a link: refused without --force, the file it names replaced with it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'report.txt'), 'old');
    symlinkSync(join('real', 'report.txt'), join(dir, 'link.txt'));
    const evidence = writeFiles({ 'a.csv': CLEAN });
    expect(runCli(['--quiet', '-o', join(dir, 'link.txt'), evidence]).status).to.equal(2);
    expect(readFileSync(join(dir, 'real', 'report.txt'), 'utf8')).to.equal('old');
    const run = runCli(['--quiet', '--force', '-o', join(dir, 'link.txt'), evidence]);
    expect(run.status, run.stderr).to.equal(0);
    expect(lstatSync(join(dir, 'link.txt')).isSymbolicLink()).to.equal(true);
    expect(readlinkSync(join(dir, 'link.txt'))).to.equal(join('real', 'report.txt'));
    expect(readFileSync(join(dir, 'real', 'report.txt'), 'utf8')).to.include('ACTIVE HITS (0)');
  });

  it('takes -o - and -o /dev/stdout for standard output (no file named -)', () => {
    const dir = tempDir();
    const evidence = writeFiles({ 'a.csv': HIT });
    const dash = runCli(['--quiet', '--format', 'json', '-o', '-', evidence], {}, dir);
    expect(dash.status, dash.stderr).to.equal(1);
    expect(JSON.parse(dash.stdout).summary.hits).to.equal(1);
    const stdout = runCli(['--quiet', '--format', 'json', '-o', '/dev/stdout', evidence], {}, dir);
    expect(stdout.status, stdout.stderr).to.equal(1);
    expect(JSON.parse(stdout.stdout).summary.hits).to.equal(1);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('delivers merge and --emit kql by the same rules: an existing file refused without --force', () => {
    const dir = tempDir();
    const report = join(dir, 'host.json');
    expect(runCli(['--quiet', '--format', 'json', '-o', report, writeFiles({ 'a.csv': CLEAN })]).status).to.equal(0);
    const taken = join(dir, 'taken.txt');
    writeFileSync(taken, 'keep');
    const merged = runCli(['merge', '-o', taken, report]);
    expect(merged.status).to.equal(2);
    expect(merged.stderr).to.include(`${taken}: it already exists (--force replaces it)`);
    const kql = runCli(['--emit', 'kql', '-o', taken]);
    expect(kql.status).to.equal(2);
    expect(kql.stderr).to.include(`${taken}: it already exists (--force replaces it)`);
    expect(readFileSync(taken, 'utf8')).to.equal('keep');
    expect(runCli(['merge', '--force', '-o', taken, report]).status).to.equal(0);
    expect(readFileSync(taken, 'utf8')).to.include('merged');
  });

  it('writes a new file\'s pieces, gathered a buffer at a time, whole and in order (pieces of any size, text beyond ASCII), and nothing before the report is complete', async () => {
    const dir = tempDir();
    let n = 0;
    const piece = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.integer({ min: 1, max: 3 }).map((k) => 'é'.repeat(k * 200_000 + 7)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), async (pieces) => {
        const path = join(dir, `r${n++}.json`);
        const output = await openOutput(path, { force: false });
        async function* slowly() {
          for (const text of pieces) {
            yield text;
            // the file is not there, whole or in part, until the report is
            expect(() => statSync(path)).to.throw();
          }
        }
        await deliver(output, slowly());
        expect(readFileSync(path, 'utf8')).to.equal(pieces.join(''));
      }),
      { numRuns: 40 },
    );
  });
});

