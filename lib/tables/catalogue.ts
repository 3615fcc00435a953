import { dataFile } from '../assets/assets.js';
import type { HitContext } from '../report/report.js';
import type { RecordFields } from '../record/source-record.js';
import { type CatalogueCode, HuntError } from '../errors/hunt-error.js';

// The table catalogue (lib/data/tables.json): every table the tool knows, as
// data. For each: the names a record or a file may give it, the columns that
// recognise its header, where its addresses are and how each is written, and
// what the report shows. Read once, checked whole: a catalogue with a mistake
// is refused with the table and key named, never half used.
//
// Column names are kept canonical here (lower case), as RecordFields reads
// them; `name` keeps the schema's spelling for the report.

/**
 * How a column holds addresses. `address`: the value is one address
 * (`ip`, `ip:port`, `[::ffff:ip]:port`); `url`: the host of a URL;
 * `address-list`: each address of a list value (DnsEvents `IPAddresses`);
 * `text-addresses`: each address inside free text (AzureDiagnostics `msg_s`).
 */
export type AddressKind = 'address' | 'url' | 'address-list' | 'text-addresses';

const KINDS: readonly AddressKind[] = ['address', 'url', 'address-list', 'text-addresses'];

/** The shape of table-specs.ts WatchedField, with the wider set of kinds. */
export interface AddressColumn {
  /** The column as the report names it (`DestinationIP`). */
  name: string;
  column: string;
  /** The column holding the port seen beside this address, if any. */
  portColumn: string | null;
  kind: AddressKind;
  /** One of the seed KQL's own fields (kept under --kql-parity). */
  parity: boolean;
}

/**
 * How a header or a record's keys show the table: every `all` group needs
 * one of its columns present, and no `none` column may be present.
 */
export interface Signature {
  all: ReadonlyArray<readonly string[]>;
  none: readonly string[];
}

export const CONTEXT_KEYS = ['device', 'sourceIp', 'sourcePort', 'destinationIp', 'destinationPort', 'process', 'parentProcess', 'user', 'action'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Where each part of a hit's context is read: the first column with a value wins. */
export type ContextColumns = Record<ContextKey, readonly string[]> & {
  /** When this column's value starts with `prefix` (any case), source and destination swap (an inbound connection). */
  swapWhen: { column: string; prefix: string } | null;
};

export interface CatalogueTable {
  name: string;
  /** Other names a record may give (a streaming `category`), besides `name`. */
  aliases: readonly string[];
  signature: Signature;
  /** Address columns, in the order matches are reported. */
  watched: readonly AddressColumn[];
  /** Columns holding a host or domain name (for domain IOCs). */
  hosts: readonly string[];
  /** Columns holding a URL (for URL IOCs). */
  urls: readonly string[];
  /** Columns holding a file hash (for hash IOCs). */
  hashes: readonly string[];
  /** The same three lists, each column as the report names it and as records are read. */
  hostColumns: readonly ValueColumn[];
  urlColumns: readonly ValueColumn[];
  hashColumns: readonly ValueColumn[];
  /** Where the record's time is read: the first present and non-empty wins. */
  timeColumns: readonly string[];
  /** The report's `fields`, in order, as the schema spells them. */
  projection: readonly string[];
  context: ContextColumns;
}

/** A column holding one kind of value: `name` as the report spells it, `column` as records are read. */
export interface ValueColumn {
  name: string;
  column: string;
}

function valueColumns(list: readonly string[]): ValueColumn[] {
  return list.map((name) => ({ name, column: name.toLowerCase() }));
}

export class CatalogueError extends HuntError<CatalogueCode> {}

const ENTRY_KEYS = ['name', 'aliases', 'signature', 'addresses', 'hosts', 'urls', 'hashes', 'time', 'projection', 'context'];
/** A column name as exports write it; control characters or markup never name a column here. */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

type Fail = (message: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function names(value: unknown, what: string, fail: Fail, pattern = COLUMN_NAME): string[] {
  if (!Array.isArray(value)) fail(`${what} must be a list of names`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) fail(`${what}[${i}] is not a column name: ${JSON.stringify(item)}`);
    return item;
  });
}

