import { stat } from 'node:fs/promises';
import type { FileEntry, Hit } from '../report/report.js';
import type { Ioc } from '../matcher/ioc-set.js';
import type { ScanSink } from '../sink/scan-sink.js';
import { progressLine } from './progress-line.js';
import { length, PAGE_WIDTH, printable } from '../printers/text-layout.js';
import { displayPath, fsPath } from '../record/file-path.js';

// A progress display for long scans: a tee in front of the real sink. It
// forwards every call unchanged, so what the report holds cannot depend on
// whether progress was shown, and redraws one line on the terminal at most
// ten times a second. It only ever writes carriage returns and spaces, no
// escape sequences, so even a dumb terminal is left clean by finish().
//
// The file it names is the earliest input not done: files are started in
// input order and their entries arrive in input order, so that one is being
// read (a later one may be too, on another thread). Hits arrive from every
// thread as they are found, so the count is live.

/** Where the line goes: standard error when it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  /** Terminal width; else `COLUMNS`, else 80. */
  columns?: number;
}

export interface ProgressClock {
  now(): number;
}

const MIN_REDRAW_MS = 100;

export class ProgressSink implements ScanSink {
  private readonly started: number;
  private readonly pending = new Set<string>();
  private filesTotal = 0;
  private filesDone = 0;
  private bytesDone = 0;
  private bytesTotal: number | null = null;
  private hits = 0;
  private lastDraw = -Infinity;
  private shown = 0;
  private finished = false;

  constructor(
    private readonly inner: ScanSink,
    private readonly stream: ProgressStream,
    private readonly clock: ProgressClock = Date,
  ) {
    this.started = clock.now();
  }

  inputs(paths: readonly string[]): void {
    this.inner.inputs?.(paths);
    this.filesTotal = paths.length;
    for (const path of paths) this.pending.add(path);
    void this.measure(paths);
    this.draw();
  }

  bytesRead(count: number): void {
    this.inner.bytesRead?.(count);
    this.bytesDone += count;
    this.tick();
  }

  hit(hit: Hit, iocs: readonly Ioc[]): void {
    this.inner.hit(hit, iocs);
    this.hits++;
    this.tick();
  }

  file(entry: FileEntry): void {
    this.inner.file(entry);
    // unreadable paths never were inputs to measure; count only those that were
    if (this.pending.delete(entry.path)) this.filesDone++;
    this.tick();
  }

  warning(path: string, message: string): void {
    this.inner.warning(path, message);
  }

  /** Erase the line until the next redraw, so that a line of standard error can be written on a clean row. */
  clearLine(): void {
    if (this.shown > 0) this.stream.write(`\r${' '.repeat(this.shown)}\r`);
    this.shown = 0;
    // the next tick redraws it, below the line written
    this.lastDraw = -Infinity;
  }

  /** Erase the line, for good: called before anything else is written to the terminal. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.shown > 0) this.stream.write(`\r${' '.repeat(this.shown)}\r`);
    this.shown = 0;
  }

  /** The total to reach: the sizes of the inputs as stored (the scan counts raw, not gunzipped, bytes). */
  private async measure(paths: readonly string[]): Promise<void> {
    const sizes = await Promise.all(paths.map((path) => stat(fsPath(path)).then((s) => s.size, () => 0)));
    this.bytesTotal = sizes.reduce((a, b) => a + b, 0);
    this.tick();
  }

  private tick(): void {
    if (this.clock.now() - this.lastDraw >= MIN_REDRAW_MS) this.draw();
  }

  private draw(): void {
    if (this.finished) return;
    const now = this.clock.now();
    this.lastDraw = now;
    // one column short of the edge: writing the last column makes some terminals wrap
    const width = this.columns() - 1;
    const current = this.pending.values().next();
    const line = progressLine(
      {
        bytesDone: this.bytesDone,
        bytesTotal: this.bytesTotal,
        filesDone: this.filesDone,
        filesTotal: this.filesTotal,
        hits: this.hits,
        elapsedMs: now - this.started,
        // a file name is attacker-controlled: shown under the terminal rule
        current: current.done ? null : printable(displayPath(current.value)),
      },
      width,
    );
    // pad over what is left of a longer previous line; past the new line all is blank then
    this.stream.write(`\r${line}${' '.repeat(Math.max(this.shown - length(line), 0))}`);
    this.shown = length(line);
  }

  private columns(): number {
    if (this.stream.columns !== undefined && this.stream.columns > 0) return this.stream.columns;
    const fromEnv = Number(process.env.COLUMNS);
    return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : PAGE_WIDTH;
  }
}
