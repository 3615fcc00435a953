// The record vocabulary every layer speaks: a record as readers hand it on
// (its place in the file, and its columns by canonical name whatever the
// file's format), and the rules for naming columns (columns.ts). Nothing here
// knows a format, a table or an IOC.

export interface RecordFields {
  /** The value of a column (canonical: lower case, no ` [zone]` suffix); null when absent or empty. */
  get(column: string): string | null;
  /** The header or key the value was read from, e.g. `TimeGenerated [UTC]`. */
  sourceName(column: string): string | null;
  has(column: string): boolean;
  /**
   * Every column with a value, as the source spells it, nested JSON flattened
   * to dotted names (for the unknown-table rule, which reads them all).
   */
  columns(): ColumnListing;
}

export interface ColumnValue {
  name: string;
  value: string;
}

export interface ColumnListing {
  columns: ColumnValue[];
  /** What was left unread when a record's nesting or width passed the caps; null when all was read. */
  cut: string | null;
}

export interface SourceRecord {
  /** 1-based physical line where the record starts (of the decompressed text). */
  line: number;
  /** Byte offset where the record starts (of the decompressed text). */
  offset: number;
  /** 1-based index of the data record in its file. */
  index: number;
  /** Null when the record could not be parsed; then `problem` and `rawIps` are set. */
  fields: RecordFields | null;
  /** A table the record names itself (`Type`, streaming `category`). */
  declaredTable: string | null;
  problem?: string;
  /** The IOC IPs found in the raw bytes of a record that could not be parsed. */
  rawIps?: Set<string>;
  /**
   * A record that parsed, but whose raw text gives reason to doubt its
   * columns (a CSV quote inside an unquoted field: damage can shift every
   * column after it), with the IOC IPs its raw bytes hold. Should no watched
   * field match, it is reported as a malformed record rather than dropped.
   */
  suspect?: { problem: string; rawIps: Set<string> };
}
