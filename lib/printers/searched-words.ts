import type { FileEntry, RunRecord, Summary } from '../report/report.js';
import { count } from './text-layout.js';

// How much of the input was searched, and what the window left out, in the
// words the text and HTML reports share: a report says "no hit" plainly only
// when nothing was left unread.

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function skippedWords(why: NonNullable<FileEntry['skipped']>): string {
  switch (why) {
    case 'extension':
      return "skipped: its extension is not an export's (--all-files reads it)";
  }
}

/** "3 files (1 skipped, 2 not read: see the errors), 40 records"; '' when everything was searched. */
function notSearchedParts(summary: Pick<Summary, 'notSearched'>): string {
  const { files, skipped, unreadable, records } = summary.notSearched;
  const parts: string[] = [];
  if (files > 0) {
    const why = [skipped > 0 ? `${count(skipped)} skipped` : '', unreadable > 0 ? `${count(unreadable)} not read: see the errors` : ''];
    const partly = files - skipped - unreadable;
    if (partly > 0) why.push(`${count(partly)} holding records of a table not read`);
    parts.push(`${plural(files, 'file')} (${why.filter(Boolean).join(', ')})`);
  }
  if (records > 0) parts.push(plural(records, 'record'));
  return parts.join(', ');
}

/** "3 files (1 skipped, 2 not read: see the errors), 40 records not searched". */
export function notSearchedWords(summary: Pick<Summary, 'notSearched'>): string {
  return `${notSearchedParts(summary)} not searched`;
}

/** The summary's lines on how files and records were searched, and what was not. */
export function searchedLines(summary: Pick<Summary, 'searched' | 'notSearched'>): string[] {
  const { files, records } = summary.searched;
  const lines = [
    `files searched: ${count(files.knownTable)} through a known table, ${count(files.unknownTable)} by the unknown-table rule, ${count(files.rawText)} by raw text alone`,
    `records searched: ${count(records.knownTable)} through a known table, ${count(records.unknownTable)} by the unknown-table rule, ${count(records.rawText)} by raw text alone (no IOC text in them, or malformed)`,
  ];
  const not = notSearchedParts(summary);
  if (not !== '') lines.push(`not searched: ${not}`);
  return lines;
}

/** "48 active hits before the window and 2 after it are not listed"; null when no window was set. */
export function windowLine(summary: Pick<Summary, 'outsideWindow' | 'beforeWindow' | 'afterWindow'>, options: Pick<RunRecord['options'], 'since' | 'until'> | undefined): string | null {
  const windowed = options === undefined ? summary.outsideWindow > 0 : options.since !== null || options.until !== null;
  if (!windowed) return null;
  if (summary.outsideWindow === 0) return 'no active hit outside the window';
  const sides = [summary.beforeWindow > 0 ? `${plural(summary.beforeWindow, 'active hit')} before the window` : '', summary.afterWindow > 0 ? (summary.beforeWindow > 0 ? `${count(summary.afterWindow)} after it` : `${plural(summary.afterWindow, 'active hit')} after the window`) : ''];
  return `${sides.filter(Boolean).join(' and ')} ${summary.outsideWindow === 1 ? 'is' : 'are'} not listed`;
}
