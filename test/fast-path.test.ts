import { expect } from 'chai';
import { join } from 'node:path';
import { CsvFramer, type FramedRecord } from '../lib/readers/csv-framer.js';
import { RawIocSearch } from '../lib/matcher/raw-text.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FIXTURES, ROOT, hunt, writeFiles } from './helpers.js';
import { SCAN_KERNEL_WASM } from '../lib/kernel/scan-kernel-wasm.js';
import { scanKernel } from '../lib/kernel/scan-kernel.js';
import type { Report } from '../lib/report/report.js';

// The fast path (records with no IOC text counted, not parsed) must give the
// reference path's report: same files, records, lines, hits. Only the run's
// own times differ.

function comparable(report: Report): unknown {
  const { startedAt: _s, finishedAt: _f, ...rest } = report as Report & Record<string, unknown>;
  delete (rest as Record<string, unknown>).run;
  // how records were searched differs by design: the fast path counts by raw text the records --full-parse reads through their table (or, of a table not read, leaves unsearched)
  const { searched: _w, notSearched: _n, ...summary } = report.summary;
  return { ...rest, summary, files: report.files.map(({ searched: _r, ...file }) => file) };
}

/** A CSV with quoted fields holding commas, doubled quotes and CRLF/LF newlines, IOCs here and there. */
function trickyCsv(rows: number): string {
  const header = 'TimeGenerated,DeviceVendor,SourceIP,DestinationIP,DestinationPort,Message';
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const ip = i % 37 === 0 ? '179.43.139.84' : i % 53 === 0 ? '179.43.139.86' : `10.2.${i % 200}.${i % 97}`;
    const message = i % 4 === 0 ? `"line one, with ""quotes""\r\nline two\n179.43.139.84 in text, ${i}"` : i % 4 === 1 ? `"${'x'.repeat(i % 300)}"` : `plain ${i}`;
    lines.push(`2026-06-01T10:${String(i % 60).padStart(2, '0')}:00Z,Vendor,10.9.9.${i % 250},${ip},443,${message}`);
  }
  return lines.join(i2nl(rows)) + '\n';
}
function i2nl(rows: number): string {
  return rows % 2 === 0 ? '\r\n' : '\n';
}

