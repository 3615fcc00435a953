import type { FileEntry, Hit } from '../report/report.js';
import type { Ioc } from '../matcher/ioc-set.js';

// Sinks: where a scan's findings go (the report builder gathers them; other
// sinks wrap it), so the scan never knows what becomes of a hit.

/**
 * Where the scan delivers what it finds. The scan never formats anything;
 * printers read what a sink gathered. `iocs` are the IOCs the hit counts for
 * (one per distinct IOC among its matches).
 */
export interface ScanSink {
  hit(hit: Hit, iocs: readonly Ioc[]): void;
  file(entry: FileEntry): void;
  /** Something a responder should know that is not an error (a file of no catalogued table). */
  warning(path: string, message: string): void;
  /** The inputs about to be scanned, in order (for progress: sizes, counts). */
  inputs?(paths: readonly string[]): void;
  /** Raw bytes of the current file just read (for progress). */
  bytesRead?(count: number): void;
}
