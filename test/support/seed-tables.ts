import type { HitContext } from '../../lib/report/report.js';
import type { RecordFields } from '../../lib/record/source-record.js';


// A literal copy of the two seed tables' specs and table rules as they were
// hard-coded before the catalogue (lib/data/tables.json) took their place:
// the catalogue must give these two tables exactly this, so their reports
// never change. Kept here, out of lib/, as the reference the tests compare to.

type TableName = 'CommonSecurityLog' | 'DeviceNetworkEvents';

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
};

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


// The two seed tables' hit context, as hard-coded before the catalogue's context columns.

type Columns = readonly string[];

/** The first of the columns with a value (columns are canonical: lower case). */
function first(fields: RecordFields, columns: Columns): string | undefined {
  for (const column of columns) {
    const value = fields.get(column)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Keys whose value is undefined are dropped, so a context only says what the record says. */
function defined(context: HitContext): HitContext {
  const out: HitContext = {};
  for (const [key, value] of Object.entries(context) as Array<[keyof HitContext, string | undefined]>) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function commonSecurityLog(fields: RecordFields): HitContext {
  return defined({
    // the appliance or agent that logged the flow
    device: first(fields, ['devicename', 'computer']),
    sourceIp: first(fields, ['sourceip']),
    sourcePort: first(fields, ['sourceport']),
    destinationIp: first(fields, ['destinationip']),
    destinationPort: first(fields, ['destinationport']),
    process: first(fields, ['sourceprocessname', 'processname', 'destinationprocessname']),
    // CommonSecurityLog has no parent process column
    user: first(fields, ['sourceusername', 'destinationusername']),
    action: first(fields, ['deviceaction', 'simplifieddeviceaction', 'activity']),
  });
}

function deviceNetworkEvents(fields: RecordFields): HitContext {
  const local = { ip: first(fields, ['localip']), port: first(fields, ['localport']) };
  const remote = { ip: first(fields, ['remoteip']), port: first(fields, ['remoteport']) };
  const action = first(fields, ['actiontype']);
  // InboundConnectionAccepted: the remote end opened the connection, so it is the source
  const inbound = action !== undefined && /^inbound/i.test(action);
  const [source, destination] = inbound ? [remote, local] : [local, remote];
  return defined({
    device: first(fields, ['devicename']),
    sourceIp: source.ip,
    sourcePort: source.port,
    destinationIp: destination.ip,
    destinationPort: destination.port,
    process: first(fields, ['initiatingprocessfilename']),
    parentProcess: first(fields, ['initiatingprocessparentfilename']),
    user: first(fields, ['initiatingprocessaccountname']),
    action,
  });
}

/** The context of a record of `table`; pure, so the scan can call it for each hit. */
export function hitContext(fields: RecordFields, table: TableName): HitContext {
  return table === 'CommonSecurityLog' ? commonSecurityLog(fields) : deviceNetworkEvents(fields);
}

