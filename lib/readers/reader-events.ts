/** What a reader tells the scan besides records: the header it saw and the problems it met. */
export interface ReaderEvents {
  header?(names: readonly string[]): void;
  /** A problem at a physical line (null: not tied to a line). */
  error(line: number | null, message: string): void;
}
