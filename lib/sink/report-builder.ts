import { tmpdir } from 'node:os';
import type { ExclusionEntry, FileEntry, Hit, IocEntry, Report } from '../report/report.js';
import type { ReportHead, ReportStream } from '../report/report-stream.js';
import { PerIocList, summarize } from '../report/summary.js';
import type { Ioc, IocSet } from '../matcher/ioc-set.js';
import type { ScanSink } from './scan-sink.js';
import { HitStore, spillLimit } from './hit-store.js';

export const TOOL_NAME = 'perlbot-hunt';

/** Newest first, unresolved times last, like the KQL's `order by … desc`; then file order. */
export function compareHits(a: Pick<Hit, 'time' | 'file' | 'record'>, b: Pick<Hit, 'time' | 'file' | 'record'>): number {
  if (a.time !== b.time) {
    if (a.time === null) return 1;
    if (b.time === null) return -1;
    return a.time < b.time ? 1 : -1;
  }
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.record - b.record;
}

/**
 * An IOC as the report lists it: an IOC of an --iocs file also says its kind,
 * where it is written and its validity; the built-in set's entries stay as
 * they were. (Set, not spread: a spread in each of 100,000 literals is slow.)
 */
function iocEntry({ ip, port, threatType, malware, confidence, firstSeen, kind, sourceFile, line, validFrom, validUntil, lastSeen, sourceId }: IocEntry): IocEntry {
  const entry: IocEntry =
    kind === undefined
      ? { ip, port, threatType, malware, confidence, firstSeen }
      : { ip, port, threatType, malware, confidence, firstSeen, kind, sourceFile, line, validFrom: validFrom ?? null, validUntil: validUntil ?? null, lastSeen: lastSeen ?? null };
  if (sourceId) entry.sourceId = sourceId;
  return entry;
}

export interface BuilderOptions {
  /** Folder for the spill folder when hits outgrow memory; default: the system's temporary folder. */
  spillParent?: string;
  /** Characters of hit text held in memory before a run is written out; default: spillLimit(). */
  spillAt?: number;
}

/**
 * Gathers hits and file entries into the report every printer renders. Hits
 * are counted as they come and kept in a HitStore, so memory does not follow
 * the hit count; the report is read back as a stream (finish) or, for small
 * in-process use, whole (build).
 */
export class ReportBuilder implements ScanSink {
  private readonly store: HitStore;
  private readonly files: FileEntry[] = [];
  private readonly counts = new Map<IocEntry, { hits: number; suppressed: number }>();
  private active = 0;
  private suppressed = 0;
  readonly warnings: Array<{ path: string; message: string }> = [];
  private readonly startedAt = new Date();

  constructor(
    private readonly version: string,
    private readonly iocs: IocSet,
    private readonly exclusions: readonly ExclusionEntry[],
    options: BuilderOptions = {},
  ) {
    this.store = new HitStore(compareHits, options.spillParent ?? tmpdir(), options.spillAt ?? spillLimit());
  }

  hit(hit: Hit, iocs: readonly Ioc[]): void {
    this.store.add(hit);
    if (hit.suppressedBy === null) this.active++;
    else this.suppressed++;
    for (const ioc of iocs) {
      // counted from the first hit on: most IOCs of a large feed never have one
      let count = this.counts.get(ioc);
      if (count === undefined) {
        count = { hits: 0, suppressed: 0 };
        this.counts.set(ioc, count);
      }
      if (hit.suppressedBy === null) count.hits++;
      else count.suppressed++;
    }
  }

  file(entry: FileEntry): void {
    this.files.push(entry);
  }

  warning(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** Why some hits could not be written out and stayed in memory; null when none. */
  get spillProblem(): string | null {
    return this.store.spillProblem;
  }

  /**
   * The report with its hits as a stream; `extra` keys (the run record) come
   * after the contract's. The IOCs go as the set holds them, and their counts
   * are made as they are printed: copied into the report's shape, the entries
   * of a feed of 100,000 IOCs were 20 MB at the end of the scan, where its
   * memory peaks.
   */
  finish(extra: Partial<Pick<Report, 'run'>> = {}): ReportStream {
    const head: ReportHead = {
      tool: { name: TOOL_NAME, version: this.version },
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      iocs: this.iocs.iocs,
      exclusions: [...this.exclusions],
      files: this.files,
      summary: summarize(this.files, { active: this.active, suppressed: this.suppressed }, new PerIocList(this.iocs.iocs, (ioc) => this.counts.get(ioc))),
      ...extra,
    };
    return { head, iocEntry, counts: { active: this.active, suppressed: this.suppressed }, hits: (selection) => this.store.read(selection) };
  }

  /** The whole report in memory, for tests and small in-process scans (the CLI streams it: finish). */
  build(): Report {
    const { head } = this.finish();
    const hits: Hit[] = [];
    for (const hit of this.store.readNow()) hits.push(hit);
    return { ...head, iocs: head.iocs.map(iocEntry), summary: { ...head.summary, perIoc: [...head.summary.perIoc] }, hits };
  }

  /** Removes the spill folder, if one was made; the hits are gone after. */
  dispose(): void {
    this.store.dispose();
  }
}