const canonical = (list: readonly string[]) => list.map((name) => name.toLowerCase());

function readAddresses(value: unknown, fail: Fail): AddressColumn[] {
  if (!Array.isArray(value)) fail('"addresses" must be a list');
  return value.map((item, i) => {
    const at = `addresses[${i}]`;
    if (!isObject(item)) fail(`${at} must be an object`);
    const [column] = names([item.column], `${at}.column`, fail);
    const port = item.port ?? null;
    if (port !== null) names([port], `${at}.port`, fail);
    if (!KINDS.includes(item.kind as AddressKind)) fail(`${at}.kind must be one of ${KINDS.join(', ')}`);
    if (typeof item.parity !== 'boolean') fail(`${at}.parity must be true or false`);
    return { name: column, column: column.toLowerCase(), portColumn: port === null ? null : (port as string).toLowerCase(), kind: item.kind as AddressKind, parity: item.parity };
  });
}

function readSignature(value: unknown, fail: Fail): Signature {
  if (!isObject(value) || !Array.isArray(value.all) || value.all.length === 0) fail('"signature.all" must be a non-empty list of column groups');
  const all = value.all.map((group, i) => {
    const columns = names(group, `signature.all[${i}]`, fail);
    if (columns.length === 0) fail(`signature.all[${i}] is empty: no header could ever fit`);
    return canonical(columns);
  });
  return { all, none: canonical(names(value.none ?? [], 'signature.none', fail)) };
}

function readContext(value: unknown, fail: Fail): ContextColumns {
  if (!isObject(value)) fail('"context" must be an object');
  for (const key of Object.keys(value)) {
    if (key !== 'swapWhen' && !(CONTEXT_KEYS as readonly string[]).includes(key)) fail(`context has an unknown key "${key}"`);
  }
  const context = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, canonical(names(value[key] ?? [], `context.${key}`, fail))])) as Record<ContextKey, string[]>;
  let swapWhen: ContextColumns['swapWhen'] = null;
  if (value.swapWhen !== undefined && value.swapWhen !== null) {
    const swap = value.swapWhen;
    if (!isObject(swap) || typeof swap.prefix !== 'string' || swap.prefix === '') fail('context.swapWhen must be {"column", "prefix"}');
    swapWhen = { column: names([swap.column], 'context.swapWhen.column', fail)[0].toLowerCase(), prefix: swap.prefix.toLowerCase() };
  }
  return { ...context, swapWhen };
}

function readTable(entry: unknown, fail: Fail): CatalogueTable {
  if (!isObject(entry)) fail('must be an object');
  for (const key of Object.keys(entry)) if (!ENTRY_KEYS.includes(key)) fail(`unknown key "${key}"`);
  const [name] = names([entry.name], 'name', fail, TABLE_NAME);
  const projection = names(entry.projection, 'projection', fail);
  const time = names(entry.time, 'time', fail);
  if (projection.length === 0) fail('"projection" is empty');
  if (time.length === 0) fail('"time" is empty');
  const watched = readAddresses(entry.addresses, fail);
  if (watched.length === 0) fail('"addresses" is empty: its records could never be searched');
  return {
    name,
    aliases: names(entry.aliases ?? [], 'aliases', fail, TABLE_NAME),
    signature: readSignature(entry.signature, fail),
    watched,
    hosts: canonical(names(entry.hosts ?? [], 'hosts', fail)),
    urls: canonical(names(entry.urls ?? [], 'urls', fail)),
    hashes: canonical(names(entry.hashes ?? [], 'hashes', fail)),
    hostColumns: valueColumns(names(entry.hosts ?? [], 'hosts', fail)),
    urlColumns: valueColumns(names(entry.urls ?? [], 'urls', fail)),
    hashColumns: valueColumns(names(entry.hashes ?? [], 'hashes', fail)),
    timeColumns: canonical(time),
    projection,
    context: readContext(entry.context, fail),
  };
}

