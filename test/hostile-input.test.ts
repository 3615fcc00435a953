import { expect } from 'chai';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hunt, runCli, writeFiles, tempDir, ROOT, CSL_HEADER, DNE_HEADER } from './helpers.js';
import type { Report } from '../lib/report/report.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { builtinExclusions } from '../lib/exclusions/exclusion-file.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import { scan } from '../lib/scan/scan.js';
import { NOT_TEXT_PROBLEM } from '../lib/inputs/text-or-binary.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';
import type { ScanSink } from '../lib/sink/scan-sink.js';

// docs/broken-input.md: the scan finishes, the other records and files are still
// read, each problem is listed with file and line, and an IOC IP in a broken
// record is still reported as a malformed hit.

const good = (ip: string, port = '443') => `2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,${ip},${port},,,,,`;
const other = good('8.8.8.8', '53');

function errorsOf(report: Report): Array<[number | null, string]> {
  return report.files.flatMap((f) => f.errors.map((e): [number | null, string] => [e.line, e.message]));
}

function activeIps(report: Report): string[] {
  return report.hits.filter((h) => !h.malformed).map((h) => h.matches[0].ip);
}

describe('broken CSV records', () => {
  it('reports a ragged row as a malformed record, still a hit by its raw text, and reads on', async () => {
    const text = [CSL_HEADER, other, '2026-06-01T10:00:00Z,x,179.43.139.86', good('179.43.139.84'), ''].join('\n');
    const report = await hunt([writeFiles({ 'r.csv': text })]);
    expect(errorsOf(report)).to.deep.equal([[3, 'row has 3 fields, the header has 14']]);
    expect(report.files[0].records).to.equal(3);
    const malformed = report.hits.find((h) => h.malformed)!;
    expect(malformed).to.deep.include({ line: 3, record: 2, suppressedBy: null, time: null });
    expect(malformed.matches).to.deep.equal([{ field: null, ip: '179.43.139.86', port: null, portMatch: null }]);
    expect(activeIps(report)).to.deep.equal(['179.43.139.84']);
  });

  it('costs an unclosed quote one line, not the rest of the file', async () => {
    const text = [CSL_HEADER, good('179.43.139.86').replace('traffic', '"traffic'), other, good('179.43.139.84'), other].join('\r\n');
    const report = await hunt([writeFiles({ 'q.csv': text })]);
    expect(report.files[0].records).to.equal(4);
    expect(errorsOf(report)).to.have.length(1);
    expect(errorsOf(report)[0][0]).to.equal(2);
    expect(errorsOf(report)[0][1]).to.match(/quoted field is never closed/);
    expect(report.hits.map((h) => [h.record, h.malformed, h.matches[0].ip])).to.have.deep.members([[1, true, '179.43.139.86'], [3, false, '179.43.139.84']]);
  });

  it('reads stray quotes inside an unquoted field as text', async () => {
    const text = [CSL_HEADER, good('179.43.139.84').replace('traffic', 'tra"ff"ic'), ''].join('\n');
    const report = await hunt([writeFiles({ 's.csv': text })]);
    expect(errorsOf(report)).to.deep.equal([]);
    expect(activeIps(report)).to.deep.equal(['179.43.139.84']);
  });

  it('reports IOC text that damaged quoting shifted out of its column, instead of dropping it (--kql-parity: the error only)', async () => {
    // found by the damage property with another seed: a stray CR and quote
    // before the date, and the row cut short, leave the right field count
    // with the IOC under DestinationPort, a column no rule watches
    const header = 'TimeGenerated [UTC],DeviceVendor,DeviceProduct,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,Message';
    const shifted = '\r"6/1/2026, 1:00:00.000 PM",Fortinet,FortiGate,accept,traffic,10.1.1.0,40000,179.43.139.84,44';
    const nearMiss = '"6/1/2026, 2:00:00.000 PM",Fortinet,FortiGate,accept,traffic,10.1.1.0,40000,10.0.0.9,443,179.43.139.86 in a message';
    const path = join(writeFiles({ 'q.csv': `${header}\r\n${nearMiss}\r\n${shifted}` }), 'q.csv');
    const message = 'a quote inside an unquoted field (damaged quoting): the fields after it may be shifted, so the IOC text in this record was not matched to a column';
    const report = await hunt([path]);
    expect(errorsOf(report)).to.deep.equal([[3, message]]);
    expect(report.hits.map((h) => [h.line, h.malformed, h.matches.map((m) => m.ip)])).to.deep.equal([[3, true, ['179.43.139.84']]]);
    const parity = await hunt([path], { kqlParity: true });
    expect(errorsOf(parity)).to.deep.equal([[3, message]]);
    expect(parity.hits).to.deep.equal([]);
  });

  it('reports bytes that are not UTF-8 on their line and reads the other records', async () => {
    const text = Buffer.concat([Buffer.from(`${CSL_HEADER}\n${good('179.43.139.84')}\n`), Buffer.from('2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,caf\xe9,10.0.0.5,1,179.43.139.86,443,,,,,\n', 'latin1'), Buffer.from(`${other}\n`)]);
    const report = await hunt([writeFiles({ 'l.csv': text })]);
    expect(errorsOf(report)).to.deep.equal([[3, 'bytes that are not valid UTF-8 (re-saved in another encoding, or damaged)']]);
    expect(report.hits.map((h) => [h.line, h.malformed])).to.have.deep.members([[2, false], [3, true]]);
    expect(report.files[0].records).to.equal(3);
  });
});

