import { expect } from 'chai';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { ExclusionSet } from '../lib/exclusions/exclusion-set.js';
import { exclusionSetFromJson } from '../lib/exclusions/exclusion-file.js';
import { scanPlan } from '../lib/plan/scan-plan.js';
import { judgeRecord, tableOfHeader, type RecordRule } from '../lib/verdict/record-verdict.js';
import { canonicalColumn } from '../lib/record/columns.js';
import type { RecordFields, SourceRecord } from '../lib/record/source-record.js';
import type { TableName } from '../lib/report/report.js';

// The rule for one record, on fake records: no file, no reader, no sink.

const IOC = '179.43.139.84';
const OTHER = '10.0.0.7';

/** Columns as a reader would hand them over: by canonical name, empty meaning absent. */
function fieldsOf(columns: Record<string, string>): RecordFields {
  const byColumn = new Map(Object.entries(columns).map(([name, value]) => [canonicalColumn(name), { name, value }]));
  return {
    get: (column) => byColumn.get(column)?.value || null,
    sourceName: (column) => byColumn.get(column)?.name ?? null,
    has: (column) => byColumn.has(column),
    columns: () => ({ columns: [...byColumn.values()].filter((c) => c.value !== ''), cut: null }),
  };
}

function record(columns: Record<string, string> | null, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { line: 7, offset: 100, index: 6, fields: columns === null ? null : fieldsOf(columns), declaredTable: null, ...extra };
}

const dne = (remoteIp: string, more: Record<string, string> = {}) => ({
  Timestamp: '2026-05-21T10:00:00Z', DeviceName: 'ws-1', ActionType: 'ConnectionSuccess', RemoteIP: remoteIp, RemotePort: '443', InitiatingProcessFileName: 'perl', ...more,
});
const csl = (destinationIp: string) => ({
  TimeGenerated: '2026-05-21T10:00:00Z', DeviceVendor: 'Fortinet', DeviceAction: 'accept', SourceIP: OTHER, DestinationIP: destinationIp, DestinationPort: '443',
});

function rule(choices: { table?: TableName | null; since?: number | null; until?: number | null; kqlParity?: boolean; exclusions?: ExclusionSet } = {}): RecordRule {
  return scanPlan({
    paths: [], iocs: builtinIocSet(), exclusions: choices.exclusions ?? ExclusionSet.none(), kqlParity: choices.kqlParity ?? false, iocValidity: false,
    table: choices.table ?? null, window: { since: choices.since ?? null, until: choices.until ?? null }, fullParse: false, threads: 1,
  }).rule;
}