export class TableCatalogue {
  private readonly byLowerName = new Map<string, CatalogueTable>();

  constructor(readonly tables: readonly CatalogueTable[]) {
    for (const table of tables) {
      for (const label of [table.name, ...table.aliases]) this.byLowerName.set(label.toLowerCase(), table);
    }
  }

  /**
   * The table a `--table` value, a `Type` value or a streaming `category`
   * names: its name or one of its aliases, any case, trimmed. A Defender
   * streaming category is `AdvancedHunting-` and the table's name.
   */
  byName(text: string): CatalogueTable | null {
    const label = text.trim().toLowerCase();
    return this.byLowerName.get(label) ?? this.byLowerName.get(label.replace(/^advancedhunting-/, '')) ?? null;
  }

  /** Whether the columns present fit the table's signature. */
  fits(table: CatalogueTable, has: (column: string) => boolean): boolean {
    return table.signature.all.every((group) => group.some(has)) && !table.signature.none.some(has);
  }

  /** The first table, in catalogue order, whose signature the columns present fit. */
  fromColumns(has: (column: string) => boolean): CatalogueTable | null {
    return this.tables.find((table) => this.fits(table, has)) ?? null;
  }
}

/** A catalogue from the text of a tables.json; throws CatalogueError naming the table and what is wrong. */
export function parseCatalogue(text: string, origin: string): TableCatalogue {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogueError('CATALOGUE_NOT_JSON', `${origin}: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data) || !Array.isArray(data.tables) || data.tables.length === 0) throw new CatalogueError('CATALOGUE_INVALID', `${origin}: expected {"tables": [...]} with at least one table`);
  const seen = new Map<string, string>();
  const tables = data.tables.map((entry, i) => {
    const label = isObject(entry) && typeof entry.name === 'string' ? entry.name : `#${i + 1}`;
    const fail: Fail = (message) => {
      throw new CatalogueError('CATALOGUE_INVALID', `${origin}: table ${label}: ${message}`);
    };
    const table = readTable(entry, fail);
    for (const name of [table.name, ...table.aliases]) {
      const other = seen.get(name.toLowerCase());
      if (other !== undefined) fail(`the name "${name}" is already taken by table ${other}`);
      seen.set(name.toLowerCase(), table.name);
    }
    return table;
  });
  return new TableCatalogue(tables);
}

let builtin: TableCatalogue | null = null;

/** The catalogue the tool ships (lib/data/tables.json), read once. */
export function tableCatalogue(): TableCatalogue {
  builtin ??= parseCatalogue(dataFile('tables.json').toString('utf8'), 'built-in table catalogue');
  return builtin;
}

/** The first of the columns with a value. */
function first(fields: RecordFields, columns: readonly string[]): string | undefined {
  for (const column of columns) {
    const value = fields.get(column)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** A hit's context read from the whole record through the table's context columns; a key is absent when the record does not say. */
export function contextFrom(fields: RecordFields, table: CatalogueTable): HitContext {
  const columns = table.context;
  let source = { ip: first(fields, columns.sourceIp), port: first(fields, columns.sourcePort) };
  let destination = { ip: first(fields, columns.destinationIp), port: first(fields, columns.destinationPort) };
  const swap = columns.swapWhen;
  if (swap && first(fields, [swap.column])?.toLowerCase().startsWith(swap.prefix)) [source, destination] = [destination, source];
  const context: HitContext = {
    device: first(fields, columns.device),
    sourceIp: source.ip,
    sourcePort: source.port,
    destinationIp: destination.ip,
    destinationPort: destination.port,
    process: first(fields, columns.process),
    parentProcess: first(fields, columns.parentProcess),
    user: first(fields, columns.user),
    action: first(fields, columns.action),
  };
  for (const key of CONTEXT_KEYS) if (context[key] === undefined) delete context[key];
  return context;
}
