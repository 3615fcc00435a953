import type { FileEntry, Hit, PerIocCount, Summary } from './report.js';
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

/** The report's `summary`: its files and their records and errors, its hits, the hits of each IOC, and how much was searched. */
export function summarize(files: readonly FileEntry[], hits: HitCounts, perIoc: PerIocCount[]): Summary {
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
