import type { FileEntry, Hit } from '../report/report.js';
import type { Ioc } from '../matcher/ioc-set.js';
import type { ScanSink } from '../sink/scan-sink.js';

// Ctrl-C during a scan: the progress line is cleared and one line says how
// far the scan got, then the process ends of the signal as if unheard (the
// shell sees an interrupted command, and no half report is left).

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How many files the scan finished: a tee in front of the real sink. */
export class FileCount {
  files = 0;

  before(inner: ScanSink): ScanSink {
    return {
      hit: (hit: Hit, iocs: readonly Ioc[]) => inner.hit(hit, iocs),
      file: (entry: FileEntry) => {
        this.files++;
        inner.file(entry);
      },
      warning: (path: string, message: string) => inner.warning(path, message),
      inputs: inner.inputs ? (paths: readonly string[]) => inner.inputs!(paths) : undefined,
      bytesRead: inner.bytesRead ? (count: number) => inner.bytesRead!(count) : undefined,
    };
  }
}

/** Call `last` on an interrupting signal, then die of it; stop() when the work is done. */
export function onInterrupt(last: (signal: NodeJS.Signals) => void): { stop(): void } {
  const stop = () => {
    for (const signal of SIGNALS) process.removeListener(signal, handler);
  };
  const handler = (signal: NodeJS.Signals) => {
    stop();
    last(signal);
    process.kill(process.pid, signal);
  };
  for (const signal of SIGNALS) process.once(signal, handler);
  return { stop };
}
