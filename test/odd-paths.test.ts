import { expect } from 'chai';
import { spawnSync, execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, ROOT, writeFiles } from './helpers.js';
import type { Report } from '../lib/report/report.js';

// Paths a sweep meets that are not plain files with plain names.

const HIT = '2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.1.1.5,50000,179.43.139.84,443,,,,,x';

/** The command line, given up on (status null) after `seconds`: a hang fails the test instead of stalling it. */
function hunt(args: string[], seconds = 20): { status: number | null; report: Report | null } {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', 'json', ...args], { encoding: 'utf8', timeout: seconds * 1000, maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, report: run.status === null ? null : (JSON.parse(run.stdout) as Report) };
}

describe('a glob sweep', () => {
  it('does not hang on a FIFO or a link to /dev/urandom matched by dir/*.csv: each is an error, the real file is read', () => {
    const dir = writeFiles({ 'real.csv': `${CSL_HEADER}\n${HIT}\n` });
    execFileSync('mkfifo', [join(dir, 'fifo.csv')]);
    symlinkSync('/dev/urandom', join(dir, 'random.csv'));
    const { status, report } = hunt([`${dir}/*.csv`]);
    expect(status).to.equal(1);
    expect(report!.summary.hits).to.equal(1);
    const errors = Object.fromEntries(report!.files.map((f) => [f.path.slice(dir.length + 1), f.errors.map((e) => e.message)]));
    expect(errors['real.csv']).to.deep.equal([]);
    for (const name of ['fifo.csv', 'random.csv']) expect(errors[name]).to.have.length(1).and.satisfy((m: string[]) => /not a regular file/.test(m[0]));
  });
});

describe('a tree deeper than a path can name', () => {
  it('reports the unreachable subtree as one error with its depth, and reads the rest', () => {
    const dir = writeFiles({ 'top.csv': `${CSL_HEADER}\n${HIT}\n` });
    // built by descending one level at a time: no path from / to the bottom could be opened
    const build = `const fs = require('fs'); for (let i = 0; i < 2100; i++) { fs.mkdirSync('a'); process.chdir('a'); } fs.writeFileSync('deep.csv', ${JSON.stringify(`${CSL_HEADER}\n${HIT}\n`)});`;
    execFileSync(process.execPath, ['-e', build], { cwd: dir });
    const { status, report } = hunt([dir], 60);
    expect(status).to.equal(1);
    expect(report!.summary.hits).to.equal(1);
    const unreachable = report!.files.filter((f) => f.errors.length > 0);
    expect(unreachable).to.have.length(1);
    expect(unreachable[0].errors[0].message).to.match(/^too deep to reach: \d{4} levels below .*; it and everything in it not read$/);
  });
});
