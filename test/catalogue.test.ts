import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FIXTURES, ROOT, propertySettings, refusalCode } from './helpers.js';
import { CatalogueError, contextFrom, parseCatalogue, tableCatalogue, type CatalogueTable } from '../lib/tables/catalogue.js';
import { COMMON_SECURITY_LOG, DEVICE_NETWORK_EVENTS, hitContext, tableByName, tableFromColumns } from './support/seed-tables.js';
import { hitContext as reportedContext } from '../lib/tables/table-context.js';
import { CsvLayout } from '../lib/readers/record-fields.js';
import { canonicalColumn } from '../lib/record/columns.js';

// The table catalogue (lib/data/tables.json): each table recognised from its
// documented header, the two tables of the hunt exactly as today, and a
// catalogue with a mistake refused whole.

const TABLES_DIR = join(ROOT, 'test', 'data', 'tables');
const EXPORTS = join(TABLES_DIR, 'exports');
const HEADERS = JSON.parse(readFileSync(join(TABLES_DIR, 'headers.json'), 'utf8')) as Record<string, string[]>;
const catalogue = tableCatalogue();

const hasAll = (names: readonly string[]) => {
  const columns = new CsvLayout(names);
  return (column: string) => columns.has(column);
};
const recognised = (names: readonly string[]) => catalogue.fromColumns(hasAll(names))?.name ?? null;

/** The header line (CSV) or the keys of the first record (JSON) of an export, as the readers see them. */
function exportColumns(path: string): string[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  if (path.endsWith('.csv') || path.endsWith('.tsv')) {
    const delimiter = path.endsWith('.tsv') ? '\t' : ',';
    return (parse(text.split(/\r?\n/)[0], { delimiter, relax_quotes: true }) as string[][])[0];
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    // JSON lines: the first record
    whole = JSON.parse(text.split('\n').find((line) => line.trim() !== '') ?? '{}');
  }
  const answer = whole as { tables?: Array<{ columns: Array<{ name: string }> }>; records?: object[] };
  if (answer.tables) return answer.tables[0].columns.map((c) => c.name);
  const first = (Array.isArray(whole) ? whole[0] : (answer.records?.[0] ?? whole)) as Record<string, unknown>;
  return Object.keys((first.properties as Record<string, unknown>) ?? first);
}

