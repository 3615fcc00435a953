import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// A private folder for hits that do not fit in memory: created only when the
// first run of hits is written out, beside the report (--output) or in the
// system's temporary folder, readable by its owner alone (hits are evidence).
// It goes when the report is written, when the run fails, and on exit or
// Ctrl-C: nothing of a run is left behind.

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const SPILL_PREFIX = '.perlbot-hunt-hits-';

export class SpillFolder {
  private removed = false;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.remove();
    // then die of the same signal, as if we had not been listening
    process.kill(process.pid, signal);
  };
  private readonly onExit = () => this.remove();

  private constructor(readonly path: string) {
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
    process.once('exit', this.onExit);
  }

  /** Throws (ENOSPC, EACCES, …) when `parent` cannot take a folder. */
  static create(parent: string): SpillFolder {
    // mkdtemp: a fresh name, mode 0700
    return new SpillFolder(mkdtempSync(join(parent, SPILL_PREFIX)));
  }

  file(name: string): string {
    return join(this.path, name);
  }

  /** Synchronous, so it also runs on exit and on a signal. Safe to call more than once. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    process.removeListener('exit', this.onExit);
    rmSync(this.path, { recursive: true, force: true });
  }
}
