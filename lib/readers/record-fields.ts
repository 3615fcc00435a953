import { canonicalColumn, presentValue } from '../record/columns.js';
import type { ColumnListing, RecordFields } from '../record/source-record.js';
import { flattenColumns } from './flatten-columns.js';

// The RecordFields of each format: a CSV row read through its header's column
// positions, a JSON object read through its keys, both by canonical name.

export const NOT_UTF8 = 'bytes that are not valid UTF-8 (re-saved in another encoding, or damaged)';

// A union of tables with conflicting column types suffixes the column with its
// type (`RemotePort_int`, `ReportId_string`); such columns stand in for the base name.
const TYPE_SUFFIX = /^(.*)_(string|int|long|real|double|decimal|datetime|bool|boolean|dynamic|guid|timespan)$/;

/** Column positions of a CSV header, with union type-suffixed aliases after exact names. */
export class CsvLayout {
  readonly names: readonly string[];
  private readonly positions = new Map<string, number[]>();

  constructor(header: readonly string[]) {
    this.names = header;
    const aliases: Array<[string, number]> = [];
    header.forEach((name, i) => {
      const column = canonicalColumn(name);
      this.add(column, i);
      const m = TYPE_SUFFIX.exec(column);
      if (m) aliases.push([m[1], i]);
    });
    for (const [column, i] of aliases) this.add(column, i);
  }

  private add(column: string, i: number): void {
    const list = this.positions.get(column);
    if (list) list.push(i);
    else this.positions.set(column, [i]);
  }

  has(column: string): boolean {
    return this.positions.has(column);
  }

  fields(cells: readonly string[]): RecordFields {
    return new CsvFields(this, cells);
  }

  /** Positions to read for a column, exact name first. */
  lookup(column: string): readonly number[] | undefined {
    return this.positions.get(column);
  }
}

class CsvFields implements RecordFields {
  constructor(
    private readonly layout: CsvLayout,
    private readonly cells: readonly string[],
  ) {}

  get(column: string): string | null {
    const positions = this.layout.lookup(column);
    if (!positions) return null;
    for (const i of positions) {
      const value = presentValue(this.cells[i]);
      if (value !== null) return value;
    }
    return null;
  }

  sourceName(column: string): string | null {
    const positions = this.layout.lookup(column);
    return positions ? this.layout.names[positions[0]] : null;
  }

  has(column: string): boolean {
    return this.layout.has(column);
  }

  columns(): ColumnListing {
    return flattenColumns(this.layout.names.map((name, i): [string, unknown] => [name, this.cells[i]]));
  }
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return presentValue(value);
  if (typeof value === 'object') return jsonText(value);
  return String(value);
}

interface OpenContainer {
  value: Record<string, unknown> | unknown[];
  keys: string[] | null;
  next: number;
}

/**
 * What `JSON.stringify` gives for a parsed JSON value, without its recursion:
 * a field nested 100,000 levels deep (a few hundred KB of `[`) would
 * overflow the stack and lose the record, and with it the rest of the file.
 */
export function jsonText(root: unknown): string {
  const out: string[] = [];
  const open: OpenContainer[] = [];
  const enter = (value: unknown) => {
    if (typeof value !== 'object' || value === null) {
      out.push(JSON.stringify(value) ?? 'null');
    } else if (Array.isArray(value)) {
      out.push('[');
      open.push({ value, keys: null, next: 0 });
    } else {
      out.push('{');
      open.push({ value: value as Record<string, unknown>, keys: Object.keys(value), next: 0 });
    }
  };
  enter(root);
  while (open.length > 0) {
    const top = open[open.length - 1];
    const size = top.keys ? top.keys.length : (top.value as unknown[]).length;
    if (top.next === size) {
      out.push(top.keys ? '}' : ']');
      open.pop();
      continue;
    }
    if (top.next > 0) out.push(',');
    const at = top.next++;
    if (top.keys) {
      out.push(JSON.stringify(top.keys[at]), ':');
      enter((top.value as Record<string, unknown>)[top.keys[at]]);
    } else {
      enter((top.value as unknown[])[at]);
    }
  }
  return out.join('');
}

/**
 * Keys of one JSON record, looked up case-insensitively. Exports nearly always
 * use the schema's exact spelling, so the per-file cache of "which key spelled
 * this column last time" answers without listing the object's keys.
 */
export class JsonKeyCache {
  private readonly spelled = new Map<string, string>();

  resolve(object: Record<string, unknown>, column: string): string | null {
    const known = this.spelled.get(column);
    if (known !== undefined && Object.hasOwn(object, known)) return known;
    for (const key of Object.keys(object)) {
      if (canonicalColumn(key) === column) {
        this.spelled.set(column, key);
        return key;
      }
    }
    return null;
  }
}

export class JsonFields implements RecordFields {
  constructor(
    private readonly object: Record<string, unknown>,
    private readonly keys: JsonKeyCache,
  ) {}

  get(column: string): string | null {
    const key = this.keys.resolve(this.object, column);
    return key === null ? null : textOf(this.object[key]);
  }

  sourceName(column: string): string | null {
    return this.keys.resolve(this.object, column);
  }

  has(column: string): boolean {
    return this.keys.resolve(this.object, column) !== null;
  }

  columns(): ColumnListing {
    return flattenColumns(Object.entries(this.object));
  }
}