describe('the table catalogue', () => {
  it('holds every table of the issue, each with an address column', () => {
    expect(catalogue.tables.map((t) => t.name)).to.have.members([
      'CommonSecurityLog', 'DeviceLogonEvents', 'DeviceFileEvents', 'DeviceProcessEvents', 'DeviceEvents', 'DeviceNetworkEvents',
      'VMConnection', 'DnsEvents', 'Syslog', 'AADNonInteractiveUserSignInLogs', 'SigninLogs', 'AzureActivity', 'OfficeActivity',
      'W3CIISLog', 'AzureDiagnostics', 'AWSCloudTrail', 'ASimDnsActivityLogs', 'ASimWebSessionLogs', 'ASimNetworkSessionLogs',
    ]);
    expect(Object.keys(HEADERS)).to.have.members(catalogue.tables.map((t) => t.name));
  });

  it('recognises every table from its documented header, and from the header of its test export', () => {
    for (const [table, header] of Object.entries(HEADERS)) expect(recognised(header), table).to.equal(table);
    const exports = readdirSync(EXPORTS).filter((name) => !name.startsWith('Device-mixed'));
    expect(exports).to.have.length(21);
    for (const name of exports) {
      const expected = name.startsWith('summarize-') ? null : name.split('.')[0];
      expect(recognised(exportColumns(join(EXPORTS, name))), name).to.equal(expected);
    }
  });

  it('recognises each documented header whatever the column order, and with the portal\'s ` [UTC]` suffixes', () => {
    for (const [table, header] of Object.entries(HEADERS)) {
      expect(recognised([...header].reverse()), table).to.equal(table);
      expect(recognised(header.map((name) => (/^(TimeGenerated|Timestamp)$/.test(name) ? `${name} [UTC]` : name))), table).to.equal(table);
    }
  });

  it('never lets one table\'s header be taken for another: each documented header fits only its own table', () => {
    for (const [table, header] of Object.entries(HEADERS)) {
      const fitting = catalogue.tables.filter((t) => catalogue.fits(t, hasAll(header))).map((t) => t.name);
      // DeviceNetworkEvents' own rule (RemoteIP and ActionType) still fits the other Device tables with a RemoteIP: order keeps them apart
      const shadowed = table === 'DeviceLogonEvents' || table === 'DeviceEvents' ? ['DeviceNetworkEvents'] : [];
      expect(fitting, table).to.deep.equal([table, ...shadowed]);
    }
  });

  it('reads a Defender union export (every Device table\'s columns) as DeviceNetworkEvents, as today', () => {
    const union = [...new Set(['DeviceNetworkEvents', 'DeviceLogonEvents', 'DeviceFileEvents', 'DeviceProcessEvents', 'DeviceEvents'].flatMap((t) => HEADERS[t]))];
    expect(recognised(union)).to.equal('DeviceNetworkEvents');
    const plaso = join(FIXTURES, 'real', 'log2timeline_plaso', 'advanced_hunting_test_002.csv');
    expect(recognised(exportColumns(plaso))).to.equal('DeviceNetworkEvents');
  });

  it('gives every export under fixtures/ the table today\'s rule gives it, but for the Syslog export, now a Syslog table', () => {
    const changed: Record<string, string> = { [join(FIXTURES, 'other', 'syslog-export.csv')]: 'Syslog' };
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(csv|tsv|json|jsonl|ndjson)$/.test(entry.name)) files.push(path);
      }
    };
    walk(FIXTURES);
    expect(files.length).to.be.above(15);
    for (const path of files) {
      const columns = exportColumns(path);
      const today = new Set(columns.map(canonicalColumn));
      expect(recognised(columns), path).to.equal(changed[path] ?? tableFromColumns((c) => today.has(c)));
    }
  });

  it('keeps today\'s rule for the two tables of the hunt on any set of columns', () => {
    // columns that decide between the tables, and some that do not
    const pool = [...new Set([
      'SourceIP', 'DestinationIP', 'DeviceVendor', 'DeviceProduct', 'DeviceAction', 'Activity', 'RemoteIP', 'ActionType', 'DeviceId',
      'InitiatingProcessFileName', 'LocalIP', 'LocalPort', 'RemoteUrl', 'LogonType', 'Protocol', 'RegistryKey', 'ProcessCommandLine',
      'FileOriginIP', 'FileOriginUrl', 'RequestSourceIP', 'RequestProtocol', 'ShareName', 'ProcessIntegrityLevel', 'FolderPath',
      'DeviceName', 'LocalIPType', 'RemoteIPType', 'TimeGenerated', 'Timestamp', 'count_',
    ])];
    fc.assert(
      fc.property(fc.subarray(pool), (columns) => {
        const set = new Set(columns.map((c) => c.toLowerCase()));
        const today = tableFromColumns((c) => set.has(c));
        const now = catalogue.fromColumns((c) => set.has(c))?.name ?? null;
        if (today === 'CommonSecurityLog') return now === 'CommonSecurityLog';
        // DeviceNetworkEvents now yields only to a Device table with a column of its own
        if (today === 'DeviceNetworkEvents') return now === 'DeviceNetworkEvents' || ['DeviceLogonEvents', 'DeviceEvents'].includes(now ?? '');
        return now !== 'CommonSecurityLog' && now !== 'DeviceNetworkEvents';
      }),
      propertySettings(3000),
    );
  });

  it('gives the two tables of the hunt the TableSpec they have today: same watched fields, ports, projection, time columns', () => {
    for (const spec of [COMMON_SECURITY_LOG, DEVICE_NETWORK_EVENTS]) {
      const table = catalogue.byName(spec.name) as CatalogueTable;
      expect({ name: table.name, watched: table.watched, projection: table.projection, timeColumns: table.timeColumns }).to.deep.equal(spec);
    }
  });

  it('gives every table its host, URL and hash columns both as the report names them and as records are read', () => {
    for (const table of catalogue.tables) {
      expect([table.hostColumns, table.urlColumns, table.hashColumns].map((list) => list.map((c) => c.column))).to.deep.equal([table.hosts, table.urls, table.hashes]);
    }
    const csl = catalogue.byName('CommonSecurityLog') as CatalogueTable;
    expect(csl.hostColumns.map((c) => c.name)).to.include('DestinationHostName');
  });

  it('gives the two tables of the hunt the hit context they have today', () => {
    const record = (values: Record<string, string>) => {
      const layout = new CsvLayout(Object.keys(values));
      return layout.fields(Object.values(values));
    };
    const csl = record({ DeviceName: 'fw01', Computer: 'collector', SourceIP: '10.1.1.5', SourcePort: '50110', DestinationIP: '179.43.139.84', DestinationPort: '443', ProcessName: 'perl', SourceUserName: '', DestinationUserName: 'root', SimplifiedDeviceAction: 'Allow', Activity: 'TRAFFIC' });
    const outbound = record({ DeviceName: 'ws1', LocalIP: '10.0.0.2', LocalPort: '61000', RemoteIP: '179.43.139.86', RemotePort: '443', ActionType: 'ConnectionSuccess', InitiatingProcessFileName: 'perl.exe', InitiatingProcessParentFileName: 'cron', InitiatingProcessAccountName: 'root' });
    const inbound = record({ DeviceName: 'ws1', LocalIP: '10.0.0.2', LocalPort: '22', RemoteIP: '179.43.139.86', RemotePort: '51000', ActionType: 'InboundConnectionAccepted', InitiatingProcessFileName: 'sshd' });
    const bare = record({ RemoteIP: '179.43.139.86' });
    for (const [fields, table] of [[csl, 'CommonSecurityLog'], [outbound, 'DeviceNetworkEvents'], [inbound, 'DeviceNetworkEvents'], [bare, 'DeviceNetworkEvents']] as const) {
      expect(contextFrom(fields, catalogue.byName(table)!), table).to.deep.equal(hitContext(fields, table));
      expect(reportedContext(fields, table), table).to.deep.equal(hitContext(fields, table));
    }
    expect(contextFrom(inbound, catalogue.byName('DeviceNetworkEvents')!)).to.include({ sourceIp: '179.43.139.86', destinationPort: '22' });
  });

  it('finds a table by name, alias or streaming category, in any case, as `--table` and `Type` do today', () => {
    const name = (text: string) => catalogue.byName(text)?.name ?? null;
    for (const text of ['CommonSecurityLog', ' commonsecuritylog ', 'DEVICENETWORKEVENTS', 'AdvancedHunting-DeviceNetworkEvents', 'advancedhunting-commonsecuritylog', 'Syslog', '', 'AdvancedHunting-']) {
      const today = tableByName(text);
      if (today !== null) expect(name(text), text).to.equal(today);
    }
    expect(name('AdvancedHunting-DeviceLogonEvents')).to.equal('DeviceLogonEvents');
    expect(name('advancedhunting-devicefileevents')).to.equal('DeviceFileEvents');
    expect(name('AzureFirewallNetworkRule')).to.equal('AzureDiagnostics');
    expect(name('NonInteractiveUserSignInLogs')).to.equal('AADNonInteractiveUserSignInLogs');
    expect(name('w3ciislog')).to.equal('W3CIISLog');
    expect(name('DeviceRegistryEvents')).to.equal(null);
    expect(name('AdvancedHunting-Syslog')).to.equal('Syslog');
  });

  it('types each address column: DnsEvents IPAddresses a list, AzureDiagnostics msg_s free text, RemoteUrl a URL; only the KQL\'s own fields are parity fields', () => {
    const kind = (table: string, column: string) => catalogue.byName(table)!.watched.find((w) => w.name === column)?.kind;
    expect(kind('DnsEvents', 'IPAddresses')).to.equal('address-list');
    expect(kind('AzureDiagnostics', 'msg_s')).to.equal('text-addresses');
    expect(kind('DeviceNetworkEvents', 'RemoteUrl')).to.equal('url');
    expect(kind('OfficeActivity', 'ClientIP')).to.equal('address');
    const parity = catalogue.tables.flatMap((t) => t.watched.filter((w) => w.parity).map((w) => `${t.name}.${w.name}`));
    expect(parity).to.deep.equal(['CommonSecurityLog.SourceIP', 'CommonSecurityLog.DestinationIP', 'DeviceNetworkEvents.RemoteIP']);
  });

  it('names in every column list only columns of the table\'s documented header', () => {
    for (const table of catalogue.tables) {
      const documented = new Set(HEADERS[table.name].map((n) => n.toLowerCase()));
      // the Event Hub form of a firewall log holds its text in `msg` (AzureDiagnostics' `msg_s` once ingested)
      // and the Device tables, as Sentinel stores them, gain a TimeGenerated column beside Timestamp
      const extra = [
        ...(table.name === 'AzureDiagnostics' ? ['msg'] : []),
        ...(table.name === 'DeviceProcessEvents' ? ['processremotesessionip', 'processremotesessiondevicename'] : []),
        ...(table.name.startsWith('Device') ? ['timegenerated'] : []),
      ];
      const used = [
        ...table.watched.flatMap((w) => [w.column, ...(w.portColumn ? [w.portColumn] : [])]),
        ...table.hosts, ...table.urls, ...table.hashes, ...table.timeColumns, ...table.projection.map((p) => p.toLowerCase()),
        ...Object.entries(table.context).flatMap(([key, value]) => (key === 'swapWhen' ? (value ? [(value as { column: string }).column] : []) : (value as string[]))),
        ...table.signature.all.flat(),
      ];
      const missing = used.filter((c) => !documented.has(c) && !extra.includes(c) && !table.signature.none.includes(c));
      expect(missing, table.name).to.deep.equal([]);
    }
  });

  it('refuses a catalogue with a mistake, naming the table and what is wrong', () => {
    const text = readFileSync(join(ROOT, 'lib', 'data', 'tables.json'), 'utf8');
    const data = JSON.parse(text) as { tables: Array<Record<string, unknown>> };
    const broken = (change: (tables: Array<Record<string, unknown>>) => void) => {
      const copy = JSON.parse(text) as typeof data;
      change(copy.tables);
      return () => parseCatalogue(JSON.stringify(copy), 'tables.json');
    };
    expect(() => parseCatalogue(text, 'tables.json')).not.to.throw();
    expect(broken((t) => ((t[3].addresses as Array<Record<string, unknown>>)[0].kind = 'ip'))).to.throw(CatalogueError, 'tables.json: table DeviceProcessEvents: addresses[0].kind must be one of address, url, address-list, text-addresses');
    expect(broken((t) => (t[7].aliases = ['DNSEVENTS']))).to.throw(CatalogueError, 'table DnsEvents: the name "DNSEVENTS" is already taken by table DnsEvents');
    expect(broken((t) => (t[8].name = 'dnsevents'))).to.throw(CatalogueError, 'table dnsevents: the name "dnsevents" is already taken by table DnsEvents');
    expect(broken((t) => ((t[0].signature as { all: unknown[] }).all = [[]]))).to.throw(CatalogueError, 'table CommonSecurityLog: signature.all[0] is empty');
    expect(broken((t) => (t[1].colums = []))).to.throw(CatalogueError, 'table DeviceLogonEvents: unknown key "colums"');
    expect(broken((t) => (t[2].projection = ['Timestamp', '<script>']))).to.throw(CatalogueError, 'table DeviceFileEvents: projection[1] is not a column name: "<script>"');
    expect(broken((t) => (t[4].addresses = []))).to.throw(CatalogueError, 'table DeviceEvents: "addresses" is empty');
    expect(refusalCode(broken((t) => (t[4].addresses = [])))).to.equal('CATALOGUE_INVALID');
    expect(refusalCode(() => parseCatalogue('{"tables": []}', 'x.json'))).to.equal('CATALOGUE_INVALID');
    expect(refusalCode(() => parseCatalogue('{', 'x.json'))).to.equal('CATALOGUE_NOT_JSON');
    expect(data.tables).to.have.length(catalogue.tables.length);
  });
});