describe('broken JSON', () => {
  const line = (ip: string) => JSON.stringify({ Timestamp: '2026-06-01T10:00:00Z', DeviceId: 'd', ActionType: 'ConnectionSuccess', RemoteIP: ip, RemotePort: 443 });

  it('reports a JSON line with bytes that are not UTF-8 on its line, in a chunk of clean lines or alone, and still finds the IOC in it', async () => {
    const bad = Buffer.from(`${line('179.43.139.84').slice(0, -1)},"User":"caf\xe9"}`, 'latin1');
    const clean = Array.from({ length: 2000 }, (_, i) => line(`10.0.${i >> 8}.${i & 255}`)).join('\n');
    for (const text of [Buffer.concat([Buffer.from(`${line('10.0.0.1')}\n`), bad, Buffer.from(`\n${line('179.43.139.86')}\n`)]), Buffer.concat([Buffer.from(`${clean}\n`), bad, Buffer.from(`\n${clean}\n`)])]) {
      const badLine = text.subarray(0, text.indexOf(bad)).toString('latin1').split('\n').length;
      for (const fullParse of [false, true]) {
        const report = await hunt([writeFiles({ 'u.jsonl': text })], { fullParse });
        expect(errorsOf(report), `fullParse ${fullParse}`).to.deep.equal([[badLine, 'bytes that are not valid UTF-8 (re-saved in another encoding, or damaged)']]);
        expect(report.hits.filter((h) => h.malformed).map((h) => [h.line, h.matches[0].ip])).to.deep.equal([[badLine, '179.43.139.84']]);
      }
    }
  });

  it('reports an invalid JSON line and still finds the IOC in it', async () => {
    const text = [line('10.0.0.1'), `${line('179.43.139.84').slice(0, -3)}`, line('179.43.139.86')].join('\n');
    const report = await hunt([writeFiles({ 'e.jsonl': text })]);
    expect(errorsOf(report).map((e) => e[0])).to.deep.equal([2]);
    expect(report.hits.map((h) => [h.line, h.malformed, h.matches[0].ip])).to.have.deep.members([[2, true, '179.43.139.84'], [3, false, '179.43.139.86']]);
  });

  it('reports a JSON array cut short at the record where it stops', async () => {
    const full = JSON.stringify([JSON.parse(line('179.43.139.84')), JSON.parse(line('10.0.0.1')), JSON.parse(line('179.43.139.86'))], null, 2);
    const cut = full.slice(0, full.lastIndexOf('"RemotePort"'));
    const report = await hunt([writeFiles({ 'a.json': cut })]);
    expect(report.files[0].records).to.equal(3);
    expect(errorsOf(report)).to.deep.equal([[16, 'the JSON array ends inside this record (file cut short?)']]);
    expect(report.hits.map((h) => [h.record, h.malformed])).to.have.deep.members([[1, false], [3, true]]);
  });
});

