import { emptyToNull, firstSeenOf, labelsOf, type IocFileError, type IocFileOptions, type IocRow, type IocSetAside, type ParsedIocFile } from './ioc-rows.js';
import { mispValues, toIdsOf } from './misp-types.js';
import { splitQuotedLine } from './threatfox-csv.js';

// MISP's CSV export: a header line naming the columns (by default
// `uuid,event_id,category,type,value,comment,to_ids,date,object_relation,
// attribute_tag,object_uuid,object_name,object_meta_category`; the columns
// asked for may differ, so they are found by name), then one attribute a
// line, text quoted, numbers bare, to_ids as 1 or 0. Types and to_ids are
// read as in MISP's JSON (misp-json.ts). A quoted value spanning lines (a
// comment with a line break) is reported as unreadable lines.

function header(line: string): Map<string, number> | null {
  const names = splitQuotedLine(line.trim());
  if (!names) return null;
  const columns = new Map(names.map((name, i) => [name.trim().toLowerCase(), i]));
  return columns.has('type') && columns.has('value') && (columns.has('to_ids') || columns.has('category') || columns.has('event_id')) ? columns : null;
}

/** Does this text start (after blank lines) with a MISP CSV header? */
export function looksLikeMispCsv(lines: readonly string[]): boolean {
  const first = lines.find((line) => line.trim() !== '');
  return first !== undefined && header(first) !== null;
}

export function parseMispCsv(lines: readonly string[], options: IocFileOptions): ParsedIocFile {
  const rows: IocRow[] = [];
  const errors: IocFileError[] = [];
  const setAside: IocSetAside[] = [];
  let toIdsFalseUsed = 0;
  let columns: Map<string, number> | null = null;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const lineNumber = index + 1;
    if (line.trim() === '') return;
    if (columns === null) {
      columns = header(line);
      return;
    }
    const fields = splitQuotedLine(line);
    if (!fields) {
      errors.push({ line: lineNumber, message: 'broken quoting: not a MISP CSV line' });
      return;
    }
    const at = columns;
    const get = (name: string): string | null => {
      const i = at.get(name);
      return i === undefined ? null : emptyToNull(fields[i]);
    };
    const type = get('type');
    const value = get('value');
    if (type === null || value === null) {
      errors.push({ line: lineNumber, message: `no type or value (${fields.length} fields where the header names ${at.size})` });
      return;
    }
    const uuid = get('uuid');
    const values = mispValues(type, value);
    if (values !== null && !toIdsOf(get('to_ids'))) {
      if (!options.allAttributes) {
        setAside.push({ line: lineNumber, reason: 'to_ids false', id: uuid, detail: null });
        return;
      }
      toIdsFalseUsed++;
    }
    const meta = {
      threatType: get('category'),
      malware: null,
      confidence: null,
      firstSeen: firstSeenOf(get('first_seen')),
      lastSeen: firstSeenOf(get('last_seen')),
      name: get('event_info'),
      sourceId: uuid,
    };
    const tags = labelsOf(get('attribute_tag'));
    if (values === null) rows.push({ line: lineNumber, value, type, expect: null, labels: tags, ...meta });
    else for (const v of values) rows.push({ line: lineNumber, value: v.value, type, expect: v.expect, labels: [...tags, ...v.labels], ...meta });
  });
  return { format: 'misp-csv', rows, errors, setAside, usedByOption: toIdsFalseUsed > 0 ? { 'to_ids false': toIdsFalseUsed } : undefined };
}
