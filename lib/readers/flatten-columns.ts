import { presentValue } from '../record/columns.js';
import type { ColumnListing, ColumnValue } from '../record/source-record.js';

// Every column of a record with a value, for the unknown-table rule: nested
// JSON (a `properties` object, an `AdditionalFields` cell holding a JSON
// object's text) flattened to dotted names (`properties.RemoteIP`,
// `AdditionalFields.x`). Bounded whatever the input: an explicit stack, no
// recursion, and caps on depth and on columns, said in `cut` when reached.

/** Nesting deeper than this is not read. */
export const MAX_NESTING = 16;
/** Columns past this many in one record are not read. */
export const MAX_COLUMNS = 4096;

interface Pending {
  name: string;
  value: unknown;
  depth: number;
}

/** A value that is a JSON object's text, parsed; null for any other text. */
function objectText(text: string): Record<string, unknown> | null {
  const s = text.trim();
  if (s.length < 2 || s[0] !== '{' || s[s.length - 1] !== '}') return null;
  try {
    const value: unknown = JSON.parse(s);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The columns of `top` (name and value pairs, in order), each flattened. */
export function flattenColumns(top: Iterable<[string, unknown]>): ColumnListing {
  const columns: ColumnValue[] = [];
  let cut: string | null = null;
  const stack: Pending[] = [];
  const pushChildren = (entries: Iterable<[string, unknown]>, prefix: string | null, depth: number) => {
    const children: Pending[] = [];
    for (const [key, value] of entries) children.push({ name: prefix === null ? key : `${prefix}.${key}`, value, depth });
    // reversed onto the stack, so columns come out in the record's order
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  };
  pushChildren(top, null, 0);
  while (stack.length > 0) {
    const { name, value, depth } = stack.pop()!;
    if (value === null || value === undefined) continue;
    let nested: Iterable<[string, unknown]> | null = null;
    if (Array.isArray(value)) nested = [];
    else if (typeof value === 'object') nested = Object.entries(value);
    else {
      const text = presentValue(String(value));
      if (text === null) continue;
      const inner = typeof value === 'string' ? objectText(text) : null;
      if (inner !== null) nested = Object.entries(inner);
      else {
        if (columns.length >= MAX_COLUMNS) {
          cut = `more than ${MAX_COLUMNS} columns`;
          break;
        }
        columns.push({ name, value: text });
        continue;
      }
    }
    if (depth >= MAX_NESTING) {
      cut ??= `JSON nested deeper than ${MAX_NESTING} levels`;
      continue;
    }
    // an array's items are read under the array's own name
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push({ name, value: value[i], depth: depth + 1 });
    else pushChildren(nested, name, depth + 1);
  }
  return { columns, cut };
}