describe('the table fixtures (test/data/tables)', () => {
  interface Expected { file: string; table: string; records: number; hits: Array<{ line: number; record: number; column: string; ip: string; port: number | null; table?: string }> }
  const expected = (JSON.parse(readFileSync(join(TABLES_DIR, 'EXPECTED.json'), 'utf8')) as { files: Expected[] }).files;

  it('lists every export of the folder, and nothing else', () => {
    expect(expected.map((f) => f.file)).to.have.members(readdirSync(EXPORTS));
  });

  it('plants a C2 address, and a near miss, in an address column of every catalogued table', () => {
    const planted = new Set(expected.flatMap((f) => f.hits.map((h) => h.table ?? f.table)));
    for (const table of catalogue.tables) expect(planted.has(table.name), table.name).to.equal(true);
    for (const file of expected) {
      const text = readFileSync(join(EXPORTS, file.file), 'utf8');
      expect(text, file.file).to.include('179.43.139.840');
      for (const hit of file.hits) {
        const table = catalogue.byName(hit.table ?? file.table);
        if (table) expect(table.watched.map((w) => w.name), `${file.file} ${hit.column}`).to.include(hit.column);
      }
    }
  });

  it('says truly where each planted hit is: the record on that line holds the address in that column', () => {
    for (const file of expected) {
      const text = readFileSync(join(EXPORTS, file.file), 'utf8').replace(/^\uFEFF/, '');
      const lines = text.split('\n');
      const valueAt = (hit: Expected['hits'][number]): unknown => {
        if (file.file.endsWith('.csv')) {
          const [header, cells] = parse(`${lines[0]}\n${lines[hit.line - 1]}`, { relax_quotes: true }) as string[][];
          expect(hit.line, file.file).to.equal(hit.record + 1);
          return cells[header.indexOf(hit.column)];
        }
        if (file.file.endsWith('.ndjson') || file.file.endsWith('.jsonl')) {
          expect(hit.line, file.file).to.equal(hit.record);
          const record = JSON.parse(lines[hit.line - 1]) as Record<string, Record<string, unknown>>;
          return (record.properties ?? record)[hit.column];
        }
        if (file.file.endsWith('.rest-api.json')) {
          const answer = JSON.parse(text) as { tables: Array<{ columns: Array<{ name: string }>; rows: unknown[][] }> };
          const index = answer.tables[0].columns.findIndex((c) => c.name === hit.column);
          return answer.tables[0].rows[hit.record - 1][index];
        }
        expect(lines[hit.line - 1], file.file).to.equal('  {');
        return (JSON.parse(text) as Array<Record<string, unknown>>)[hit.record - 1][hit.column];
      };
      for (const hit of file.hits) expect(String(valueAt(hit)), `${file.file} line ${hit.line}`).to.include(hit.ip);
    }
  });
});
