import type { TableName } from '../report/report.js';
import { tableCatalogue, type AddressColumn, type CatalogueTable, type TableCatalogue as Catalogue } from './catalogue.js';
export type { ValueColumn } from './catalogue.js';

// The tables a scan knows, as the record verdict and the matchers see them:
// the catalogue's entries (lib/data/tables.json), each with its address
// columns, its typed host, URL and hash columns, its projection, its time and
// context columns. Another table is another entry of data, not another
// branch in the scan.

/** A table as the verdict hands it to each matcher: the whole catalogue entry. */
export type TableSpec = CatalogueTable;
/** An address column of a table, with the way its values hold addresses. */
export type WatchedField = AddressColumn;

/** The two tables of the seed's hunt: the only ones --kql-parity counts. */
export const PARITY_TABLES: readonly TableName[] = ['CommonSecurityLog', 'DeviceNetworkEvents'];

/**
 * The tables a scan knows, as the record verdict asks about them: a table is
 * named by the record or the user, or recognised by its columns.
 */
export interface TableCatalogue {
  spec(name: TableName): TableSpec;
  byName(text: string): TableName | null;
  fromColumns(has: (column: string) => boolean): TableName | null;
}

/** The verdict's view of a catalogue. */
export function catalogueRule(catalogue: Catalogue): TableCatalogue {
  const byExactName = new Map(catalogue.tables.map((table) => [table.name, table]));
  return {
    spec(name) {
      const table = byExactName.get(name) ?? catalogue.byName(name);
      if (table === null) throw new Error(`no catalogued table ${name}`);
      return table;
    },
    byName: (text) => catalogue.byName(text)?.name ?? null,
    fromColumns: (has) => catalogue.fromColumns(has)?.name ?? null,
  };
}

let builtin: TableCatalogue | null = null;

/** The shipped catalogue, as the verdict asks about it. */
export function builtinTables(): TableCatalogue {
  builtin ??= catalogueRule(tableCatalogue());
  return builtin;
}

/** `--table`, a `Type` value or a streaming `category` naming a catalogued table, any case; null for any other text. */
export function tableByName(text: string): TableName | null {
  return builtinTables().byName(text);
}
