import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, hunt, runCli, writeFiles } from './helpers.js';
import type { Report } from '../lib/report/report.js';

// Every catalogued table searched (test/data/tables/exports: one export per
// table, in every shape a responder exports, written from Microsoft's
// documented schemas): the scan finds exactly the planted C2 hits of
// EXPECTED.json, on the fast path and on --full-parse alike, and the run exits 1.

const TABLES_DIR = join(ROOT, 'test', 'data', 'tables');
const EXPORTS = join(TABLES_DIR, 'exports');

interface Expected { file: string; table: string; hits: Array<{ line: number; record: number; column: string; ip: string; port: number | null; table?: string }> }
const expected = (JSON.parse(readFileSync(join(TABLES_DIR, 'EXPECTED.json'), 'utf8')) as { files: Expected[] }).files;
const planted = expected.flatMap((f) => f.hits.map((h) => `${f.file}:${h.line}:${h.record}:${h.column}:${h.ip}:${h.port}:${h.table ?? f.table}`));

function found(report: Report): string[] {
  return report.hits.flatMap((h) => h.matches.map((m) => `${h.file.split('/').pop()}:${h.line}:${h.record}:${m.field}:${m.ip}:${m.port}:${h.table}`));
}

describe('exports of every catalogued table', () => {
  const paths = readdirSync(EXPORTS).map((name) => join(EXPORTS, name));

  it('gives exactly the planted hits of EXPECTED.json, each with its column, port and own table, on the fast path and on --full-parse', async () => {
    expect(planted.length).to.be.above(20);
    const fast = await hunt(paths);
    const full = await hunt(paths, { fullParse: true });
    expect(found(fast)).to.have.members(planted);
    expect(found(full)).to.have.members(planted);
    expect(found(fast)).to.have.length(planted.length);
    expect(fast.hits.filter((h) => h.malformed)).to.deep.equal([]);
    expect(fast.files.flatMap((f) => f.errors)).to.deep.equal([]);
  });

  it('names each file\'s table: one table per export, "mixed" for a streaming file of several Device tables, "unknown" for a summarize output', async () => {
    const report = await hunt(paths);
    const tableOf = Object.fromEntries(report.files.map((f) => [f.path.split('/').pop(), f.table]));
    for (const file of expected) expect(tableOf[file.file], file.file).to.equal(file.table);
  });

  it('exits 1 on the folder; a folder of the same tables without the C2 rows exits 0', () => {
    expect(runCli(['-q', EXPORTS]).status).to.equal(1);
    // each export without its planted rows: clean rows and near misses of known tables
    const clean: Record<string, string> = {};
    for (const file of expected.filter((f) => f.file.endsWith('.csv') && f.table !== 'unknown')) {
      const lines = readFileSync(join(EXPORTS, file.file), 'utf8').split('\n');
      const hitLines = new Set(file.hits.map((h) => h.line));
      clean[file.file] = lines.filter((_, i) => !hitLines.has(i + 1)).join('\n');
    }
    expect(Object.keys(clean).length).to.be.above(10);
    const dir = writeFiles(clean);
    const run = runCli(['--format', 'json', dir]);
    expect(run.status, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.every((f) => f.table !== 'unknown' && f.records > 0)).to.equal(true);
  });

  it('under --kql-parity counts only the seed\'s two tables: a streaming DeviceLogonEvents record is no hit, a DeviceNetworkEvents one is', async () => {
    const report = await hunt(paths, { kqlParity: true });
    const tables = new Set(report.hits.map((h) => h.table));
    expect([...tables].sort()).to.deep.equal(['CommonSecurityLog', 'DeviceNetworkEvents']);
    expect(found(report)).to.include('Device-mixed.streaming.ndjson:3:3:RemoteIP:179.43.139.84:443:DeviceNetworkEvents');
  });
});
