import type { Hit, HitContext, TableName } from '../report/report.js';
import type { RecordFields } from '../record/source-record.js';
import { projectionFields } from '../report/hit-context.js';
import { contextFrom, tableCatalogue } from './catalogue.js';

// A hit's context (who talked to whom, which process, which user) read
// through its table's context columns in the catalogue (lib/data/tables.json).

/** The context of a record of a catalogued table (its catalogue entry's context columns); empty for any other table. */
export function hitContext(fields: RecordFields, table: TableName): HitContext {
  const spec = tableCatalogue().byName(table);
  return spec === null || spec.name !== table ? {} : contextFrom(fields, spec);
}

/**
 * The context a printer shows: the one the scan attached, or else what the
 * projection columns alone can tell (fewer keys, never wrong ones).
 */
export function contextOf(hit: Hit): HitContext {
  if (hit.context) return hit.context;
  if (hit.malformed || hit.table === 'unknown') return {};
  return hitContext(projectionFields(hit.fields), hit.table);
}

