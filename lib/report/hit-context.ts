import type { Hit, HitContext, TableName } from './report.js';
import type { RecordFields } from '../record/source-record.js';

// A hit's `fields` keep only the KQL projection (the report's evidence
// columns, docs/output.md). The responder also wants the appliance that
// logged it, the source port, the process and its parent, the user: this
// reads them from the whole record once, while it is still at hand, so
// printers never need the record itself. Every printer shows the same
// context keys, in this order, whatever the table.

/** The context's keys, in the order every format shows them (the CSV's context columns). */
export const CONTEXT_COLUMNS = ['device', 'vendor', 'product', 'sourceIp', 'sourcePort', 'destinationIp', 'destinationPort', 'process', 'parentProcess', 'user', 'action'] as const satisfies ReadonlyArray<keyof HitContext>;

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
    vendor: first(fields, ['devicevendor']),
    product: first(fields, ['deviceproduct']),
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

/** A hit's projection `fields` read through the RecordFields interface. */
export function projectionFields(projection: Readonly<Record<string, string | null>>): RecordFields {
  const byColumn = new Map<string, { name: string; value: string | null }>();
  for (const [name, value] of Object.entries(projection)) byColumn.set(name.toLowerCase(), { name, value });
  return {
    get: (column) => byColumn.get(column)?.value ?? null,
    sourceName: (column) => byColumn.get(column)?.name ?? null,
    has: (column) => byColumn.has(column),
  };
}

/** Only the context keys, only text: a report read back for `merge` may have been edited by anyone. */
function knownKeys(context: HitContext): HitContext {
  const out: HitContext = {};
  for (const key of CONTEXT_COLUMNS) {
    const value: unknown = context[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

/**
 * The context a printer shows: the one the scan attached, or else what the
 * projection columns alone can tell (fewer keys, never wrong ones).
 */
export function contextOf(hit: Hit): HitContext {
  if (hit.context !== undefined && hit.context !== null && typeof hit.context === 'object') return knownKeys(hit.context);
  if (hit.malformed || hit.table === 'unknown') return {};
  return hitContext(projectionFields(hit.fields), hit.table);
}

/** Who did what, in words: `product Fortinet FortiGate, process perl, parent cron, user root, action accept`. */
export function describeActors(context: HitContext): string {
  const parts: string[] = [];
  const made = [context.vendor, context.product].filter((part) => part !== undefined).join(' ');
  if (made) parts.push(`product ${made}`);
  if (context.process) parts.push(`process ${context.process}`);
  if (context.parentProcess) parts.push(`parent ${context.parentProcess}`);
  if (context.user) parts.push(`user ${context.user}`);
  if (context.action) parts.push(`action ${context.action}`);
  return parts.join(', ');
}
