import type { RawIocSearch } from '../matcher/raw-text.js';

// Readers: bytes of one format (CSV, NDJSON, a JSON array) in, SourceRecords
// out, each with its line; a record that cannot be parsed comes out too, with
// its problem and the IOC IPs its raw bytes hold. This file is what every
// reader is given and tells back.

/** What a reader is given besides bytes, and tells back besides records (its channel to the scan; a hit's `context` is another thing: report/hit-context.ts). */
export interface ReaderChannel {
  /** IOC text search, for records that cannot be parsed (their raw bytes are searched instead). */
  search: RawIocSearch;
  /**
   * Parse every record (the reference path). Otherwise a reader may count
   * records it can prove hold no IOC text without parsing them.
   */
  fullParse: boolean;
  header?(names: readonly string[]): void;
  /** How many data records the text held, parsed or only counted; told once the reader stops. */
  counted?(records: number): void;
  /**
   * Line feeds in the text taken so far, set by the reader after each chunk:
   * damage cut out before the reader (zero padding) is reported at its line.
   */
  progress?: { lineFeeds: number };
  /** A problem not tied to one record (null line: not tied to a line). */
  error(line: number | null, message: string): void;
}