describe('broken gzip', () => {
  const csv = [CSL_HEADER, ...Array.from({ length: 3000 }, (_, i) => (i === 10 ? good('179.43.139.84') : i === 2990 ? good('179.43.139.86') : other))].join('\n');

  it('keeps the records before the point where a truncated gzip stops, and says so', async () => {
    const gz = gzipSync(Buffer.from(csv));
    const dir = writeFiles({ 'cut.csv.gz.part': gz.subarray(0, Math.floor(gz.length / 2)) });
    const run = runCli(['--format', 'json', join(dir, 'cut.csv.gz.part')]);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.status).to.equal(1);
    expect(report.files[0].compressed).to.equal(true);
    expect(report.files[0].records).to.be.above(10).and.below(3000);
    expect(report.files[0].errors.map((e) => e.message).join(' ')).to.match(/gzip data cut short/);
    expect(activeIps(report)).to.deep.equal(['179.43.139.84']);
  });

  it('reports a corrupt gzip and still hashes the whole file', async () => {
    const gz = gzipSync(Buffer.from(csv));
    gz.fill(0x41, 20, 400);
    const dir = writeFiles({ 'bad.csv.gz': Buffer.from('x') });
    writeFileSync(join(dir, 'bad.csv.gz'), gz);
    const report = await hunt([dir]);
    expect(errorsOf(report).at(-1)![1]).to.match(/gzip data corrupt/);
    expect(report.files[0].bytes).to.equal(gz.length);
    expect(report.files[0].sha256).to.have.length(64);
  });
});

describe('encodings and odd content', () => {
  const text = `${DNE_HEADER}\r\n2026-06-01T10:00:00Z,d,web-01,ConnectionSuccess,179.43.139.84,443,,10.0.0.2,50000,perl,perl x.pl,\r\n`;

  for (const [name, encode] of [
    ['UTF-16LE', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['UTF-16BE', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])],
  ] as const) {
    it(`reads ${name} with a BOM`, async () => {
      const report = await hunt([writeFiles({ 'u.csv': encode(text) })]);
      expect(report.files[0]).to.include({ table: 'DeviceNetworkEvents', records: 1 });
      expect(report.hits.map((h) => [h.line, h.matches[0].ip])).to.deep.equal([[2, '179.43.139.84']]);
    });
  }

  it('reports a NUL-filled file as one run of zero bytes, refuses a binary file named .csv, and reads the next file', async () => {
    const binary = Buffer.alloc(5000);
    for (let i = 0; i < binary.length; i += 7) binary[i] = (i * 31) & 0xff;
    const dir = writeFiles({ 'a-zeros.csv': Buffer.alloc(100000), 'b-binary.csv': binary, 'c.csv': text });
    const report = await hunt([dir]);
    expect(report.files.map((f) => f.errors.map((e) => e.message))).to.deep.equal([
      ['100000 NUL bytes, the whole of the file (a zeroed or never-written file): no record'],
      [NOT_TEXT_PROBLEM],
      [],
    ]);
    expect(report.summary.hits).to.equal(1);
  });

  it('says an empty file is empty, not of an unknown table', () => {
    const dir = writeFiles({ 'empty.csv': '' });
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(0);
    expect(run.stderr).to.match(/empty\.csv: empty file: nothing to search/);
  });

  it('counts no records and no errors in an empty file or a header-only file', async () => {
    const report = await hunt([writeFiles({ 'empty.csv': '', 'header.csv': `${DNE_HEADER}\r\n` })]);
    expect(report.files.map((f) => [f.records, f.errors.length, f.table])).to.deep.equal([[0, 0, 'unknown'], [0, 0, 'DeviceNetworkEvents']]);
  });

  it('reports a single 50 MB line as malformed without holding it, and still finds the IOC in it', async () => {
    const dir = tempDir();
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x61);
    huge.write(',179.43.139.86,', 30 * 1024 * 1024);
    writeFileSync(join(dir, 'huge.csv'), Buffer.concat([Buffer.from(`${CSL_HEADER}\n`), huge, Buffer.from(`\n${good('179.43.139.84')}\n`)]));
    const report = await hunt([dir]);
    expect(errorsOf(report)).to.deep.equal([[2, 'record larger than 8 MiB, not parsed']]);
    expect(report.hits.map((h) => [h.line, h.malformed, h.matches[0].ip])).to.have.deep.members([[2, true, '179.43.139.86'], [3, false, '179.43.139.84']]);
  });
});

