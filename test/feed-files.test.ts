import { expect } from 'chai';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, refusalCode, runCli, tempDir, writeFiles } from './helpers.js';
import { readBounded } from '../lib/errors/feed-file.js';

// Hostile IOC feeds and exclusion files: exit 2 with one line naming the file
// and the problem, never a stack trace, before anything is scanned.

const LOG = `${CSL_HEADER}\n2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.1.1.5,50000,179.43.139.84,443,,,,,x\n`;

function refused(option: string, path: string, problem: RegExp): void {
  const run = runCli([option, path, '--format', 'json', writeFiles({ 'log.csv': LOG })]);
  expect(run.status).to.equal(2);
  expect(run.stdout).to.equal('');
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).to.have.length(1);
  expect(lines[0]).to.include(path).and.match(problem);
  expect(run.stderr).to.not.match(/\bat .*\.js:\d+|RangeError|Maximum call stack/);
}

describe('hostile feed files', () => {
  const dir = tempDir();
  const deepCondition = join(dir, 'deep-condition.json');
  writeFileSync(deepCondition, `{"rules":[{"id":"x","when":${'{"any":['.repeat(5000)}${']}'.repeat(5000)}}]}`);
  const deepIocs = join(dir, 'deep-iocs.json');
  writeFileSync(deepIocs, `{"iocs":[{"ioc":${'['.repeat(5000)}${']'.repeat(5000)}}]}`);
  const huge = join(dir, 'huge.json');
  // sparse: 600 MB that take no disk and no time to write
  writeFileSync(huge, '');
  truncateSync(huge, 600 * 1024 * 1024);

  for (const option of ['--iocs', '--exclusions']) {
    it(`${option}: nesting 5,000 levels deep is one line and exit 2`, () => {
      refused(option, option === '--iocs' ? deepIocs : deepCondition, /nested \d+ levels deep/);
    });

    it(`${option}: a file over 512 MB is one line and exit 2`, () => {
      refused(option, huge, /larger than \d+ MiB/);
    });
  }

  it('a device that never ends (/dev/zero says its size is 0) is refused once past the bound, not read forever', () => {
    expect(refusalCode(() => readBounded('/dev/zero', 1024 * 1024))).to.equal('FEED_FILE_TOO_LARGE');
  });
});
