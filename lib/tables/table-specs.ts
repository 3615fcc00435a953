import type { TableName } from '../report/report.js';
import { dataFile } from '../assets/assets.js';

// The tables the tool knows, as data: which fields of each are watched for
// IOCs (docs/hits.md), what the seed's KQL projects, where a record's time
// is read. Column names here are canonical: lower case, no ` [zone]` suffix.

export interface WatchedField {
  /** The column as the report names it (`DestinationIP`). */
  name: string;
  column: string;
  /** The column holding the port seen beside this address, if the table has one. */
  portColumn: string | null;
  /** `url`: only the host of the value is read (RemoteUrl). */
  kind: 'address' | 'url';
  /** One of the KQL's own fields (kept under --kql-parity). */
  parity: boolean;
}

export interface TableSpec {
  name: TableName;
  watched: readonly WatchedField[];
  /** The KQL `project` columns, in order, as named in the report's `fields`. */
  projection: readonly string[];
  /** Where the record's time is read, first present and non-empty wins. */
  timeColumns: readonly string[];
  /** Columns holding a host or domain name (domain IOCs, and the host of URL IOCs). */
  hostColumns: readonly ValueColumn[];
  /** Columns holding a URL (URL IOCs; their host for domain IOCs). */
  urlColumns: readonly ValueColumn[];
  /** Columns holding an MD5, SHA-1 or SHA-256 hash. */
  hashColumns: readonly ValueColumn[];
}

/** A column holding one kind of value: `name` as the report spells it, `column` as records are read. */
export interface ValueColumn {
  name: string;
  column: string;
}

/** The host, URL and hash columns the table catalogue (lib/data/tables.json) gives a table, spelled as it spells them. */
function valueColumns(name: TableName): Pick<TableSpec, 'hostColumns' | 'urlColumns' | 'hashColumns'> {
  const data = JSON.parse(dataFile('tables.json').toString('utf8')) as { tables: Array<{ name: string; hosts?: string[]; urls?: string[]; hashes?: string[] }> };
  const table = data.tables.find((t) => t.name === name);
  const columns = (names: string[] | undefined) => (names ?? []).map((n) => ({ name: n, column: n.toLowerCase() }));
  return { hostColumns: columns(table?.hosts), urlColumns: columns(table?.urls), hashColumns: columns(table?.hashes) };
}

function watched(name: string, portName: string | null, kind: 'address' | 'url', parity: boolean): WatchedField {
  return { name, column: name.toLowerCase(), portColumn: portName?.toLowerCase() ?? null, kind, parity };
}

export const COMMON_SECURITY_LOG: TableSpec = {
  name: 'CommonSecurityLog',
  watched: [
    watched('SourceIP', 'SourcePort', 'address', true),
    watched('DestinationIP', 'DestinationPort', 'address', true),
    watched('SourceTranslatedAddress', 'SourceTranslatedPort', 'address', false),
    watched('DestinationTranslatedAddress', 'DestinationTranslatedPort', 'address', false),
  ],
  projection: ['TimeGenerated', 'SourceIP', 'DestinationIP', 'DestinationPort', 'DeviceAction', 'Activity'],
  timeColumns: ['timegenerated'],
  ...valueColumns('CommonSecurityLog'),
};

export const DEVICE_NETWORK_EVENTS: TableSpec = {
  name: 'DeviceNetworkEvents',
  watched: [
    watched('RemoteIP', 'RemotePort', 'address', true),
    watched('LocalIP', 'LocalPort', 'address', false),
    watched('RemoteUrl', null, 'url', false),
  ],
  projection: ['Timestamp', 'DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'ActionType'],
  timeColumns: ['timestamp', 'timegenerated'],
  ...valueColumns('DeviceNetworkEvents'),
};

export const TABLES: Record<TableName, TableSpec> = {
  CommonSecurityLog: COMMON_SECURITY_LOG,
  DeviceNetworkEvents: DEVICE_NETWORK_EVENTS,
};

/**
 * The tables a scan knows, as the record verdict asks about them: a table is
 * named by the record or the user, or recognised by its columns. Another
 * table is another entry of data here, not another branch in the scan.
 */
export interface TableCatalogue {
  spec(name: TableName): TableSpec;
  byName(text: string): TableName | null;
  fromColumns(has: (column: string) => boolean): TableName | null;
}

/** `--table`, a `Type` value or a streaming `category` naming a table, case-insensitively. */
export function tableByName(text: string): TableName | null {
  const name = text.trim().replace(/^AdvancedHunting-/i, '').toLowerCase();
  if (name === 'commonsecuritylog') return 'CommonSecurityLog';
  if (name === 'devicenetworkevents') return 'DeviceNetworkEvents';
  return null;
}

/**
 * Table from the columns present (docs/inputs.md). CommonSecurityLog has a RemoteIP column
 * of its own, so RemoteIP alone proves nothing; each table needs one of its
 * address columns and one column only it carries.
 */
export function tableFromColumns(has: (column: string) => boolean): TableName | null {
  const any = (columns: string[]) => columns.some(has);
  if (any(['sourceip', 'destinationip']) && any(['devicevendor', 'deviceproduct', 'deviceaction', 'activity'])) {
    return 'CommonSecurityLog';
  }
  if (has('remoteip') && any(['actiontype', 'deviceid', 'initiatingprocessfilename'])) {
    return 'DeviceNetworkEvents';
  }
  return null;
}

export const TABLE_CATALOGUE: TableCatalogue = { spec: (name) => TABLES[name], byName: tableByName, fromColumns: tableFromColumns };
