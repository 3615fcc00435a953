import type { FileEntry, Hit, Summary } from '../report/report.js';
import type { Ioc } from '../matcher/ioc-set.js';
import type { ScanSink } from '../sink/scan-sink.js';
import { searchedAll } from '../report/searched.js';

// What a run says on standard error besides its report, as ripgrep does:
// each input error as its file is done, and one closing line with the
// verdict, so a responder who only watches the terminal (or a log of it)
// is never told less than the report says.

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `path:line: message` for each error of a file, as each file is done: a tee in front of the real sink. */
export function echoInputErrors(inner: ScanSink, say: (line: string) => void): ScanSink {
  return {
    hit: (hit: Hit, iocs: readonly Ioc[]) => inner.hit(hit, iocs),
    file: (entry: FileEntry) => {
      inner.file(entry);
      for (const e of entry.errors) say(`${entry.path}${e.line === null ? '' : `:${e.line}`}: ${e.message}`);
    },
    warning: (path: string, message: string) => inner.warning(path, message),
    inputs: inner.inputs ? (paths: readonly string[]) => inner.inputs!(paths) : undefined,
    bytesRead: inner.bytesRead ? (count: number) => inner.bytesRead!(count) : undefined,
  };
}

/** The run's verdict in one line (without the tool's name); `report`: where --output put the report. */
export function verdictLine(summary: Pick<Summary, 'hits' | 'suppressed' | 'errors' | 'notSearched' | 'outsideWindow'>, report: string | null): string {
  const parts = [plural(summary.hits, 'active hit'), `${summary.suppressed} suppressed`, plural(summary.errors, 'error')];
  const { files, records } = summary.notSearched;
  if (files > 0) parts.push(`${plural(files, 'file')} not searched`);
  if (records > 0) parts.push(`${plural(records, 'record')} not searched`);
  if (summary.outsideWindow > 0) parts.push(`${plural(summary.outsideWindow, 'active hit')} outside the window not listed`);
  const head =
    summary.hits > 0 ? 'HIT'
    : !searchedAll(summary) ? 'no hit in what was searched'
    : summary.errors > 0 ? 'no hit, but some input could not be read'
    : summary.outsideWindow > 0 ? 'no hit in the window'
    : 'no hit';
  return `${head}: ${parts.join(', ')}${report === null ? '' : `; report in ${report}`}`;
}
