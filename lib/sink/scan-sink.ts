import type { FileEntry, Hit } from '../report/report.js';
import type { Ioc } from '../matcher/ioc-set.js';

/**
 * Where the scan delivers what it finds. The scan never formats anything;
 * printers read what a sink gathered. `iocs` are the IOCs the hit counts for
 * (one per distinct IOC among its matches).
 */
export interface ScanSink {
  hit(hit: Hit, iocs: readonly Ioc[]): void;
  file(entry: FileEntry): void;
  /** Something a responder should know that is not an error (a file of neither table). */
  warning(path: string, message: string): void;
  /** The inputs about to be scanned, in order (for progress: sizes, counts). */
  inputs?(paths: readonly string[]): void;
  /** Raw bytes of the current file just read (for progress). */
  bytesRead?(count: number): void;
}
