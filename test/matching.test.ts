import { expect } from 'chai';
import { hunt, writeFiles, CSL_HEADER, DNE_HEADER } from './helpers.js';

// End to end through the readers: what a responder sees in the report.

function cslRow(fields: Partial<Record<string, string>>): string {
  return CSL_HEADER.split(',').map((c) => fields[c] ?? '').map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

function dneRow(fields: Partial<Record<string, string>>): string {
  return DNE_HEADER.split(',').map((c) => fields[c] ?? '').map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

const base = { TimeGenerated: '2026-06-01T10:00:00Z', DeviceVendor: 'Palo Alto Networks', DeviceProduct: 'PAN-OS', DeviceAction: 'allow', Activity: 'TRAFFIC' };
const dneBase = { Timestamp: '2026-06-01T10:00:00Z', DeviceId: 'abc', DeviceName: 'web-01', ActionType: 'ConnectionSuccess', InitiatingProcessFileName: 'perl' };

describe('which records are hits', () => {
  it('finds an IOC in every CommonSecurityLog watched field with the port beside it', async () => {
    const dir = writeFiles({
      'csl.csv': [
        CSL_HEADER,
        cslRow({ ...base, SourceIP: '10.0.0.5', SourcePort: '50000', DestinationIP: '179.43.139.84', DestinationPort: '443' }),
        cslRow({ ...base, SourceIP: '179.43.139.86', SourcePort: '8080', DestinationIP: '10.0.0.5', DestinationPort: '22' }),
        cslRow({ ...base, SourceIP: '10.0.0.6', SourceTranslatedAddress: '179.43.139.84', SourceTranslatedPort: '443' }),
        cslRow({ ...base, SourceIP: '10.0.0.7', DestinationTranslatedAddress: '179.43.139.86' }),
        cslRow({ ...base, SourceIP: '10.0.0.8', DestinationIP: '8.8.8.8', DestinationPort: '53' }),
      ].join('\n'),
    });
    const report = await hunt([dir]);
    const matches = report.hits.sort((a, b) => a.record - b.record).map((h) => [h.record, h.matches]);
    expect(matches).to.deep.equal([
      [1, [{ field: 'DestinationIP', ip: '179.43.139.84', port: 443, portMatch: true }]],
      [2, [{ field: 'SourceIP', ip: '179.43.139.86', port: 8080, portMatch: false }]],
      [3, [{ field: 'SourceTranslatedAddress', ip: '179.43.139.84', port: 443, portMatch: true }]],
      [4, [{ field: 'DestinationTranslatedAddress', ip: '179.43.139.86', port: null, portMatch: null }]],
    ]);
    expect(report.summary.records).to.equal(5);
  });

  it('finds an IOC in RemoteIP, LocalIP and a RemoteUrl IP host', async () => {
    const dir = writeFiles({
      'dne.csv': [
        DNE_HEADER,
        dneRow({ ...dneBase, RemoteIP: '::ffff:179.43.139.84', RemotePort: '443', LocalIP: '10.1.1.1', LocalPort: '50123' }),
        dneRow({ ...dneBase, RemoteIP: '10.9.9.9', RemotePort: '8000', LocalIP: '179.43.139.86', LocalPort: '443' }),
        dneRow({ ...dneBase, RemoteIP: '', RemoteUrl: 'http://179.43.139.84/gate.php' }),
        dneRow({ ...dneBase, RemoteIP: '179.43.139.86:443', RemotePort: '9999' }),
      ].join('\r\n'),
    });
    const report = await hunt([dir]);
    const matches = report.hits.sort((a, b) => a.record - b.record).map((h) => h.matches);
    expect(matches).to.deep.equal([
      [{ field: 'RemoteIP', ip: '179.43.139.84', port: 443, portMatch: true }],
      [{ field: 'LocalIP', ip: '179.43.139.86', port: 443, portMatch: true }],
      [{ field: 'RemoteUrl', ip: '179.43.139.84', port: 80, portMatch: false }],
      [{ field: 'RemoteIP', ip: '179.43.139.86', port: 443, portMatch: true }],
    ]);
  });

  it('reports both IOCs of one record as two matches of one hit, counted once per IOC', async () => {
    const dir = writeFiles({ 'both.csv': [CSL_HEADER, cslRow({ ...base, SourceIP: '179.43.139.86', DestinationIP: '179.43.139.84', DestinationPort: '443' })].join('\n') });
    const report = await hunt([dir]);
    expect(report.hits).to.have.length(1);
    expect(report.hits[0].matches.map((m) => m.field)).to.deep.equal(['SourceIP', 'DestinationIP']);
    expect(report.summary.perIoc.map((p) => p.hits)).to.deep.equal([1, 1]);
    expect(report.summary.hits).to.equal(1);
  });

  it('does not hit on near misses or IOC text outside the watched fields', async () => {
    const dir = writeFiles({
      'near.csv': [
        CSL_HEADER,
        cslRow({ ...base, SourceIP: '10.0.0.1', DestinationIP: '179.43.139.840' }),
        cslRow({ ...base, SourceIP: '10.0.0.1', DestinationIP: '179.43.139.8' }),
        cslRow({ ...base, SourceIP: '1179.43.139.84', DestinationIP: '10.0.0.2' }),
        cslRow({ ...base, SourceIP: '10.0.0.1', DestinationIP: '10.0.0.2', Message: 'beacon to 179.43.139.84:443, blocked' }),
      ].join('\n'),
      'near-dne.csv': [
        DNE_HEADER,
        dneRow({ ...dneBase, RemoteIP: '10.0.0.3', InitiatingProcessCommandLine: 'perl -e connect("179.43.139.84",443)' }),
        dneRow({ ...dneBase, RemoteIP: '10.0.0.3', AdditionalFields: '{"ip":"179.43.139.86"}' }),
        dneRow({ ...dneBase, RemoteIP: '10.0.0.3', RemoteUrl: 'http://example.com/179.43.139.84' }),
      ].join('\n'),
    });
    const report = await hunt([dir]);
    expect(report.hits).to.deep.equal([]);
    expect(report.summary.records).to.equal(7);
    expect(report.summary.perIoc).to.deep.equal([
      { ip: '179.43.139.84', port: 443, hits: 0, suppressed: 0 },
      { ip: '179.43.139.86', port: 443, hits: 0, suppressed: 0 },
    ]);
  });

  it('reads a bare null or - as an empty value', async () => {
    const dir = writeFiles({
      'dash.csv': [DNE_HEADER, dneRow({ ...dneBase, DeviceName: '-', RemoteIP: '179.43.139.84', RemotePort: 'null', ActionType: 'null' }), dneRow({ ...dneBase, RemoteIP: '-', LocalIP: 'null' })].join('\n'),
    });
    const report = await hunt([dir]);
    expect(report.hits).to.have.length(1);
    expect(report.hits[0].fields).to.include({ DeviceName: null, RemotePort: null, ActionType: null });
    expect(report.hits[0].matches).to.deep.equal([{ field: 'RemoteIP', ip: '179.43.139.84', port: null, portMatch: null }]);
  });

  it('--kql-parity watches only the KQL fields, with exact equality', async () => {
    const dir = writeFiles({
      'parity.csv': [
        DNE_HEADER,
        dneRow({ ...dneBase, RemoteIP: '179.43.139.84', RemotePort: '443' }),
        dneRow({ ...dneBase, RemoteIP: '::ffff:179.43.139.84', RemotePort: '443' }),
        dneRow({ ...dneBase, RemoteIP: '10.0.0.1', LocalIP: '179.43.139.86' }),
        dneRow({ ...dneBase, RemoteIP: '10.0.0.1', RemoteUrl: 'https://179.43.139.86/' }),
      ].join('\n'),
    });
    const full = await hunt([dir]);
    const parity = await hunt([dir], { kqlParity: true });
    expect(full.summary.hits).to.equal(4);
    expect(parity.hits.map((h) => h.record)).to.deep.equal([1]);
  });

  it('--kql-parity reports no raw-text hit from a malformed record, and still lists its error', async () => {
    const dir = writeFiles({
      'p.csv': [DNE_HEADER, dneRow({ ...dneBase, RemoteIP: '179.43.139.84', RemotePort: '443' }), '2026-06-01T10:00:00Z,d,web-01,179.43.139.86'].join('\n'),
    });
    const full = await hunt([dir]);
    const parity = await hunt([dir], { kqlParity: true });
    expect(full.hits.map((h) => h.malformed).sort()).to.deep.equal([false, true]);
    expect(parity.hits.map((h) => h.malformed)).to.deep.equal([false]);
    expect(parity.summary.errors).to.equal(1);
  });

  it('--table wins over a Type naming another table', async () => {
    const line = JSON.stringify({ Type: 'CommonSecurityLog', Timestamp: '2026-01-01T00:00:00Z', RemoteIP: '179.43.139.84', RemotePort: 443, ActionType: 'ConnectionSuccess' });
    const dir = writeFiles({ 't.jsonl': line });
    expect((await hunt([dir])).hits).to.deep.equal([]);
    const forced = await hunt([dir], { table: 'DeviceNetworkEvents' });
    expect(forced.hits.map((h) => [h.table, h.matches[0].field])).to.deep.equal([['DeviceNetworkEvents', 'RemoteIP']]);
  });

  it('--table forces the table of a file whose header proves nothing', async () => {
    const dir = writeFiles({ 'bare.csv': 'RemoteIP,RemotePort\n179.43.139.84,443\n' });
    // no catalogued table: the unknown-table rule finds the address, without the port column
    const unforced = await hunt([dir]);
    expect(unforced.hits.map((h) => [h.table, h.matches[0].field, h.matches[0].port])).to.deep.equal([['unknown', 'RemoteIP', null]]);
    const forced = await hunt([dir], { table: 'devicenetworkevents' });
    expect(forced.summary.hits).to.equal(1);
    expect(forced.files[0].table).to.equal('DeviceNetworkEvents');
    expect(forced.hits[0].matches[0].port).to.equal(443);
  });

  it('--since and --until keep only hits inside the window, records still counted', async () => {
    const times = ['2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z', '2026-06-03T00:00:00Z', 'not a time'];
    const dir = writeFiles({
      'w.csv': [CSL_HEADER, ...times.map((t) => cslRow({ ...base, TimeGenerated: t, DestinationIP: '179.43.139.84', DestinationPort: '443' }))].join('\n'),
    });
    const report = await hunt([dir], { since: '2026-06-02', until: '2026-06-03T00:00:00Z' });
    expect(report.hits.map((h) => h.time)).to.deep.equal(['2026-06-02T00:00:00.000Z', null]);
    expect(report.hits[1].timeText).to.equal('not a time');
    expect(report.files[0].records).to.equal(4);
  });
});
