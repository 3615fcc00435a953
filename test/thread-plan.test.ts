import { expect } from 'chai';
import { join } from 'node:path';
import { CSL_HEADER, FIXTURES, hunt, writeFiles } from './helpers.js';
import { oneAtATime, planFiles } from '../lib/scan/thread-plan.js';
import type { Report } from '../lib/report/report.js';

// `--jobs N` bounds the threads at work, hashing threads included: a file of
// 16 MiB or more takes two (its scan, its hash), a smaller one takes one.

const MiB = 1024 * 1024;

function csvOf(bytes: number, hitAt: string): string {
  const row = '2026-05-20T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,93.184.216.34,443,,,,,ordinary traffic';
  const hit = `${hitAt},Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.6,50001,179.43.139.86,443,,,,,the C2`;
  return `${CSL_HEADER}\n${hit}\n${`${row}\n`.repeat(Math.ceil(bytes / (row.length + 1)))}`;
}

function comparable(report: Report): unknown {
  const { startedAt: _s, finishedAt: _f, run: _r, ...rest } = report;
  return rest;
}

describe('the --jobs thread budget', () => {
  it('gives a large file two threads only when the budget has two, a small file one', async () => {
    const dir = writeFiles({ 'large.csv': csvOf(17 * MiB, '2026-05-21T10:00:00Z'), 'small.csv': csvOf(1000, '2026-05-21T11:00:00Z') });
    const paths = [join(dir, 'large.csv'), join(dir, 'small.csv'), join(dir, 'gone.csv')];
    expect((await planFiles(1, paths)).map((p) => p.threads)).to.deep.equal([1, 1, 1]);
    expect((await planFiles(2, paths)).map((p) => p.threads)).to.deep.equal([2, 1, 1]);
  });

  it('scans on the main thread when no two files could run at once', () => {
    const large = { path: 'l', threads: 2 as const };
    const small = { path: 's', threads: 1 as const };
    expect(oneAtATime(1, [small, small, small])).to.equal(true);
    expect(oneAtATime(2, [large, large])).to.equal(true);
    expect(oneAtATime(3, [large, large])).to.equal(true);
    expect(oneAtATime(8, [small])).to.equal(true);
    expect(oneAtATime(2, [small, small])).to.equal(false);
    expect(oneAtATime(2, [large, small])).to.equal(false);
    expect(oneAtATime(4, [large, large])).to.equal(false);
  });

  it('gives the same report whatever the budget, large and small files mixed', async function () {
    this.timeout(60_000);
    const dir = writeFiles({ 'a-large.csv': csvOf(17 * MiB, '2026-05-21T10:00:00Z'), 'b-small.csv': csvOf(5000, '2026-05-21T11:00:00Z'), 'c-large.csv': csvOf(17 * MiB, '2026-05-21T12:00:00Z') });
    const paths = [join(dir, 'a-large.csv'), FIXTURES, join(dir, 'b-small.csv'), join(dir, 'c-large.csv')];
    const one = await hunt(paths, { jobs: 1 });
    expect(one.files.filter((f) => f.bytes > 16 * MiB)).to.have.length(2);
    for (const jobs of [2, 3, 4]) expect(comparable(await hunt(paths, { jobs })), `--jobs ${jobs}`).to.deep.equal(comparable(one));
  });
});
