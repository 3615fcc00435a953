import { expect } from 'chai';
import { CSL_HEADER, DNE_HEADER, hunt, writeFiles } from './helpers.js';
import { printText } from '../lib/printers/text-printer.js';
import { printToString, streamOf } from '../lib/report/report-stream.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { RawIocSearch } from '../lib/matcher/raw-text.js';
import { readCsv } from '../lib/readers/csv-reader.js';
import type { Report } from '../lib/report/report.js';

// Issue 14, item 7: paths an input can force to cost more than linear time or
// memory. Timing is the bench's business (`--slow-paths`); these tests hold
// the behaviour that makes them linear: long values cut in the text report,
// bytes framed again at most once, records handed on as they are read.

const hitRow = (ip: string) => `2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,${ip},443,,,,,end`;

function errorsOf(report: Report): Array<[number | null, string]> {
  return report.files.flatMap((f) => f.errors.map((e): [number | null, string] => [e.line, e.message]));
}

describe('text report: very long values', () => {
  it('cuts a 100,000-character value, saying how much was cut, and keeps every line within 80 columns', async () => {
    const device = `host-${'x'.repeat(99_995)}`;
    const text = [DNE_HEADER, `2026-06-01T10:00:00Z,d1,${device},ConnectionSuccess,179.43.139.84,443,,10.0.0.9,50000,perl,perl x.pl,`, ''].join('\n');
    const report = await hunt([writeFiles({ 'long.csv': text })]);
    expect(report.hits).to.have.length(1);
    expect(report.hits[0].fields.DeviceName).to.equal(device); // the JSON report keeps it whole
    const page = await printToString((r) => printText(r, false), streamOf(report));
    // the hit's head line: time, table, then `device ` and the value; the first 2,000 characters are shown
    const shown = 2000 - '2026-06-01T10:00:00.000Z  DeviceNetworkEvents  device '.length;
    expect(page).to.include(`… (${(100_000 - shown).toLocaleString('en-US')} more characters)`);
    expect(page.length).to.be.lessThan(20_000);
    for (const line of page.split('\n')) expect([...line].length).to.be.at.most(80);
    // what follows the long value is still shown
    expect(page).to.include('IOC 179.43.139.84:443 in RemoteIP');
  });
});

describe('CSV: unclosed quotes framed again at most once', () => {
  it('reads 40,000 lines that each open a quote the next lines never close, and the hit after them', async () => {
    // every line `a","` leaves a quote open, whether read inside a quoted field or at a record's start
    const text = `${CSL_HEADER}\n${'a","\n'.repeat(40_000)}${hitRow('179.43.139.84')}\n`;
    const report = await hunt([writeFiles({ 'quotes.csv': text })]);
    const errors = errorsOf(report);
    expect(errors[0]).to.deep.equal([2, 'a quoted field is never closed; read as a one-line broken record']);
    expect(errors[999]).to.deep.equal([1001, 'a quoted field is never closed; read as a one-line broken record']);
    expect(errors[1000]).to.deep.equal([null, '39000 more errors in this file, not listed']);
    expect(report.files[0].records).to.equal(40_001);
    expect(report.hits.filter((h) => !h.malformed).map((h) => [h.line, h.matches[0].ip])).to.deep.equal([[40_002, '179.43.139.84']]);
  });
});

describe('CSV: ragged and broken rows are handed on as they are read', () => {
  const search = new RawIocSearch(builtinIocSet());

  /** How many records the reader had handed on when each chunk was asked for. */
  async function handedOnBefore(chunks: Buffer[]): Promise<{ seen: number[]; records: number }> {
    const seen: number[] = [];
    let records = 0;
    async function* content(): AsyncGenerator<Buffer> {
      for (const chunk of chunks) {
        seen.push(records);
        yield chunk;
      }
    }
    for await (const _ of readCsv(content(), { search, fullParse: false, error: () => {} })) records++;
    return { seen, records };
  }

  for (const [kind, line] of [['ragged', Buffer.from('a,b,c\n')], ['not UTF-8', Buffer.from('caf\xe9,x\n', 'latin1')]] as const) {
    it(`${kind} rows after a good one do not pile up waiting for the next good one`, async () => {
      const head = Buffer.from(`${CSL_HEADER}\n${hitRow('179.43.139.84')}\n`);
      const chunks = [head, ...Array.from({ length: 20 }, () => Buffer.concat(Array(1000).fill(line)))];
      const { seen, records } = await handedOnBefore(chunks);
      expect(records).to.equal(20_001);
      // when the last chunk is asked for, the 19,000 rows before it are on their way (the parser may hold one back)
      expect(seen[20]).to.be.at.least(19_000);
    });
  }

});
