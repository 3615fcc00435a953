import type { FileEntry, RecordsSearched, Summary } from './report.js';

// How much of the input was searched, and how: the counts a report must give
// before it may say "no hit" (docs/output.md, "summary"). Every count is
// derived from files[], so a scan and a merge (which keeps each input once)
// add up alike.

export type SearchWay = keyof RecordsSearched | 'notSearched';

/** The summary keys this file derives from files[]. */
export type SearchCounts = Pick<Summary, 'outsideWindow' | 'beforeWindow' | 'afterWindow' | 'searched' | 'notSearched'>;

export const noneSearched = (): RecordsSearched => ({ knownTable: 0, unknownTable: 0, rawText: 0 });

/**
 * A file entry of a report made before these counts (merged with newer
 * ones): that version searched only the records of a catalogued table, so a
 * file of one such table counts as searched through it, any other as not
 * searched (never a false clean).
 */
function searchedOf(file: FileEntry): RecordsSearched {
  if (file.searched !== undefined) return file.searched;
  const catalogued = file.format !== null && file.table !== 'unknown' && file.table !== 'mixed';
  return { ...noneSearched(), knownTable: catalogued ? file.records : 0 };
}

/** Records of the file counted but searched in no way (a table the search did not read). */
function recordsNotSearched(file: FileEntry): number {
  const s = searchedOf(file);
  return Math.max(0, file.records - s.knownTable - s.unknownTable - s.rawText);
}

/**
 * The way a file was searched, the least thorough of its records': not at
 * all (skipped, unreadable, not text, or some records not searched), by the
 * unknown-table rule, through a known table (also when every record was
 * proved free of IOC text in a file whose header named a known table), or by
 * raw text alone.
 */
export function searchWay(file: FileEntry): SearchWay {
  if (file.skipped !== undefined || file.format === null || recordsNotSearched(file) > 0) return 'notSearched';
  const s = searchedOf(file);
  if (s.unknownTable > 0) return 'unknownTable';
  if (s.knownTable > 0 || (file.table !== 'unknown' && file.table !== 'mixed')) return 'knownTable';
  return 'rawText';
}

export function searchCounts(files: readonly FileEntry[]): SearchCounts {
  const counts: SearchCounts = {
    outsideWindow: 0,
    beforeWindow: 0,
    afterWindow: 0,
    searched: { files: noneSearched(), records: noneSearched() },
    notSearched: { files: 0, skipped: 0, unreadable: 0, records: 0 },
  };
  for (const file of files) {
    counts.beforeWindow += file.beforeWindow ?? 0;
    counts.afterWindow += file.afterWindow ?? 0;
    const s = searchedOf(file);
    for (const way of ['knownTable', 'unknownTable', 'rawText'] as const) counts.searched.records[way] += s[way];
    counts.notSearched.records += recordsNotSearched(file);
    const way = searchWay(file);
    if (way !== 'notSearched') counts.searched.files[way]++;
    else {
      counts.notSearched.files++;
      if (file.skipped !== undefined) counts.notSearched.skipped++;
      else if (file.format === null) counts.notSearched.unreadable++;
    }
  }
  counts.outsideWindow = counts.beforeWindow + counts.afterWindow;
  return counts;
}

/** Whether the report may say "no hit" plainly: every file was read and every record searched. */
export function searchedAll(summary: Pick<Summary, 'notSearched'>): boolean {
  return summary.notSearched.files === 0 && summary.notSearched.records === 0;
}
