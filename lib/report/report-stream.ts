import type { Hit, IocEntry, Report } from './report.js';
import { countHits, type PerIocCounts, type SummaryOf } from './summary.js';

// What a printer renders: everything of the report but its hits, and the hits
// as a stream in the report's order. A scan can find millions of hits, more
// than memory or one string can hold, so no printer ever sees them all at
// once: it writes as it reads, and each format (today's and any later export)
// is a function from a ReportStream to pieces of text.

/**
 * The report without its hits; `summary` counts every hit, exactly. A scan
 * hands its IOCs in force as it holds them, with more than their entry
 * (ReportStream.iocEntry gives it), and its per-IOC counts made as they are
 * read: a feed of 100,000 IOCs copied into a report's shape was 20 MB more
 * at the scan's peak.
 */
export interface ReportHead extends Omit<Report, 'hits' | 'iocs' | 'summary'> {
  iocs: readonly IocEntry[];
  summary: SummaryOf<PerIocCounts>;
}

/** Which hits to read: all of them, or only the active or only the suppressed ones. */
export type HitSelection = 'all' | 'active' | 'suppressed';

export interface ReportStream {
  head: ReportHead;
  /** An IOC of `head.iocs` as the report's `iocs` lists it. */
  iocEntry(ioc: IocEntry): IocEntry;
  /** Active and suppressed hits in the report, as `summary.hits` and `summary.suppressed`. */
  counts: { active: number; suppressed: number };
  /** The hits, newest first (no time last); each call reads them afresh from the start. */
  hits(selection?: HitSelection): AsyncIterable<Hit>;
}

/** A printer: the report in its format, as pieces of text to write one after another. */
export type Printer = (report: ReportStream) => AsyncIterable<string>;

export function selected(hit: Hit, selection: HitSelection): boolean {
  return selection === 'all' || (hit.suppressedBy === null) === (selection === 'active');
}

/** The report with its suppressed hits left out (`--active-only`); the head is unchanged. */
export function activeOnly(report: ReportStream): ReportStream {
  return {
    head: report.head,
    iocEntry: (ioc) => report.iocEntry(ioc),
    counts: { active: report.counts.active, suppressed: 0 },
    async *hits(selection: HitSelection = 'all') {
      if (selection !== 'suppressed') yield* report.hits('active');
    },
  };
}

/** A report held whole in memory (a merged report, a test's) as a stream. */
export function streamOf(report: Report): ReportStream {
  const { hits, ...head } = report;
  return {
    head,
    iocEntry: (ioc) => ioc,
    counts: countHits(hits),
    async *hits(selection: HitSelection = 'all') {
      for (const hit of hits) if (selected(hit, selection)) yield hit;
    },
  };
}

/** Pieces of about this many characters: few writes, little held. */
export const PIECE_SIZE = 64 * 1024;

/** Gathers small texts into pieces of about PIECE_SIZE characters. */
export class Pieces {
  private parts: string[] = [];
  private size = 0;

  /** Adds `text`; returns a piece to write when one is full, else null: a piece not written is lost. */
  add(text: string): string | null {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= PIECE_SIZE ? this.take() : null;
  }

  /** What is gathered and not yet written ('' when nothing). */
  take(): string {
    const piece = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return piece;
  }
}

/** The whole report as one string: for tests and small in-process reports only. */
export async function printToString(printer: Printer, report: ReportStream): Promise<string> {
  let text = '';
  for await (const piece of printer(report)) text += piece;
  return text;
}
