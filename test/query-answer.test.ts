import { expect } from 'chai';
import { join } from 'node:path';
import { hunt, writeFiles } from './helpers.js';
import { readQueryAnswer } from '../lib/readers/query-answer-reader.js';
import { RawIocSearch } from '../lib/matcher/raw-text.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import type { SourceRecord } from '../lib/record/source-record.js';
import type { Report } from '../lib/report/report.js';

// A Log Analytics REST API answer ({"tables":[{"columns","rows"}]}) is read
// row by row: each row a record whose fields are the columns.

const CSL_COLUMNS = ['TimeGenerated', 'DeviceVendor', 'DeviceProduct', 'SourceIP', 'SourcePort', 'DestinationIP', 'DestinationPort', 'DeviceAction', 'Activity'];
const TYPES: Record<string, string> = { TimeGenerated: 'datetime', SourcePort: 'int', DestinationPort: 'int' };

type Row = Array<string | number | null>;
const cslRow = (i: number, destination: string): Row => [`2026-05-21T10:${String(i % 60).padStart(2, '0')}:00Z`, 'Palo Alto Networks', 'PAN-OS', `10.1.1.${i % 250}`, 50000 + (i % 1000), destination, 443, 'allow', 'TRAFFIC'];

function answer(rows: Row[], columns = CSL_COLUMNS, indent?: number): string {
  return JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: columns.map((name) => ({ name, type: TYPES[name] ?? 'string' })), rows }] }, null, indent);
}

async function both(files: Record<string, string | Buffer>): Promise<{ fast: Report; full: Report; dir: string }> {
  const dir = writeFiles(files);
  return { fast: await hunt([dir]), full: await hunt([dir], { fullParse: true }), dir };
}

async function records(text: string | Buffer, fullParse = true): Promise<{ records: SourceRecord[]; errors: Array<[number | null, string]>; counted: number; header: string[] | null }> {
  const errors: Array<[number | null, string]> = [];
  let counted = -1;
  let header: string[] | null = null;
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  async function* chunks() {
    // small chunks: rows, keys and strings are cut at every place
    for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
  }
  const out: SourceRecord[] = [];
  const channel = {
    search: new RawIocSearch(builtinIocSet()),
    fullParse,
    header: (names: readonly string[]) => {
      header = [...names];
    },
    error: (line: number | null, message: string) => void errors.push([line, message]),
    counted: (n: number) => {
      counted = n;
    },
  };
  for await (const record of readQueryAnswer(chunks(), channel)) out.push(record);
  return { records: out, errors, counted, header };
}