describe('the fast path', () => {
  it('gives the reference report on every fixture', async () => {
    const fast = await hunt([FIXTURES]);
    const full = await hunt([FIXTURES], { fullParse: true });
    expect(comparable(fast)).to.deep.equal(comparable(full));
  });

  it('gives the reference report on CSV and JSON lines spanning many read chunks', async () => {
    const csv = trickyCsv(12000);
    const jsonl = Array.from({ length: 30000 }, (_, i) => JSON.stringify({ Timestamp: `2026-06-01T10:00:${String(i % 60).padStart(2, '0')}Z`, DeviceId: `d${i}`, ActionType: 'ConnectionSuccess', RemoteIP: i % 41 === 0 ? '179.43.139.86' : `20.1.${i % 200}.${i % 90}`, RemotePort: 443, InitiatingProcessCommandLine: `perl run.pl --to 179.43.139.84 ${'y'.repeat(i % 50)}` })).join('\n');
    const dir = writeFiles({ 'big.csv': csv, 'big.csv.gz': csv, 'big.jsonl': jsonl, 'big.jsonl.gz': jsonl });
    const fast = await hunt([dir]);
    const full = await hunt([dir], { fullParse: true });
    expect(fast.files.every((f) => f.bytes > 1024 * 1024 || f.compressed)).to.equal(true);
    expect(fast.summary.hits).to.be.above(100);
    expect(comparable(fast)).to.deep.equal(comparable(full));
  });

  it('frames the same records wherever the chunks are cut', () => {
    const search = new RawIocSearch(builtinIocSet());
    const text = Buffer.from(trickyCsv(60).replace('plain 7', '"unclosed 7'));
    const frame = (pieces: Buffer[], fullParse: boolean, kernel = true) => {
      const framer = new CsvFramer(0x2c, search, { fullParse, kernel });
      const out: FramedRecord[] = [];
      for (const piece of pieces) out.push(...framer.push(piece));
      out.push(...framer.end());
      return { records: framer.records, out: out.map((r) => [r.ordinal, r.line, r.offset, r.bytes?.toString('latin1') ?? r.broken]) };
    };
    const whole = frame([text], true, false);
    const wholeFast = frame([text], false, false);
    const wholeFastKernel = frame([text], false, true);
    // the WebAssembly kernel and the JavaScript loop apply the same quote rules
    expect(frame([text], true)).to.deep.equal(whole);
    expect(whole.records).to.be.within(55, 65);
    // the kernel also counts fields, so it hands over the ragged records the unclosed quote makes
    const handedByJs = new Set(wholeFast.out.map((r) => r[0]));
    expect(wholeFastKernel.out.filter((r) => handedByJs.has(r[0]))).to.deep.equal(wholeFast.out);
    expect(wholeFastKernel.out.length).to.be.above(wholeFast.out.length);
    for (let cut = 1; cut < text.length; cut += 7) {
      const pieces = [text.subarray(0, cut), text.subarray(cut)];
      expect(frame(pieces, true), `cut at ${cut}`).to.deep.equal(whole);
      expect(frame(pieces, false), `cut at ${cut}`).to.deep.equal(wholeFastKernel);
      expect(frame(pieces, false, false), `cut at ${cut}, no kernel`).to.deep.equal(wholeFast);
      expect(frame(pieces, true, false), `cut at ${cut}, no kernel`).to.deep.equal(whole);
    }
    // the fast path hands over only the header, IOC records and the broken one
    expect(wholeFast.out.length).to.be.below(whole.out.length);
    const handed = new Set(wholeFast.out.map((r) => r[0]));
    for (const record of whole.out) {
      const text = String(record[3]);
      if (record[0] === 1 || text.includes('179.43.139.8')) expect(handed.has(record[0]), `record ${record[0]}`).to.equal(true);
    }
  });

  it('frames quote edge cases alike with and without the WebAssembly kernel', () => {
    const search = new RawIocSearch(builtinIocSet());
    const cases = ['a,b\n"x""",y\n', 'a,b\n"",""\n', 'a,b\nx"y,"z\n"\n', 'a,b\n"q\r\n",1\r\n', '"h",b\n1,2', 'a\tb\n"t\tq"\tz\n', 'a,b\n1,"open\n2,3\n'];
    for (const text of cases) {
      const bytes = Buffer.from(text);
      const delimiter = text.includes('\t') ? 0x09 : 0x2c;
      const run = (kernel: boolean, cut: number) => {
        const framer = new CsvFramer(delimiter, search, { fullParse: true, kernel });
        const out = [...framer.push(bytes.subarray(0, cut)), ...framer.push(bytes.subarray(cut)), ...framer.end()];
        return out.map((r) => [r.ordinal, r.line, r.offset, r.bytes?.toString('latin1') ?? r.broken]);
      };
      for (let cut = 0; cut <= bytes.length; cut++) expect(run(true, cut), `${JSON.stringify(text)} cut at ${cut}`).to.deep.equal(run(false, cut));
    }
  });

  it('finds IOC text candidates in WebAssembly exactly where a native search does', () => {
    const kernel = scanKernel()!;
    const text = Buffer.alloc(70000, 0x61);
    const planted = [0, 15, 31, 4083, 4096, 33333, 69970];
    for (const at of planted) text.write(at % 2 ? '179.43.139.84' : '179.43.139.86', at, 'latin1');
    text.write('179.', 40000, 'latin1'); // the anchor alone is no candidate
    text.write('179.43.139.8', 69988, 'latin1'); // may go on in the next chunk: a candidate
    const expected: number[] = [];
    for (let at = text.indexOf('179.'); at >= 0; at = text.indexOf('179.', at + 1)) expected.push(at);
    expect(kernel.anchors(text, Buffer.from('179.'))).to.deep.equal(expected);
    // the search the fast path runs on every chunk
    const search = new RawIocSearch(builtinIocSet());
    expect(search.candidates(text, Buffer.alloc(0))).to.deep.equal([...planted, 69988]);
  });

  it('keeps the assembled kernel in step with its source (npm run build:kernel)', async () => {
    const { assemble } = (await import(join(ROOT, 'lib', 'kernel', 'assemble.mjs'))) as { assemble(path: string): Promise<Buffer> };
    const built = await assemble(join(ROOT, 'lib', 'kernel', 'scan-kernel.wat'));
    expect(built.toString('base64')).to.equal(SCAN_KERNEL_WASM);
  });

  it('falls back to JavaScript where WebAssembly is off (node --jitless), with the same report', () => {
    const withKernel = spawnSync(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', 'json', '--jobs', '1', FIXTURES], { encoding: 'utf8' });
    const jitless = spawnSync(process.execPath, ['--jitless', join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', 'json', '--jobs', '1', FIXTURES], { encoding: 'utf8' });
    expect(jitless.status, jitless.stderr).to.equal(1);
    expect(comparable(JSON.parse(jitless.stdout) as Report)).to.deep.equal(comparable(JSON.parse(withKernel.stdout) as Report));
  });

  it('hashes a large file on another core, reusing read buffers without corrupting records held across them', async () => {
    // 20 MiB: read through the 4-buffer ring five times over; one record spans 5 MiB of buffers
    const base = trickyCsv(8000);
    const giant = `2026-06-02T00:00:00Z,Vendor,10.9.9.9,179.43.139.86,443,"${'z,'.repeat(2.5 * 1024 * 1024)}\n"\n`;
    const body = base + giant + base.slice(base.indexOf('\n') + 1).repeat(2) + giant;
    const text = body + base.slice(base.indexOf('\n') + 1).repeat(Math.ceil((20 * 1024 * 1024 - body.length) / base.length));
    const dir = writeFiles({ 'large.csv': text });
    const fast = await hunt([join(dir, 'large.csv')]);
    const full = await hunt([join(dir, 'large.csv')], { fullParse: true });
    expect(fast.files[0].bytes).to.be.above(20 * 1024 * 1024);
    expect(fast.files[0].sha256).to.equal(createHash('sha256').update(readFileSync(join(dir, 'large.csv'))).digest('hex'));
    expect(fast.hits.filter((h) => h.fields.Message === undefined && h.matches[0].ip === '179.43.139.86').length).to.be.above(0);
    expect(comparable(fast)).to.deep.equal(comparable(full));
  });

  it('finishes a command-line scan of a large file hashed on another core (nothing left pending)', () => {
    // a wait on shared memory does not keep a process alive: the run must not end before its report
    const line = JSON.stringify({ Timestamp: '2026-06-01T10:00:00Z', DeviceId: 'd', ActionType: 'ConnectionSuccess', RemoteIP: '20.1.2.3', RemotePort: 443, InitiatingProcessCommandLine: 'x'.repeat(900) });
    const hit = JSON.stringify({ Timestamp: '2026-06-01T11:00:00Z', DeviceId: 'd', ActionType: 'ConnectionSuccess', RemoteIP: '179.43.139.84', RemotePort: 443 });
    const dir = writeFiles({ 'large.jsonl': `${`${line}\n`.repeat(18000)}${hit}\n` });
    for (let run = 0; run < 3; run++) {
      const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', 'json', '--jobs', '2', join(dir, 'large.jsonl')], { encoding: 'utf8' });
      expect(result.status, result.stderr).to.equal(1);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.files[0].bytes).to.be.above(16 * 1024 * 1024);
      expect(report.files[0].sha256).to.equal(createHash('sha256').update(readFileSync(join(dir, 'large.jsonl'))).digest('hex'));
      expect(report.summary.hits).to.equal(1);
    }
  });

  it('gives the same report with files on several threads (--jobs) as on one', async () => {
    const one = await hunt([FIXTURES], { jobs: 1 });
    const three = await hunt([FIXTURES], { jobs: 3 });
    expect(comparable(three)).to.deep.equal(comparable(one));
  });

  it('parses a JSON line whose IOC is spelled with \\u escapes, which the raw-text search cannot see', async () => {
    const plain = (i: number) => JSON.stringify({ Timestamp: '2026-06-01T10:00:00Z', DeviceId: `d${i}`, ActionType: 'ConnectionSuccess', RemoteIP: `20.1.1.${i % 200}`, RemotePort: 443 });
    const escaped = '{"Timestamp":"2026-06-01T11:00:00Z","DeviceId":"dx","ActionType":"ConnectionSuccess","RemoteIP":"\\u0031\\u0037\\u0039.43.139.84","RemotePort":443}';
    const lines = [plain(0), plain(1), escaped, plain(2)];
    const dir = writeFiles({ 'e.jsonl': lines.join('\n') + '\n', 'e.jsonl.gz': lines.join('\n') + '\n' });
    const fast = await hunt([dir]);
    const full = await hunt([dir], { fullParse: true });
    expect(fast.hits.map((h) => [h.line, h.matches[0].ip])).to.deep.equal([[3, '179.43.139.84'], [3, '179.43.139.84']]);
    expect(comparable(fast)).to.deep.equal(comparable(full));
  });

  it('parses each \\u-escaped JSON line of a large file, found in the same pass as the anchor search, and only those', async () => {
    // a path's escaped backslash before a `u` (`c:\\\\users`) is no escape; thousands of them, and a few real ones
    const plain = (i: number) => JSON.stringify({ Timestamp: '2026-06-01T10:00:00Z', DeviceId: `d${i}`, ActionType: 'ConnectionSuccess', RemoteIP: `20.1.1.${i % 200}`, RemotePort: 443, FolderPath: `c:\\users\\u${i}\\179.43.139.84x` });
    const escaped = (i: number) => `{"Timestamp":"2026-06-01T11:00:00Z","DeviceId":"e${i}","ActionType":"ConnectionSuccess","RemoteIP":"\\u0031\\u0037\\u0039.43.139.8${i % 2 === 0 ? '4' : '6'}","RemotePort":443}`;
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 7_001 === 6_999 ? escaped(i) : plain(i)));
    const dir = writeFiles({ 'big.jsonl': `${lines.join('\n')}\n` });
    const fast = await hunt([dir]);
    expect(fast.hits.map((h) => h.line)).to.deep.equal(lines.flatMap((line, i) => (line.includes('"e') ? [i + 1] : [])));
    expect(comparable(fast)).to.deep.equal(comparable(await hunt([dir], { fullParse: true })));
  });

  it('lists a ragged CSV row and a cut JSON line with no IOC text, but not a whole-looking invalid JSON line (--full-parse does)', async () => {
    const csv = 'TimeGenerated,DeviceVendor,SourceIP,DestinationIP\n2026-06-01T00:00:00Z,V,10.0.0.1,10.0.0.2\n2026-06-01T00:00:00Z,V,10.0.0.1\n"2026-06-01","a,b",10.0.0.1,"x""y"\n';
    const jsonl = '{"RemoteIP":"10.0.0.1","ActionType":"ConnectionSuccess"}\n{"RemoteIP": \n{"RemoteIP":"10.0.0.2","ActionType":"ConnectionSuccess",}\n{"RemoteIP":"10.0.0.3"}\r\n';
    const dir = writeFiles({ 'r.csv': csv, 'e.jsonl': jsonl });
    const fast = await hunt([join(dir, 'r.csv'), join(dir, 'e.jsonl')]);
    const full = await hunt([join(dir, 'r.csv'), join(dir, 'e.jsonl')], { fullParse: true });
    const errors = (report: Report) => report.files.map((f) => [f.path.split('/').pop(), f.records, f.errors.map((e) => e.line)]);
    expect(errors(full)).to.deep.equal([['r.csv', 3, [3]], ['e.jsonl', 4, [2, 3]]]);
    expect(errors(fast)).to.deep.equal([['r.csv', 3, [3]], ['e.jsonl', 4, [2]]]);
  });

});