describe('record verdict', () => {
  describe('the table a record is read as', () => {
    it('is --table first, whatever the record names or its columns say', () => {
      const verdict = judgeRecord(rule({ table: 'CommonSecurityLog' }), record(csl(IOC), { declaredTable: 'DeviceNetworkEvents' }), 'DeviceNetworkEvents');
      expect(verdict.kind).to.equal('hit');
      expect(verdict.table).to.equal('CommonSecurityLog');
    });

    it('is the table the record names (Type, streaming category) before the header', () => {
      const verdict = judgeRecord(rule(), record(dne(IOC), { declaredTable: 'AdvancedHunting-DeviceNetworkEvents' }), 'CommonSecurityLog');
      expect([verdict.kind, verdict.table]).to.deep.equal(['hit', 'DeviceNetworkEvents']);
    });

    it('is no table when the record names one not catalogued: searched by the unknown-table rule, every column an address', () => {
      const verdict = judgeRecord(rule(), record(dne(IOC), { declaredTable: 'SecurityEvent' }), 'DeviceNetworkEvents');
      expect(verdict.kind).to.equal('hit');
      if (verdict.kind !== 'hit') return;
      expect(verdict.table).to.equal('unknown');
      expect(verdict.found.hit).to.deep.include({ table: 'unknown', time: '2026-05-21T10:00:00.000Z', suppressedBy: null, fields: { RemoteIP: IOC } });
      expect(verdict.found.hit.matches).to.deep.equal([{ field: 'RemoteIP', ip: IOC, port: null, portMatch: null }]);
      // exact values only: a near miss or an IOC inside free text is no hit
      for (const value of [`${IOC}0`, `connect to ${IOC} now`, `1${IOC}`]) {
        const none = judgeRecord(rule(), record({ Message: value, Other: `[::ffff:${IOC}0]` }, { declaredTable: 'SecurityEvent' }), null);
        expect(none, value).to.deep.equal({ kind: 'nothing', table: null });
      }
      expect(judgeRecord(rule(), record({ Message: 'x', Peer: ` "[::ffff:${IOC}]:8443" ` }, { declaredTable: 'SecurityEvent' }), null).kind).to.equal('hit');
      // --kql-parity: only the seed's two tables count
      expect(judgeRecord(rule({ kqlParity: true }), record(dne(IOC), { declaredTable: 'SecurityEvent' }), null)).to.deep.equal({ kind: 'unsearched', table: null });
    });

    it('under --kql-parity counts only records whose own table is one of the seed\'s two, as a union export\'s DeviceLogonEvents row is not', () => {
      const logon = dne(IOC, { LogonType: 'Network', ActionType: 'LogonSuccess', InitiatingProcessFileName: '' });
      expect(judgeRecord(rule(), record(logon), 'DeviceNetworkEvents').kind).to.equal('hit');
      expect(judgeRecord(rule({ kqlParity: true }), record(logon), 'DeviceNetworkEvents').kind).to.equal('unsearched');
      expect(judgeRecord(rule({ kqlParity: true }), record(dne(IOC, { LogonType: '' })), 'DeviceNetworkEvents').kind).to.equal('hit');
      expect(judgeRecord(rule({ kqlParity: true }), record(dne(IOC), { declaredTable: 'DeviceLogonEvents' }), null).kind).to.equal('unsearched');
      expect(judgeRecord(rule(), record(dne(IOC), { declaredTable: 'DeviceLogonEvents' }), null).table).to.equal('DeviceLogonEvents');
    });

    it("is the file header's table before the record's own columns", () => {
      // a CommonSecurityLog header, the record holding the IOC only in DeviceNetworkEvents' RemoteIP
      expect(judgeRecord(rule(), record(dne(IOC)), 'CommonSecurityLog')).to.deep.equal({ kind: 'nothing', table: 'CommonSecurityLog' });
      expect(judgeRecord(rule(), record(dne(IOC)), null).kind).to.equal('hit');
    });

    it("reads a header's zone-suffixed column names as the table's columns", () => {
      expect(tableOfHeader(rule(), ['TimeGenerated [UTC]', 'DeviceVendor [UTC]', 'DestinationIP'])).to.equal('CommonSecurityLog');
      expect(tableOfHeader(rule(), ['RemoteIP', 'Message'])).to.equal(null);
    });
  });

  describe('a hit', () => {
    it('names the field, the IOC, the port seen, the time, the projection and who talked', () => {
      const verdict = judgeRecord(rule(), record(dne(IOC)), null);
      if (verdict.kind !== 'hit') throw new Error(`expected a hit, got ${verdict.kind}`);
      expect(verdict.found.hit).to.deep.include({
        line: 7, record: 6, table: 'DeviceNetworkEvents', time: '2026-05-21T10:00:00.000Z',
        matches: [{ field: 'RemoteIP', ip: IOC, port: 443, portMatch: true }], suppressedBy: null, malformed: false,
      });
      expect(verdict.found.hit.fields).to.deep.equal({ Timestamp: '2026-05-21T10:00:00Z', DeviceName: 'ws-1', RemoteIP: IOC, RemotePort: '443', InitiatingProcessFileName: 'perl', ActionType: 'ConnectionSuccess' });
      expect(verdict.found.hit.context?.process).to.equal('perl');
      expect(verdict.found.iocs.map((ioc) => ioc.value)).to.deep.equal(['179.43.139.84:443']);
    });

    it('is nothing when no watched field holds an IOC', () => {
      expect(judgeRecord(rule(), record(dne(OTHER)), null)).to.deep.equal({ kind: 'nothing', table: 'DeviceNetworkEvents' });
    });

    it('keeps the time text when the time cannot be read', () => {
      const verdict = judgeRecord(rule(), record(dne(IOC, { Timestamp: 'yesterday' })), null);
      expect(verdict.kind === 'hit' && [verdict.found.hit.time, verdict.found.hit.timeText]).to.deep.equal([null, 'yesterday']);
    });

    it('carries the exclusion that suppresses it, still a hit', () => {
      const exclusions = exclusionSetFromJson(
        JSON.stringify({ fields: { process: { compare: 'exact', columns: { DeviceNetworkEvents: ['InitiatingProcessFileName'] } } }, rules: [{ id: 'backup-rsync', when: { field: 'process', equals: 'rsync' } }] }),
        'test exclusions',
      );
      const suppressed = judgeRecord(rule({ exclusions }), record(dne(IOC, { InitiatingProcessFileName: 'rsync' })), null);
      const active = judgeRecord(rule({ exclusions }), record(dne(IOC)), null);
      expect(suppressed.kind === 'hit' && suppressed.found.hit.suppressedBy).to.equal('backup-rsync');
      expect(active.kind === 'hit' && active.found.hit.suppressedBy).to.equal(null);
    });

    it('is suppressed in any catalogued table its field map names, and never in one it lacks or under the unknown-table rule', () => {
      const exclusions = exclusionSetFromJson(
        JSON.stringify({ fields: { host: { compare: 'exact', columns: { Syslog: ['Computer'] } } }, rules: [{ id: 'lab-host', when: { field: 'host', equals: 'lab1' } }] }),
        'test exclusions',
      );
      const syslog = { TimeGenerated: '2026-05-21T10:00:00Z', Computer: 'lab1', HostIP: IOC, SyslogMessage: 'x', Facility: 'cron' };
      const suppressed = judgeRecord(rule({ exclusions }), record(syslog), null);
      expect([suppressed.table, suppressed.kind === 'hit' && suppressed.found.hit.suppressedBy]).to.deep.equal(['Syslog', 'lab-host']);
      // DnsEvents is not in the field map: no suppression, no throw
      const dns = judgeRecord(rule({ exclusions }), record({ TimeGenerated: '2026-05-21T10:00:00Z', Computer: 'lab1', ClientIP: IOC, QueryType: 'A' }), null);
      expect([dns.table, dns.kind === 'hit' && dns.found.hit.suppressedBy]).to.deep.equal(['DnsEvents', null]);
      const unknown = judgeRecord(rule({ exclusions }), record({ Computer: 'lab1', Peer: IOC }), null);
      expect([unknown.table, unknown.kind === 'hit' && unknown.found.hit.suppressedBy]).to.deep.equal(['unknown', null]);
    });
  });

  describe('the time window', () => {
    const june = Date.parse('2026-06-01T00:00:00Z');
    it('leaves out a hit before --since or at --until as an outcome of its own, for the scan to count; keeps one inside', () => {
      expect(judgeRecord(rule({ since: june }), record(dne(IOC)), null)).to.deep.equal({ kind: 'outside', table: 'DeviceNetworkEvents', side: 'before' });
      expect(judgeRecord(rule({ until: Date.parse('2026-05-21T10:00:00Z') }), record(dne(IOC)), null)).to.deep.equal({ kind: 'outside', table: 'DeviceNetworkEvents', side: 'after' });
      expect(judgeRecord(rule({ until: june }), record(dne(IOC)), null).kind).to.equal('hit');
    });

    it('counts only active hits as outside: a suppressed one outside the window is no hit', () => {
      const exclusions = exclusionSetFromJson(
        JSON.stringify({ fields: { process: { compare: 'exact', columns: { DeviceNetworkEvents: ['InitiatingProcessFileName'] } } }, rules: [{ id: 'backup-rsync', when: { field: 'process', equals: 'rsync' } }] }),
        'test exclusions',
      );
      expect(judgeRecord(rule({ since: june, exclusions }), record(dne(IOC, { InitiatingProcessFileName: 'rsync' })), null).kind).to.equal('nothing');
      expect(judgeRecord(rule({ since: june, exclusions }), record(dne(IOC)), null).kind).to.equal('outside');
    });

    it('never drops a hit whose time is unknown', () => {
      expect(judgeRecord(rule({ since: june }), record(dne(IOC, { Timestamp: '' })), null).kind).to.equal('hit');
      expect(judgeRecord(rule({ since: june }), record(dne(IOC, { Timestamp: 'garbled' })), null).kind).to.equal('hit');
    });
  });

  describe('a malformed record', () => {
    const broken = () => record(null, { problem: 'unterminated quote', rawIps: new Set([IOC]) });

    it('is an error, and a hit (no field, no time) when its raw text holds an IOC IP', () => {
      const verdict = judgeRecord(rule(), broken(), 'CommonSecurityLog');
      if (verdict.kind !== 'malformed') throw new Error(`expected malformed, got ${verdict.kind}`);
      expect(verdict.problem).to.equal('unterminated quote');
      expect(verdict.table).to.equal(null);
      expect(verdict.found?.hit).to.deep.equal({
        line: 7, record: 6, table: 'CommonSecurityLog', time: null, matches: [{ field: null, ip: IOC, port: null, portMatch: null }], suppressedBy: null, malformed: true, fields: {},
      });
    });

    it('is an error only, without IOC text or under --kql-parity', () => {
      expect(judgeRecord(rule(), record(null, { problem: 'bad', rawIps: new Set() }), null)).to.deep.equal({ kind: 'malformed', table: null, problem: 'bad', found: null });
      expect(judgeRecord(rule({ kqlParity: true }), broken(), null)).to.deep.equal({ kind: 'malformed', table: null, problem: 'unterminated quote', found: null });
    });

    it('says "unreadable record" when the reader gave no reason', () => {
      expect(judgeRecord(rule(), record(null), null)).to.deep.include({ kind: 'malformed', problem: 'unreadable record', found: null });
    });
  });

  describe('a suspect record (parsed, but its columns in doubt)', () => {
    const suspect = { problem: 'a quote inside an unquoted field', rawIps: new Set([IOC]) };

    it('is reported as malformed, with its raw IOC hit, when no watched field matched', () => {
      const verdict = judgeRecord(rule(), record(dne(OTHER, { Message: `x ${IOC}` }), { suspect }), null);
      expect(verdict.kind).to.equal('malformed');
      if (verdict.kind !== 'malformed') return;
      expect([verdict.table, verdict.problem, verdict.found?.hit.malformed, verdict.found?.hit.table]).to.deep.equal(['DeviceNetworkEvents', suspect.problem, true, 'unknown']);
    });

    it('is an ordinary hit when a watched field matched', () => {
      expect(judgeRecord(rule(), record(dne(IOC), { suspect }), null).kind).to.equal('hit');
    });
  });
});
