import type { FileEntry, Hit, IocEntry, PerIocCount, Summary } from './report.js';
import { searchCounts } from './searched.js';

// The report's sums, made in one place: a scan's report builder, a merge
// (for the merged report and for each report it lists) and the printers all
// count through these functions, so a file, a record, a hit or an error is
// counted by one rule wherever a figure about it is shown.

/** Active hits (no exclusion holds) and suppressed ones. */
export interface HitCounts {
  active: number;
  suppressed: number;
}

/** The active and suppressed hits among `hits`. */
export function countHits(hits: Iterable<Pick<Hit, 'suppressedBy'>>): HitCounts {
  const counts = { active: 0, suppressed: 0 };
  for (const hit of hits) {
    if (hit.suppressedBy === null) counts.active++;
    else counts.suppressed++;
  }
  return counts;
}

/**
 * `summary.perIoc` as a printer reads it: each IOC's count, in the IOCs'
 * order. A scan's report makes an entry as it is read (PerIocList); a report
 * read whole holds them as an array.
 */
export interface PerIocCounts extends Iterable<PerIocCount> {
  readonly length: number;
}

/** A summary whose `perIoc` is such a list. */
export type SummaryOf<P extends PerIocCounts> = Omit<Summary, 'perIoc'> & { perIoc: P };

const NO_HITS = { hits: 0, suppressed: 0 } as const;

/**
 * A scan's `summary.perIoc`: an entry made for each IOC as it is read (and
 * as the array it stands for when JSON.stringify meets it). The entries of a
 * feed of 100,000 IOCs, made at once, were 7 MB at the end of the scan,
 * where its memory peaks.
 */
export class PerIocList<I extends IocEntry> implements PerIocCounts {
  // private fields: a deep comparison (a test's) sees the entries the list makes, as it would an array's
  readonly #iocs: readonly I[];
  readonly #countOf: (ioc: I) => { hits: number; suppressed: number } | undefined;

  /** `countOf`: the IOC's active and suppressed hits; undefined when it has none. */
  constructor(iocs: readonly I[], countOf: (ioc: I) => { hits: number; suppressed: number } | undefined) {
    this.#iocs = iocs;
    this.#countOf = countOf;
  }

  get length(): number {
    return this.#iocs.length;
  }

  *[Symbol.iterator](): Iterator<PerIocCount> {
    for (const ioc of this.#iocs) {
      const { hits, suppressed } = this.#countOf(ioc) ?? NO_HITS;
      yield ioc.kind === undefined ? { ip: ioc.ip, port: ioc.port, hits, suppressed } : { ip: ioc.ip, port: ioc.port, kind: ioc.kind, hits, suppressed };
    }
  }

  toJSON(): PerIocCount[] {
    return [...this];
  }
}

/** The report's `summary`: its files and their records and errors, its hits, the hits of each IOC, and how much was searched. */
export function summarize<P extends PerIocCounts>(files: readonly FileEntry[], hits: HitCounts, perIoc: P): SummaryOf<P> {
  let records = 0;
  let errors = 0;
  for (const file of files) {
    records += file.records;
    errors += file.errors.length;
  }
  // how much was searched, and the active hits the window left out: from files[] too
  return { files: files.length, records, hits: hits.active, suppressed: hits.suppressed, errors, perIoc, ...searchCounts(files) };
}

/** The bytes of every input, as stored (a gzip: compressed). */
export function inputBytes(files: readonly Pick<FileEntry, 'bytes'>[]): number {
  let bytes = 0;
  for (const file of files) bytes += file.bytes;
  return bytes;
}
