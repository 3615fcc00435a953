import type { RawIocSearch } from '../matcher/raw-text.js';

/** What a reader is given besides bytes, and tells back besides records. */
export interface ReaderContext {
  /** IOC text search, for records that cannot be parsed (their raw bytes are searched instead). */
  search: RawIocSearch;
  header?(names: readonly string[]): void;
  /** A problem not tied to one record (null line: not tied to a line). */
  error(line: number | null, message: string): void;
}
