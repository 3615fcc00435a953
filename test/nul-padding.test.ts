import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CSL_HEADER, hunt, runCli, tempDir } from './helpers.js';
import { NOT_TEXT_PROBLEM, notTextExport } from '../lib/inputs/text-or-binary.js';

// NUL bytes in an export: inside a record they make that record malformed;
// a run of them starting a line (the zero padding a crash leaves) is one
// error with its byte range and line, and the records after it are read.
// Only content that is not text at all is refused as binary.

function row(i: number, ip: string): string {
  return `2026-06-0${1 + (i % 9)}T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.1.1.${i % 250},${40000 + i},${ip},443,,,,,row ${i}`;
}

/** 20 records; rows 0, 5, 10, 15 hold the PerlBot IPs. */
const ROWS = Array.from({ length: 20 }, (_, i) => row(i, i % 5 === 0 ? (i % 2 ? '179.43.139.86' : '179.43.139.84') : '8.8.8.8'));
const TEXT = `${CSL_HEADER}\n${ROWS.join('\n')}\n`;

function file(name: string, bytes: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

describe('NUL bytes in an export', () => {
  it('one record carrying 300 NULs is that record\'s error; every hit in the file is found', async () => {
    const damaged = [...ROWS];
    damaged[5] = damaged[5].replace('row 5', `row${'\0'.repeat(300)} 5`);
    for (const fullParse of [false, true]) {
      const report = await hunt([file('a.csv', Buffer.from(`${CSL_HEADER}\n${damaged.join('\n')}\n`))], { fullParse });
      expect(report.files[0].errors).to.deep.equal([{ line: 7, message: 'NUL bytes inside the record (damaged data)' }]);
      // the damaged record's IOC text is a malformed hit
      expect(report.hits.map((h) => [h.line, h.malformed])).to.have.deep.members([[2, false], [7, true], [12, false], [17, false]]);
    }
  });

  it('200 KB of zero padding after the last record is one error naming its bytes and line, and loses no hit', async () => {
    for (const [name, bytes] of [
      ['tail.csv', Buffer.concat([Buffer.from(TEXT), Buffer.alloc(200 * 1024)])],
      ['tail.csv.gz', gzipSync(Buffer.concat([Buffer.from(TEXT), Buffer.alloc(200 * 1024)]))],
    ] as const) {
      const report = await hunt([file(name, bytes)]);
      const where = name.endsWith('.gz') ? 'the decompressed text' : 'the file';
      const from = Buffer.byteLength(TEXT);
      expect(report.files[0].errors, name).to.deep.equal([
        { line: 22, message: `204800 NUL bytes between records at bytes ${from}-${from + 204800 - 1} of ${where} (zero padding, as a crash or a cut copy leaves): not a record, skipped; reading goes on after them` },
      ]);
      expect(report.files[0].records).to.equal(20);
      expect(report.hits.map((h) => h.line).sort((a, b) => a - b)).to.deep.equal([2, 7, 12, 17]);
    }
  });

  it('reads on after a run of NULs between records: the record after it is a plain hit, on its own line', async () => {
    for (const fullParse of [false, true]) {
      const padded = Buffer.concat([Buffer.from(`${CSL_HEADER}\n${ROWS.slice(0, 10).join('\n')}\n`), Buffer.alloc(3 * 1024 * 1024 + 7), Buffer.from(`${ROWS.slice(10).join('\n')}\n`)]);
      const report = await hunt([file('mid.csv', padded)], { fullParse });
      expect(report.files[0].errors.map((e) => e.line)).to.deep.equal([12]);
      expect(report.files[0].records).to.equal(20);
      expect(report.hits.map((h) => [h.line, h.record, h.malformed]).sort((a, b) => Number(a[0]) - Number(b[0]))).to.deep.equal([
        [2, 1, false], [7, 6, false], [12, 11, false], [17, 16, false],
      ]);
    }
  });

  it('JSON lines: padding between records is skipped the same way', async () => {
    const lines = ['179.43.139.84', '8.8.8.8', '179.43.139.86'].map((ip, i) => JSON.stringify({ Timestamp: `2026-06-01T10:00:0${i}Z`, DeviceId: 'd', ActionType: 'ConnectionSuccess', RemoteIP: ip, RemotePort: 443 }));
    const bytes = Buffer.concat([Buffer.from(`${lines[0]}\n${lines[1]}\n`), Buffer.alloc(5000), Buffer.from(`${lines[2]}\n`)]);
    const report = await hunt([file('a.jsonl', bytes)]);
    expect(report.files[0].errors.map((e) => e.line)).to.deep.equal([3]);
    expect(report.hits.map((h) => [h.line, h.malformed]).sort()).to.deep.equal([[1, false], [3, false]]);
  });

  it('refuses random bytes that happen to open with a JSON bracket: the line after it must be text too', () => {
    for (let seed = 0; seed < 500; seed++) {
      for (const opening of [0x5b, 0x7b]) {
        const bytes = seededBytes(5000, seed);
        bytes[0] = opening;
        expect(notTextExport(bytes), `seed ${seed}`).to.equal(true);
      }
    }
    expect(notTextExport(Buffer.from('[\n  {"RemoteIP": "179.43.139.84"}\n]\n'))).to.equal(false);
    expect(notTextExport(Buffer.from('{"records":[{"DeviceName":"hôte-é"}]}'))).to.equal(false);
  });

  it('a random-bytes file named .csv is one error, "not a text export"; zeroes at a file\'s start do not make it binary', async () => {
    const random = await hunt([file('r.csv', seededBytes(5000, 1))]);
    expect(random.files[0].errors.map((e) => e.message)).to.deep.equal([NOT_TEXT_PROBLEM]);
    const leading = await hunt([file('z.csv', Buffer.concat([Buffer.alloc(2 * 1024 * 1024), Buffer.from(TEXT)]))]);
    expect(leading.files[0].errors.map((e) => e.line)).to.deep.equal([1]);
    expect(leading.summary.hits).to.equal(4);
  });

  it('the command line: exit 1 with the hits, not 3, for a log with zero padding', () => {
    const run = runCli(['--format', 'json', file('tail.csv', Buffer.concat([Buffer.from(TEXT), Buffer.alloc(200 * 1024)]))]);
    expect(run.status).to.equal(1);
    expect(JSON.parse(run.stdout).summary.hits).to.equal(4);
  });
});

/** The same bytes on every run (SHA-256 in counter mode): a test of random-looking input must not be flaky. */
function seededBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let block = 0; block * 32 < length; block++) createHash('sha256').update(`${seed}:${block}`).digest().copy(out, block * 32);
  return out;
}
