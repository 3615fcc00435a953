import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CSL_HEADER, hunt, tempDir } from './helpers.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import { scan } from '../lib/scan/scan.js';
import { NOT_TEXT_PROBLEM } from '../lib/inputs/text-or-binary.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';
import { hashBeside } from '../lib/inputs/hash-beside.js';
import type { ScanSink } from '../lib/sink/scan-sink.js';
import type { Report } from '../lib/report/report.js';

// Files of 16 MiB or more are read and hashed by a second thread while the
// scan reads the same shared buffers. Whatever the scan does with a file
// (reads it all, stops at binary data, stops at a cut gzip stream), the
// report's bytes and SHA-256 are the whole file's, and the next file is read.

const MiB = 1024 * 1024;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function largeCsv(bytes: number, ip: string): string {
  const row = '2026-05-20T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.5,50000,93.184.216.34,443,,,,,"ordinary, ""quoted"" traffic"';
  const hit = `2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.6,50001,${ip},443,,,,,the C2`;
  const rows = `${row}\n`.repeat(Math.ceil(bytes / (row.length + 1)));
  return `${CSL_HEADER}\n${rows}${hit}\n${rows}${hit}\n`;
}

describe('large files read and hashed on a second thread', function () {
  this.timeout(60_000);

  it('reads several large files one after another through the same buffers, each hit and hash right', async () => {
    const dir = tempDir();
    const paths = ['a.csv', 'b.csv', 'c.csv'].map((name, i) => {
      const path = join(dir, name);
      writeFileSync(path, largeCsv((9 + i) * MiB, i % 2 ? '179.43.139.86' : '179.43.139.84'));
      return path;
    });
    const report = await hunt(paths, { jobs: 2 });
    expect(report.files.map((f) => [f.bytes, f.sha256, f.errors.length])).to.deep.equal(paths.map((p) => [readFileSync(p).length, sha256(p), 0]));
    expect(report.files.every((f) => f.bytes >= 16 * MiB)).to.equal(true);
    expect(report.hits.map((h) => [h.file, h.record, h.matches[0].ip])).to.deep.equal(
      report.files.flatMap((f, i) => [[f.path, f.records / 2, i % 2 ? '179.43.139.86' : '179.43.139.84'], [f.path, f.records, i % 2 ? '179.43.139.86' : '179.43.139.84']]),
    );
  });

  it('hashes all of a large binary file it refuses to read, then reads the next file', async () => {
    const dir = tempDir();
    const zeros = join(dir, 'a-disk.csv');
    const after = join(dir, 'b.csv');
    writeFileSync(zeros, randomBytes(17 * MiB));
    writeFileSync(after, largeCsv(17 * MiB, '179.43.139.84'));
    const report = await hunt([zeros, after], { jobs: 2 });
    expect(report.files[0].errors.map((e) => e.message)).to.deep.equal([NOT_TEXT_PROBLEM]);
    expect(report.files.map((f) => [f.bytes, f.sha256])).to.deep.equal([zeros, after].map((p) => [readFileSync(p).length, sha256(p)]));
    expect(report.summary.hits).to.equal(2);
  });

  it('hashes all of a large gzip file cut short, reports where it stopped, then reads the next file', async () => {
    const dir = tempDir();
    const cut = join(dir, 'a.csv.gz');
    const after = join(dir, 'b.csv');
    // random hex barely compresses: 40 MiB of it makes a gzip stream over 16 MiB
    const text = `${CSL_HEADER}\n2026-05-21T10:00:00Z,V,P,allow,TRAFFIC,10.1.1.6,50001,179.43.139.84,443,,,,,early hit\n${Array.from({ length: 40 }, () => `2026-05-20T10:00:00Z,V,P,allow,TRAFFIC,10.1.1.5,50000,93.184.216.34,443,,,,,${randomBytes(MiB / 2).toString('hex')}\n`).join('')}`;
    const gz = gzipSync(text);
    writeFileSync(cut, gz.subarray(0, gz.length - 4096));
    writeFileSync(after, largeCsv(17 * MiB, '179.43.139.86'));
    const report = await hunt([cut, after], { jobs: 2 });
    expect(report.files[0].bytes).to.be.above(16 * MiB);
    expect(report.files.map((f) => [f.bytes, f.sha256])).to.deep.equal([cut, after].map((p) => [readFileSync(p).length, sha256(p)]));
    expect(report.files[0].errors.map((e) => e.message).join(' ')).to.match(/gzip data cut short/);
    expect(report.hits.map((h) => [h.file, h.matches[0].ip])).to.deep.equal([[cut, '179.43.139.84'], [after, '179.43.139.86'], [after, '179.43.139.86']]);
  });

  it('reads all of a file whose hashing thread dies part way: every hit found, the SHA-256 said to be missing, the next file hashed by a new thread', async () => {
    const dir = tempDir();
    const first = join(dir, 'a.csv');
    const second = join(dir, 'b.csv');
    writeFileSync(first, largeCsv(20 * MiB, '179.43.139.84'));
    writeFileSync(second, largeCsv(17 * MiB, '179.43.139.86'));
    const iocs = builtinIocSet();
    const options = normalizeOptions({ paths: [first, second], format: 'json', jobs: 2 });
    const exclusions = exclusionsFor(options.exclusions);
    const builder = new ReportBuilder('test', iocs, exclusions.entries);
    let read = 0;
    let killed = false;
    const sink: ScanSink = {
      hit: (hit, found) => builder.hit(hit, found),
      file: (entry) => builder.file(entry),
      warning: (path, message) => builder.warning(path, message),
      bytesRead(count) {
        read += count;
        // as if the thread had crashed, a few MiB into the first file
        if (!killed && read >= 2 * MiB) {
          killed = true;
          void hashBeside.killThread();
        }
      },
    };
    await scan(planFromOptions(options, iocs, exclusions), sink);
    const report: Report = builder.build();
    expect(killed).to.equal(true);
    const [a, b] = report.files;
    expect([a.bytes, a.sha256, a.errors.map((e) => e.message)]).to.deep.equal([readFileSync(first).length, null, ['the SHA-256 of this file could not be computed (the hashing thread failed)']]);
    expect([b.bytes, b.sha256, b.errors]).to.deep.equal([readFileSync(second).length, sha256(second), []]);
    const lines = (path: string) => readFileSync(path, 'latin1').split('\n').length - 2;
    expect([a.records, b.records]).to.deep.equal([lines(first), lines(second)]);
    expect(report.hits.map((h) => [h.file, h.record, h.matches[0].ip])).to.deep.equal([
      [first, a.records / 2, '179.43.139.84'], [first, a.records, '179.43.139.84'],
      [second, b.records / 2, '179.43.139.86'], [second, b.records, '179.43.139.86'],
    ]);
  });
});
