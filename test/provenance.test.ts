import { expect } from 'chai';
import { hunt, writeFiles } from './helpers.js';

// `line` is where the record starts in the (decompressed) text; `record` its
// index among data records. Both must survive quoted newlines, CRLF, BOMs,
// blank lines, gzip and every JSON shape.

const HEADER = '\uFEFFTenantId,"TimeGenerated [UTC]",DeviceVendor,DeviceProduct,SourceIP,DestinationIP,DestinationPort,Message\r\n';
const portalCsv =
  HEADER +
  '"t1","10/15/2020, 6:38:45.828 PM",Cisco,Firepower,"10.1.8.20","13.107.4.52",80,"first line\r\nsecond, with ""quotes""\r\nthird"\r\n' +
  '\r\n' +
  '"t1","10/15/2020, 6:40:00.000 PM",Cisco,Firepower,"10.1.8.21","179.43.139.84",443,null\r\n' +
  '"t1","10/15/2020, 6:41:00.000 PM",Cisco,Firepower,"179.43.139.86","10.1.8.22",null,"a\nb"\r\n' +
  '"t1","10/15/2020, 6:42:00.000 PM",Cisco,Firepower,"10.1.8.23","179.43.139.86",443,x';

describe('record provenance', () => {
  it('gives the starting line of records after quoted CRLF newlines and a blank line', async () => {
    const report = await hunt([writeFiles({ 'portal.csv': portalCsv })]);
    expect(report.files[0]).to.include({ format: 'csv', compressed: false, table: 'CommonSecurityLog', records: 4 });
    const where = report.hits.map((h) => [h.line, h.record, h.time]);
    expect(where).to.deep.equal([
      [9, 4, '2020-10-15T18:42:00.000Z'],
      [7, 3, '2020-10-15T18:41:00.000Z'],
      [6, 2, '2020-10-15T18:40:00.000Z'],
    ]);
    expect(report.hits[2].fields).to.deep.equal({
      TimeGenerated: '10/15/2020, 6:40:00.000 PM', SourceIP: '10.1.8.21', DestinationIP: '179.43.139.84', DestinationPort: '443', DeviceAction: null, Activity: null,
    });
    expect(report.hits[1].matches[0]).to.deep.equal({ field: 'SourceIP', ip: '179.43.139.86', port: null, portMatch: null });
  });

  it('gives the same lines for the gzipped file and says it was compressed', async () => {
    const report = await hunt([writeFiles({ 'portal.csv.gz': portalCsv })]);
    expect(report.files[0]).to.include({ format: 'csv', compressed: true, records: 4 });
    expect(report.hits.map((h) => h.line)).to.deep.equal([9, 7, 6]);
  });

  it('reads a tab-delimited export', async () => {
    const tsv = 'TimeGenerated [UTC]\tDeviceVendor\tSourceIP\tDestinationIP\tDestinationPort\n11/20/2020, 4:20:29.443 PM\tSonicWall\t10.0.0.1\t179.43.139.84\t443\n';
    const report = await hunt([writeFiles({ 'sonic.tsv': tsv })]);
    expect(report.files[0]).to.include({ format: 'csv', table: 'CommonSecurityLog', records: 1 });
    expect(report.hits[0].time).to.equal('2020-11-20T16:20:29.443Z');
  });

  it('locates each element of a pretty-printed JSON array by its opening brace', async () => {
    const rows = [
      { 'TimeGenerated [Eastern Time (US and Canada)]': '11/20/2020, 10:52:04.808 AM', DeviceVendor: 'Symantec', SourceIP: '10.0.0.1', DestinationIP: '179.43.139.84', DestinationPort: '443', Message: 'brace } and [ in a string' },
      { 'TimeGenerated [Eastern Time (US and Canada)]': '7/1/2021, 1:00:00.000 PM', DeviceVendor: 'Symantec', SourceIP: '10.0.0.2', DestinationIP: '10.0.0.3', DestinationPort: '' },
      { 'TimeGenerated [Eastern Time (US and Canada)]': '7/1/2021, 1:00:00.000 PM', DeviceVendor: 'Symantec', SourceIP: '179.43.139.86', DestinationIP: '10.0.0.3', DestinationPort: '' },
    ];
    const text = JSON.stringify(rows, null, 2).replace(/\n/g, '\r\n');
    const report = await hunt([writeFiles({ 'dlp.json': text })]);
    expect(report.files[0]).to.include({ format: 'json', table: 'CommonSecurityLog', records: 3 });
    expect(report.hits.map((h) => [h.record, h.line, h.time])).to.deep.equal([
      [3, 17, '2021-07-01T17:00:00.000Z'],
      [1, 2, '2020-11-20T15:52:04.808Z'],
    ]);
  });

  it('reads a one-line JSON array and an Event Hub records object of streaming-API rows', async () => {
    const streaming = (ip: string, ts: string) => ({
      time: '2026-07-18T14:00:54.7649349Z', tenantId: 't', operationName: 'Publish', category: 'AdvancedHunting-DeviceNetworkEvents',
      properties: { Timestamp: ts, DeviceName: 'mbp16', DeviceId: 'd', RemoteIP: ip, RemotePort: 443, LocalIP: '10.0.0.183', LocalPort: 53630, ActionType: 'ConnectionSuccess', InitiatingProcessFileName: 'perl', RemoteUrl: null },
    });
    const dir = writeFiles({
      'flat.json': JSON.stringify([{ Timestamp: '2026-07-18T13:58:42.666487Z', DeviceId: 'd', ActionType: 'ConnectionSuccess', RemoteIP: '179.43.139.84', RemotePort: 443 }]),
      'hub.json': JSON.stringify({ records: [streaming('20.42.65.85', '2026-07-18T13:00:00Z'), streaming('179.43.139.86', '2026-07-18T13:58:42.666487Z')] }, null, 2),
    });
    const report = await hunt([dir]);
    const byFile = Object.fromEntries(report.files.map((f) => [f.path.split('/').pop(), f]));
    expect(byFile['flat.json']).to.include({ format: 'json', table: 'DeviceNetworkEvents', records: 1 });
    expect(byFile['hub.json']).to.include({ format: 'json', table: 'DeviceNetworkEvents', records: 2 });
    const hub = report.hits.find((h) => h.file.endsWith('hub.json'))!;
    expect(hub).to.include({ record: 2, time: '2026-07-18T13:58:42.666Z' });
    expect(hub.fields).to.deep.equal({ Timestamp: '2026-07-18T13:58:42.666487Z', DeviceName: 'mbp16', RemoteIP: '179.43.139.86', RemotePort: '443', InitiatingProcessFileName: 'perl', ActionType: 'ConnectionSuccess' });
  });

  it('reads JSON lines with CRLF, skips blank lines, and (parsing every record) keeps going after a broken line', async () => {
    const line = (ip: string) => JSON.stringify({ category: 'AdvancedHunting-DeviceNetworkEvents', properties: { Timestamp: '2026-07-18T13:58:42Z', RemoteIP: ip, RemotePort: 443, ActionType: 'ConnectionSuccess' } });
    const text = [line('10.0.0.1'), '', line('179.43.139.84'), '{"broken": ', line('179.43.139.86')].join('\r\n') + '\r\n';
    const report = await hunt([writeFiles({ 'events.json': text, 'events.ndjson.gz': text })], { fullParse: true });
    for (const file of report.files) {
      expect(file).to.include({ format: 'ndjson', table: 'DeviceNetworkEvents', records: 4 });
      expect(file.errors).to.have.length(1);
      expect(file.errors[0].line).to.equal(4);
      expect(file.errors[0].message).to.match(/invalid JSON/);
    }
    expect(report.files.map((f) => f.compressed).sort()).to.deep.equal([false, true]);
    expect(report.hits.filter((h) => h.file.endsWith('events.json')).map((h) => [h.line, h.record]).sort()).to.deep.equal([[3, 2], [5, 4]]);
  });

  it('marks a file of no catalogued table unknown, counts its records and finds only whole-value addresses in it', async () => {
    const report = await hunt([writeFiles({ 'custom.csv': 'TimeGenerated,Computer,Peer,Message\n2026-01-01T00:00:00Z,h,10.0.0.1,saw 179.43.139.84\n2026-01-01T00:00:01Z,h,179.43.139.840,x\n' })]);
    expect(report.files[0]).to.include({ table: 'unknown', records: 2 });
    expect(report.hits).to.deep.equal([]);
  });

  it('reads the Type column of each record, so a data export holding both tables is mixed', async () => {
    const text = [
      { Type: 'CommonSecurityLog', TimeGenerated: '2026-01-01T00:00:00Z', DestinationIP: '179.43.139.84', DestinationPort: 443 },
      { Type: 'DeviceNetworkEvents', TimeGenerated: '2026-01-02T00:00:00Z', RemoteIP: '179.43.139.86', RemotePort: 443 },
    ].map((r) => JSON.stringify(r)).join('\n');
    const report = await hunt([writeFiles({ 'export.jsonl': text })]);
    expect(report.files[0].table).to.equal('mixed');
    expect(report.hits.map((h) => [h.table, h.time])).to.deep.equal([
      ['DeviceNetworkEvents', '2026-01-02T00:00:00.000Z'],
      ['CommonSecurityLog', '2026-01-01T00:00:00.000Z'],
    ]);
  });
});