describe('paths that cannot be read', () => {
  it('reports a directory loop made of symbolic links and finishes', () => {
    const dir = writeFiles({ 'a/x.csv': `${CSL_HEADER}\n${other}\n` });
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'b'));
    symlinkSync(dir, join(dir, 'a', 'up'));
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.filter((f) => f.errors.some((e) => /symbolic link loop/.test(e.message))).map((f) => f.path.slice(dir.length + 1)).sort()).to.deep.equal(['a/b', 'a/up']);
  });

  it('reports a file without read permission (run as an unprivileged user when the tests run as root)', function () {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    // the unprivileged user must be able to run the tool from this checkout at all
    const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(ROOT, 'dist', 'lib', 'cli', 'main.js'))})`], { ...asNobody });
    if (probe.status !== 0) this.skip();
    const dir = writeFiles({ 'locked.csv': `${CSL_HEADER}\n${good('179.43.139.84')}\n`, 'open.csv': `${CSL_HEADER}\n${other}\n` });
    chmodSync(join(dir, 'locked.csv'), 0o000);
    chmodSync(dir, 0o755);
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', 'json', dir], { ...asNobody, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.map((f) => [f.path.slice(dir.length + 1), f.errors.map((e) => e.message), f.sha256 === null])).to.deep.equal([
      ['locked.csv', ['permission denied'], true],
      ['open.csv', [], false],
    ]);
  });

  it('reports a file that disappears between the walk and the read', async () => {
    const dir = writeFiles({ 'a.csv': `${CSL_HEADER}\n${other}\n`, 'b.csv': `${CSL_HEADER}\n${other}\n` });
    const options = normalizeOptions({ paths: [dir] });
    const iocs = builtinIocSet();
    const builder = new ReportBuilder('test', iocs, []);
    const vanishing: ScanSink = {
      hit: (hit, found) => builder.hit(hit, found),
      file: (entry) => builder.file(entry),
      warning: (path, message) => builder.warning(path, message),
      inputs: (paths) => rmSync(paths[1]),
    };
    await scan(planFromOptions(options, iocs, builtinExclusions()), vanishing);
    const report = builder.build();
    expect(report.files.map((f) => [f.path.slice(dir.length + 1), f.records, f.sha256 === null, f.errors.map((e) => e.message)])).to.deep.equal([
      ['a.csv', 1, false, []],
      ['b.csv', 0, true, ['no such file or directory (it vanished before it could be read)']],
    ]);
  });

  it('reads a FIFO named explicitly', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', 'json', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    writeFileSync(fifo, `${CSL_HEADER}\n${good('179.43.139.84')}\n`);
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(status).to.equal(1);
    expect((JSON.parse(stdout) as Report).files[0]).to.include({ records: 1, format: 'csv' });
  });

  it('does not read a FIFO met in a directory walk, and says so', () => {
    const dir = writeFiles({ 'ok.csv': `${CSL_HEADER}\n${other}\n` });
    execFileSync('mkfifo', [join(dir, 'stuck.csv')]);
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.find((f) => f.path.endsWith('stuck.csv'))!.errors[0].message).to.match(/not a regular file/);
  });

  it('reports a path that does not exist beside the ones that do', () => {
    const dir = writeFiles({ 'ok.csv': `${CSL_HEADER}\n${good('179.43.139.84')}\n` });
    const run = runCli(['--format', 'json', dir, join(dir, 'nope')]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.not.match(/at .*\.js:\d+/);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary.errors).to.equal(report.files.reduce((n, f) => n + f.errors.length, 0));
  });
});
