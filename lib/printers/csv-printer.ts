import { stringify } from 'csv-stringify/sync';
import type { Hit, Match } from '../report/report.js';
import { PIECE_SIZE, type ReportStream } from '../report/report-stream.js';
import { builtinTables, PARITY_TABLES } from '../tables/table-specs.js';
import { displayPath } from '../record/file-path.js';

// `--format csv` (docs/output.md): one row per hit, for spreadsheets and SIEM
// imports. The columns are fixed whatever the input, so a script can rely on
// them: the hit's own columns with its first match, then the projection
// columns of both tables (CommonSecurityLog's six, then DeviceNetworkEvents'
// six; a row leaves the other table's empty; a row of another table leaves
// both empty, its column and value are in `field` and `matches`), then every match.
// Empty cell: null or absent. Quoting is csv-stringify's (RFC 4180), so
// commas, quotes and line breaks inside a value read back unchanged.

const HIT_COLUMNS = ['file', 'line', 'time', 'table', 'ip', 'field', 'port', 'portMatch', 'suppressedBy'] as const;

/** The union of the seed's two tables' KQL projections, each column once, in table order. */
export const PROJECTION_COLUMNS: readonly string[] = [...new Set(PARITY_TABLES.flatMap((name) => builtinTables().spec(name).projection))];

export const CSV_COLUMNS: readonly string[] = [...HIT_COLUMNS, ...PROJECTION_COLUMNS, 'matches'];

function cell(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A number as a spreadsheet reads one: `-5`, `+3.25`, `-1e-3`. It stays as it is. */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
 * `@`, TAB or CR) gets a leading `'`, as OWASP advises against CSV
 * injection: log fields and file names are attacker-controlled, and
 * `=HYPERLINK(...)` or `=cmd|...` must stay text. A number stays a number.
 */
export function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/**
 * One match as `Field=ip:port`: `DestinationIP=179.43.139.84:443`. The port is
 * the one seen in the record, left out (`RemoteIP=179.43.139.84`) when none
 * was recorded; a raw-text match of a malformed record has no field and is
 * written `raw=179.43.139.84`.
 */
export function matchText(match: Match): string {
  const where = match.field ?? 'raw';
  return `${where}=${match.ip}${match.port === null ? '' : `:${match.port}`}`;
}

function row(hit: Hit): string[] {
  const first: Partial<Match> = hit.matches[0] ?? {};
  return rawRow(hit, first).map(neutralised);
}

function rawRow(hit: Hit, first: Partial<Match>): string[] {
  return [
    cell(displayPath(hit.file)),
    cell(hit.line),
    cell(hit.time),
    cell(hit.table),
    cell(first.ip),
    cell(first.field),
    cell(first.port),
    cell(first.portMatch),
    cell(hit.suppressedBy),
    ...PROJECTION_COLUMNS.map((column) => cell(hit.fields[column])),
    hit.matches.map(matchText).join(';'),
  ];
}

// csv-stringify quotes a line feed but not a lone carriage return, which a
// reader takes for a record end: quote those too, so every value reads back
const CSV_OPTIONS = { record_delimiter: 'unix', quoted_match: /\r/ } as const;

/** Rows turned into text together; each row is quoted on its own, so the pieces join into one valid file. */
const ROWS_AT_ONCE = 256;

export async function* printCsv(report: ReportStream, options: { raw?: boolean } = {}): AsyncGenerator<string> {
  const toRow = options.raw === true ? (hit: Hit) => rawRow(hit, hit.matches[0] ?? {}) : row;
  // the header row is written even with no hit, so an empty result still parses
  let rows: string[][] = [[...CSV_COLUMNS]];
  let text = '';
  for await (const hit of report.hits()) {
    rows.push(toRow(hit));
    if (rows.length < ROWS_AT_ONCE) continue;
    text += stringify(rows, CSV_OPTIONS);
    rows = [];
    if (text.length >= PIECE_SIZE) {
      yield text;
      text = '';
    }
  }
  yield text + (rows.length > 0 ? stringify(rows, CSV_OPTIONS) : '');
}
