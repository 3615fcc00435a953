import { expect } from 'chai';
import { projectionFields } from '../lib/report/hit-context.js';
import { contextOf, hitContext } from '../lib/tables/table-context.js';
import type { Hit } from '../lib/report/report.js';

// The text report's "who talked to whom", read from the whole record.

/** A record as the readers hand it over: canonical (lower-case) column names. */
function record(columns: Record<string, string | null>) {
  return projectionFields(columns);
}

describe('hitContext', () => {
  it('reads a CommonSecurityLog flow: device, both ends with ports, process, user, action', () => {
    const fields = record({
      DeviceName: 'fw-01', Computer: 'collector', SourceIP: '10.0.0.5', SourcePort: '50000', DestinationIP: '179.43.139.84', DestinationPort: '443',
      SourceProcessName: 'perl', ProcessName: 'other', SourceUserName: 'root', DeviceAction: 'accept', Activity: 'traffic',
    });
    expect(hitContext(fields, 'CommonSecurityLog')).to.deep.equal({
      device: 'fw-01', sourceIp: '10.0.0.5', sourcePort: '50000', destinationIp: '179.43.139.84', destinationPort: '443', process: 'perl', user: 'root', action: 'accept',
    });
  });

  it('falls back along each CommonSecurityLog column list, and leaves out what the record does not say', () => {
    const fields = record({ Computer: 'collector', SourceIP: '10.0.0.5', DestinationIP: '179.43.139.84', ProcessName: 'perl', DestinationUserName: 'svc', DeviceAction: null, Activity: 'traffic', SourcePort: '  ' });
    expect(hitContext(fields, 'CommonSecurityLog')).to.deep.equal({
      device: 'collector', sourceIp: '10.0.0.5', destinationIp: '179.43.139.84', process: 'perl', user: 'svc', action: 'traffic',
    });
  });

  it('reads a DeviceNetworkEvents outbound connection as local -> remote, with the parent process', () => {
    const fields = record({
      DeviceName: 'build-01', ActionType: 'ConnectionSuccess', LocalIP: '10.1.1.1', LocalPort: '40000', RemoteIP: '179.43.139.86', RemotePort: '443',
      InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'cron', InitiatingProcessAccountName: 'root',
    });
    expect(hitContext(fields, 'DeviceNetworkEvents')).to.deep.equal({
      device: 'build-01', sourceIp: '10.1.1.1', sourcePort: '40000', destinationIp: '179.43.139.86', destinationPort: '443',
      process: 'perl', parentProcess: 'cron', user: 'root', action: 'ConnectionSuccess',
    });
  });

  it('reads an inbound DeviceNetworkEvents connection as remote -> local', () => {
    const fields = record({ ActionType: 'InboundConnectionAccepted', LocalIP: '10.1.1.1', LocalPort: '22', RemoteIP: '179.43.139.86', RemotePort: '51000' });
    expect(hitContext(fields, 'DeviceNetworkEvents')).to.include({ sourceIp: '179.43.139.86', sourcePort: '51000', destinationIp: '10.1.1.1', destinationPort: '22' });
  });
});

describe('contextOf a hit', () => {
  const hit = (extra: Partial<Hit>): Hit => ({
    file: 'a.csv', line: 2, record: 1, table: 'DeviceNetworkEvents', time: null, matches: [], suppressedBy: null, malformed: false, fields: {}, ...extra,
  });

  it('prefers the context the scan attached', () => {
    expect(contextOf(hit({ context: { device: 'from-record' }, fields: { DeviceName: 'from-projection' } }))).to.deep.equal({ device: 'from-record' });
  });

  it('falls back to what the projection columns tell', () => {
    const fields = { Timestamp: 't', DeviceName: 'build-01', RemoteIP: '179.43.139.86', RemotePort: '443', InitiatingProcessFileName: 'perl', ActionType: 'ConnectionSuccess' };
    expect(contextOf(hit({ fields }))).to.deep.equal({ device: 'build-01', destinationIp: '179.43.139.86', destinationPort: '443', process: 'perl', action: 'ConnectionSuccess' });
  });

  it('is empty for a malformed record or an unknown table', () => {
    expect(contextOf(hit({ malformed: true }))).to.deep.equal({});
    expect(contextOf(hit({ table: 'unknown', fields: { DeviceName: 'x' } }))).to.deep.equal({});
  });
});
