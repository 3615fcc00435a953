import { unlinkSync } from 'node:fs';
import type { Hit } from '../report/report.js';
import { type HitSelection, selected } from '../report/report-stream.js';
import { mergeSorted, runHits, writeRun } from './hit-runs.js';
import { SpillFolder } from './spill-folder.js';

// Every hit of a scan, in a form that does not grow memory with the hit
// count: each hit is kept as its JSON text (a third of the object's size),
// and once the texts held reach a limit they are sorted and written out as a
// run to a spill folder. Reading merges the runs and what is still held, in
// the report's order. Runs of one size are merged into one bigger run when
// there are RUNS_AT_ONCE of them, so no more than a few hundred files are
// ever open at once, however many hits there are.

/** Characters of hit text held in memory before a run is written out. */
export const DEFAULT_SPILL_AT = 8 * 1024 * 1024;
/** Tests and small machines set a lower limit (bytes of hit text; at least 1). */
export const SPILL_AT_VARIABLE = 'PERLBOT_HUNT_SPILL_AT';
const RUNS_AT_ONCE = 64;

export function spillLimit(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[SPILL_AT_VARIABLE]);
  return Number.isSafeInteger(value) && value >= 1 ? value : DEFAULT_SPILL_AT;
}

interface Held {
  time: string | null;
  file: string;
  record: number;
  text: string;
}

/** The report's order (compareHits) on what a held hit keeps beside its text. */
export type HitOrder = (a: Pick<Hit, 'time' | 'file' | 'record'>, b: Pick<Hit, 'time' | 'file' | 'record'>) => number;

interface Run {
  path: string;
  /** 0: written from memory; n + 1: merged from RUNS_AT_ONCE runs of level n. */
  level: number;
}

export class HitStore {
  private held: Held[] = [];
  private heldChars = 0;
  private sorted = true;
  private runs: Run[] = [];
  private folder: SpillFolder | null = null;
  private written = 0;
  /** Why hits stayed in memory after a run could not be written (null: every run was). */
  spillProblem: string | null = null;

  constructor(
    private readonly order: HitOrder,
    /** Where the spill folder goes, when one is needed. */
    private readonly spillParent: string,
    private readonly limit = spillLimit(),
  ) {}

  add(hit: Hit): void {
    const text = JSON.stringify(hit);
    this.held.push({ time: hit.time, file: hit.file, record: hit.record, text });
    this.heldChars += text.length;
    this.sorted = false;
    if (this.heldChars >= this.limit && this.spillProblem === null) this.spill();
  }

  /** The hits in the report's order, read afresh on each call. */
  async *read(selection: HitSelection = 'all'): AsyncGenerator<Hit> {
    yield* this.readNow(selection);
  }

  /** As read(), synchronously. */
  *readNow(selection: HitSelection = 'all'): Generator<Hit> {
    for (const hit of this.ordered()) if (selected(hit, selection)) yield hit;
  }

  /** Removes the spill folder and what is in it; the store is empty after. */
  dispose(): void {
    this.held = [];
    this.heldChars = 0;
    this.runs = [];
    this.folder?.remove();
    this.folder = null;
  }

  private sortHeld(): void {
    if (!this.sorted) this.held.sort(this.order);
    this.sorted = true;
  }

  private *heldHits(): Generator<Hit> {
    for (const h of this.held) yield JSON.parse(h.text) as Hit;
  }

  private *ordered(): Generator<Hit> {
    this.sortHeld();
    const compare = (a: Hit, b: Hit) => this.order(a, b);
    // runs in the order written, then what is held: ties (never two equal hits in one scan) keep that order
    yield* mergeSorted([...this.runs.map((r) => runHits(r.path)), this.heldHits()], compare);
  }

  private spill(): void {
    this.sortHeld();
    try {
      this.folder ??= SpillFolder.create(this.spillParent);
      const path = this.folder.file(`run-${++this.written}.ndjson`);
      writeRun(path, (function* (held) {
        for (const h of held) yield h.text;
      })(this.held));
      this.runs.push({ path, level: 0 });
      this.held = [];
      this.heldChars = 0;
      this.compact();
    } catch (error) {
      // a hit is never lost for want of disk: it stays in memory, and the run goes on
      this.spillProblem = `hits could not be written to ${this.folder?.path ?? this.spillParent} and are kept in memory: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** While RUNS_AT_ONCE runs share a level, merge them into one run of the next level. */
  private compact(): void {
    for (;;) {
      const level = this.runs[this.runs.length - 1].level;
      const same = this.runs.filter((r) => r.level === level);
      if (same.length < RUNS_AT_ONCE) return;
      const path = this.folder!.file(`run-${++this.written}.ndjson`);
      const compare = (a: Hit, b: Hit) => this.order(a, b);
      writeRun(path, (function* () {
        for (const hit of mergeSorted(same.map((r) => runHits(r.path)), compare)) yield JSON.stringify(hit);
      })());
      this.runs = [...this.runs.filter((r) => r.level !== level), { path, level: level + 1 }];
      // merged, they are no longer read; should one stay, the folder's removal takes it
      for (const r of same) unlinkSync(r.path);
    }
  }
}
