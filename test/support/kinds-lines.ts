import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, writeFiles } from '../helpers.js';

// JSON lines many read chunks long, for the fast path's tests of IOC kinds:
// the rows of test/data/kinds/DeviceNetworkEvents.csv every `every` lines,
// between rows that hold no IOC and are padded to varying lengths, so that
// IOC text falls across chunk edges.

/** The folder holding `big.jsonl`, `count` lines long. */
export function kindsJsonLines(count: number, every: number): string {
  const csv = readFileSync(join(ROOT, 'test', 'data', 'kinds', 'DeviceNetworkEvents.csv'), 'utf8').trim().split('\n');
  const header = csv[0].split(',');
  const rows = csv.slice(1).map((line) => line.split(','));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = i % every === 0 ? rows[(i / every) % rows.length] : ['2026-05-25T11:00:00Z', 'd2', 'ws-02', 'ConnectionSuccess', `10.3.${i % 200}.${i % 90}`, '443', `ok${i}.example.net`, '10.0.0.6', '50001', 'perl.exe', 'x'.repeat(i % 61), '', '', ''];
    lines.push(JSON.stringify(Object.fromEntries(header.map((name, k) => [name, row[k] ?? '']))));
  }
  return writeFiles({ 'big.jsonl': `${lines.join('\n')}\n` });
}

/** The fast path's hits (one NDJSON line each) equal --full-parse's with this feed; returns them. */
export function expectFastIsFullParse(feed: string, dir: string): string[] {
  const hits = (...args: string[]) => {
    const run = runCli(['--iocs', feed, '--format', 'ndjson', '--quiet', ...args, dir]);
    expect(run.status, run.stderr).to.equal(1);
    return run.stdout.split('\n').filter((line) => line !== '');
  };
  const fast = hits();
  expect(fast).to.deep.equal(hits('--full-parse'));
  return fast;
}
