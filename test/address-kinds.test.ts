import { expect } from 'chai';
import { readAddressList, readTextAddresses } from '../lib/matcher/ip-text.js';
import { flattenColumns, MAX_COLUMNS, MAX_NESTING } from '../lib/readers/flatten-columns.js';
import { hunt, writeFiles } from './helpers.js';

// How catalogued columns hold addresses beyond one value (a list, free text),
// and nested JSON read by the unknown-table rule.

const IOC = '179.43.139.84';
const ips = (list: Array<{ ip: string; port: number | null }>) => list.map((a) => `${a.ip}:${a.port}`);

describe('address columns holding several addresses', () => {
  it('reads each item of a list value: split on , ; white space, or JSON array text', () => {
    expect(ips(readAddressList(`10.0.0.1, ${IOC};[::ffff:10.0.0.2]:53  "${IOC}:443"`))).to.deep.equal(['10.0.0.1:null', `${IOC}:null`, '10.0.0.2:53', `${IOC}:443`]);
    expect(ips(readAddressList(`["10.0.0.1","${IOC}"]`))).to.deep.equal(['10.0.0.1:null', `${IOC}:null`]);
    expect(ips(readAddressList(`${IOC}0,1${IOC}`))).to.deep.equal([`${IOC}0:null`, `1${IOC}:null`]);
  });

  it('cuts addresses out of free text as the raw-text search does: no digit or digit-and-dot beside them', () => {
    expect(ips(readTextAddresses(`TCP request from 10.0.0.4:51234 to ${IOC}:443. Action: Deny.`))).to.deep.equal(['10.0.0.4:51234', `${IOC}:443`]);
    expect(ips(readTextAddresses(`peer [::ffff:${IOC}]:8443 ok`))).to.deep.equal([`${IOC}:8443`]);
    expect(ips(readTextAddresses(`${IOC}0 1${IOC} 1.${IOC} ${IOC}.5`))).to.deep.equal([`${IOC}0:null`]);
  });

  it('finds a C2 address in a DnsEvents IPAddresses list and in an AzureDiagnostics msg_s, once per column per IOC', async () => {
    const dir = writeFiles({
      'dns.csv': `TimeGenerated,Computer,ClientIP,Name,QueryType,IPAddresses\n2026-05-21T10:00:00Z,dc1,10.0.0.9,c2.example,A,"10.1.1.1, ${IOC}, ${IOC}"\n`,
      'fw.csv': `TimeGenerated,ResourceType,Category,OperationName,msg_s\n2026-05-21T10:00:00Z,AZUREFIREWALLS,AzureFirewallNetworkRule,Log,TCP request from 10.0.0.4:5123 to ${IOC}:443. Action: Allow\n2026-05-21T10:00:01Z,AZUREFIREWALLS,AzureFirewallNetworkRule,Log,TCP request from 10.0.0.4:5123 to ${IOC}0:443. Action: Allow\n`,
    });
    const report = await hunt([dir]);
    const hits = report.hits.map((h) => [h.file.split('/').pop(), h.table, h.matches.map((m) => `${m.field}:${m.ip}:${m.port}`)]);
    expect(hits).to.have.deep.members([
      ['dns.csv', 'DnsEvents', [`IPAddresses:${IOC}:null`]],
      ['fw.csv', 'AzureDiagnostics', [`msg_s:${IOC}:443`]],
    ]);
  });
});

describe('nested JSON under the unknown-table rule', () => {
  it('flattens properties objects and AdditionalFields JSON text to dotted columns, and finds a C2 address there', async () => {
    const records = [
      { time: '2026-05-21T10:00:00Z', category: 'NetworkSecurityGroupFlowEvent', resourceId: '/x', properties: { flows: [{ src: '10.0.0.1' }] } },
      { time: '2026-05-21T10:00:01Z', operationName: 'x', properties: { RemoteIP: IOC, Note: `saw ${IOC}` } },
      { Timestamp: '2026-05-21T10:00:02Z', Kind: 'Custom', AdditionalFields: JSON.stringify({ Peer: { Address: `${IOC}:443` } }) },
    ];
    const dir = writeFiles({ 'custom.ndjson': records.map((r) => JSON.stringify(r)).join('\n') + '\n' });
    const report = await hunt([dir]);
    expect([...report.hits].sort((a, b) => a.line - b.line).map((h) => [h.line, h.table, h.matches.map((m) => `${m.field}:${m.ip}:${m.port}`)])).to.deep.equal([
      [2, 'unknown', [`properties.RemoteIP:${IOC}:null`]],
      [3, 'unknown', [`AdditionalFields.Peer.Address:${IOC}:443`]],
    ]);
  });

  it('reads nesting and width only up to a cap, with an explicit stack, and says what it left unread', () => {
    let deep: unknown = IOC;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const cut = flattenColumns([['x', deep], ['y', IOC]]);
    expect(cut.columns).to.deep.equal([{ name: 'y', value: IOC }]);
    expect(cut.cut).to.equal(`JSON nested deeper than ${MAX_NESTING} levels`);
    const wide = flattenColumns(Array.from({ length: MAX_COLUMNS + 10 }, (_, i): [string, unknown] => [`c${i}`, 'v']));
    expect(wide.columns).to.have.length(MAX_COLUMNS);
    expect(wide.cut).to.equal(`more than ${MAX_COLUMNS} columns`);
  });

  it('reports a record whose nesting passes the cap as an error for its line, still giving the hit it found', async () => {
    let deep = `"${IOC}"`;
    for (let i = 0; i < 40; i++) deep = `{"n":${deep}}`;
    const dir = writeFiles({ 'deep.ndjson': `{"Kind":"Custom","Peer":"${IOC}","Deep":${deep}}\n{"Kind":"Custom","Peer":"10.0.0.1","Deep":${deep}}\n` });
    const report = await hunt([dir]);
    expect(report.hits.map((h) => h.line)).to.deep.equal([1]);
    expect(report.files[0].errors).to.deep.equal([
      { line: 1, message: `JSON nested deeper than ${MAX_NESTING} levels: the rest of this record was not searched` },
      { line: 2, message: `JSON nested deeper than ${MAX_NESTING} levels: the rest of this record was not searched` },
    ]);
  });
});