describe('Log Analytics query answers (REST API)', () => {
  it('gives the hit of a CommonSecurityLog row whose DestinationIP is a C2 address, fast path and --full-parse alike', async () => {
    const rows = [cslRow(1, '93.184.216.34'), cslRow(2, '179.43.139.84'), cslRow(3, '179.43.139.840'), cslRow(4, '20.1.2.3')];
    const { fast, full } = await both({ 'answer.json': answer(rows) });
    for (const report of [fast, full]) {
      expect(report.files[0]).to.include({ format: 'json', table: 'CommonSecurityLog', records: 4 });
      expect(report.files[0].errors).to.deep.equal([]);
      expect(report.hits.map((h) => [h.line, h.record, h.table, h.fields.DestinationIP])).to.deep.equal([[1, 2, 'CommonSecurityLog', '179.43.139.84']]);
      expect(report.hits[0].matches).to.deep.equal([{ field: 'DestinationIP', ip: '179.43.139.84', port: 443, portMatch: true }]);
      expect(report.hits[0].time).to.equal('2026-05-21T10:02:00.000Z');
    }
  });

  it('gives each row the line its `[` is on in a pretty-printed answer, and reads a gzipped one the same', async () => {
    const text = answer([cslRow(1, '10.0.0.1'), cslRow(2, '179.43.139.86'), cslRow(3, '10.0.0.3')], CSL_COLUMNS, 2);
    // each row opens on a line of its own holding only `[` (eight spaces in)
    const rowLines = text.split('\n').map((l, i) => (l === '        [' ? i + 1 : 0)).filter((n) => n > 0);
    expect(rowLines).to.have.length(3);
    const { fast, full } = await both({ 'pretty.json': text, 'pretty.json.gz': text });
    for (const report of [fast, full]) {
      expect(report.hits.map((h) => [h.file.endsWith('.gz'), h.line, h.record])).to.have.deep.members([
        [false, rowLines[1], 2],
        [true, rowLines[1], 2],
      ]);
      expect(report.files.map((f) => f.records)).to.deep.equal([3, 3]);
    }
  });

  it('reads rows across many read chunks with the reference report on the fast path', async () => {
    const rows = Array.from({ length: 40000 }, (_, i) => cslRow(i, i % 997 === 0 ? '179.43.139.84' : `20.1.${i % 200}.${i % 90}`));
    const { fast, full } = await both({ 'big.json': answer(rows) });
    expect(fast.files[0].bytes).to.be.above(2 * 1024 * 1024);
    expect(fast.files[0].records).to.equal(40000);
    expect(fast.summary.hits).to.equal(Math.ceil(40000 / 997));
    expect(fast.hits.map((h) => h.record).sort((a, b) => a - b)).to.deep.equal(full.hits.map((h) => h.record).sort((a, b) => a - b));
  });

  it('reads Azure Data Explorer\'s capitalised form (Tables, Columns of ColumnName, Rows)', async () => {
    const text = JSON.stringify({ Tables: [{ TableName: 'Table_0', Columns: CSL_COLUMNS.map((ColumnName) => ({ ColumnName, DataType: 'String' })), Rows: [cslRow(1, '179.43.139.84')] }] });
    const { fast } = await both({ 'adx.json': text });
    expect(fast.hits.map((h) => h.matches[0].field)).to.deep.equal(['DestinationIP']);
  });

  it('names the table from a Type column, as a CSV export does', async () => {
    const columns = ['TimeGenerated', 'RemoteIP', 'RemotePort', 'Type'];
    const { records: out } = await records(answer([['2026-05-21T10:00:00Z', '179.43.139.84', 443, 'DeviceNetworkEvents']], columns));
    expect(out[0].declaredTable).to.equal('DeviceNetworkEvents');
    expect(out[0].fields?.get('remoteport')).to.equal('443');
  });

  it('finds an address spelled with JSON escapes on the fast path (escapes are never skimmed)', async () => {
    const text = answer([cslRow(1, '10.0.0.1')]).replace('10.0.0.1', '\\u0031\\u0037\\u0039.43.139.84');
    const { fast } = await both({ 'escaped.json': text });
    expect(fast.hits.map((h) => h.matches[0].ip)).to.deep.equal(['179.43.139.84']);
  });

  it('counts rows without IOC text without handing them over, and still counts them all', async () => {
    const rows = [cslRow(1, '10.0.0.1'), cslRow(2, '179.43.139.84'), cslRow(3, '10.0.0.3')];
    const skimmed = await records(answer(rows), false);
    expect(skimmed.records.map((r) => r.index)).to.deep.equal([2]);
    expect(skimmed.counted).to.equal(3);
    expect(skimmed.header).to.deep.equal(CSL_COLUMNS);
    const every = await records(answer(rows), true);
    expect(every.records.map((r) => r.index)).to.deep.equal([1, 2, 3]);
  });

  it('reports a ragged row and a row that is not a list as malformed, with the IOC found in its text', async () => {
    const text = answer([cslRow(1, '10.0.0.1'), cslRow(2, '10.0.0.2'), cslRow(3, '10.0.0.3')])
      .replace('"10.0.0.2",443', '"179.43.139.86",443,"extra"')
      .replace(/\["2026-05-21T10:03:00Z"[^\]]*\]/, '{"DestinationIP":"179.43.139.84"}');
    const { fast, full } = await both({ 'ragged.json': text });
    for (const report of [fast, full]) {
      expect(report.files[0].errors.map((e) => e.message)).to.deep.equal(['row has 10 values, the column list has 9', 'a row is not a JSON array']);
      expect(report.hits.map((h) => [h.record, h.malformed, h.matches[0].ip])).to.have.deep.members([
        [2, true, '179.43.139.86'],
        [3, true, '179.43.139.84'],
      ]);
    }
  });

  it('says when the answer is cut short, and still reports the IOC in the cut row', async () => {
    const text = answer([cslRow(1, '10.0.0.1'), cslRow(2, '179.43.139.84')]);
    const cut = text.slice(0, text.indexOf('179.43.139.84') + 20);
    const { fast } = await both({ 'cut.json': cut });
    expect(fast.files[0].records).to.equal(2);
    expect(fast.files[0].errors.map((e) => e.message)).to.deep.equal(['the query answer ends inside this row (file cut short?)']);
    expect(fast.hits.map((h) => [h.record, h.malformed])).to.deep.equal([[2, true]]);
  });

  it('says a partial answer is partial (the service\'s "error" entry)', async () => {
    const text = answer([cslRow(1, '10.0.0.1')]).replace(/\}$/, ',"error":{"code":"PartialError","message":"There were some errors when processing your query."}}');
    const { errors } = await records(text);
    expect(errors).to.deep.equal([[1, 'the query answer reports an error (PartialError: There were some errors when processing your query.); its rows may be only part of the query\'s result']]);
  });

  it('searches damaged structure as raw text rather than dropping it', async () => {
    const text = answer([cslRow(1, '10.0.0.1')]).replace(/\]\]\}\]\}$/, ']] garbage "179.43.139.86" }]}');
    const { fast } = await both({ 'damaged.json': text });
    expect(fast.files[0].errors.map((e) => e.message)).to.deep.equal([
      'not a well-formed query answer here (`,` or the end of a list was expected): the rest of the file is not read as rows, only searched for IOC addresses',
      'IOC text in the damaged part of the query answer',
    ]);
    expect(fast.hits.map((h) => [h.malformed, h.matches[0].ip])).to.deep.equal([[true, '179.43.139.86']]);
  });

  it('says so when an object holds no table list', async () => {
    const { errors, records: out } = await records('{"tables_v2":[], "other":{"rows":[["179.43.139.84"]]}}');
    expect(out).to.deep.equal([]);
    expect(errors).to.deep.equal([[1, 'no "tables" list in this query answer: nothing to read']]);
  });

  it('keeps memory to one row: an oversized row is searched as it streams, not held', async () => {
    const huge = 'x'.repeat(3000);
    const text = answer([[...cslRow(1, '179.43.139.84').slice(0, 8), huge]]);
    const errors: string[] = [];
    const out: SourceRecord[] = [];
    const channel = { search: new RawIocSearch(builtinIocSet()), fullParse: true, error: (_l: number | null, m: string) => void errors.push(m) };
    async function* one() {
      yield Buffer.from(text);
    }
    for await (const record of readQueryAnswer(one(), channel, 1024)) out.push(record);
    expect(out).to.have.length(1);
    expect(out[0].fields).to.equal(null);
    expect(out[0].problem).to.match(/^record larger than/);
    expect([...(out[0].rawIps ?? [])]).to.deep.equal(['179.43.139.84']);
  });

  it('is sniffed from content whatever the file is called', async () => {
    // a file named explicitly is read whatever its extension
    const dir = writeFiles({ 'answer.txt': answer([cslRow(1, '179.43.139.84')]) });
    const report = await hunt([join(dir, 'answer.txt')]);
    expect(report.files[0].format).to.equal('json');
    expect(report.summary.hits).to.equal(1);
  });
});
