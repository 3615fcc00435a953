import type { ExclusionEntry, FileEntry, Hit, Report } from '../report/report.js';
import type { Ioc, IocSet } from '../matcher/ioc-set.js';
import type { ScanSink } from './scan-sink.js';

export const TOOL_NAME = 'perlbot-hunt';

/** Newest first, unresolved times last, like the KQL's `order by … desc`; then file order. */
export function compareHits(a: Hit, b: Hit): number {
  if (a.time !== b.time) {
    if (a.time === null) return 1;
    if (b.time === null) return -1;
    return a.time < b.time ? 1 : -1;
  }
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.record - b.record;
}

/** Gathers hits and file entries into the one report every printer renders. */
export class ReportBuilder implements ScanSink {
  private readonly hits: Hit[] = [];
  private readonly files: FileEntry[] = [];
  private readonly counts = new Map<Ioc, { hits: number; suppressed: number }>();
  readonly warnings: Array<{ path: string; message: string }> = [];
  private readonly startedAt = new Date();

  constructor(
    private readonly version: string,
    private readonly iocs: IocSet,
    private readonly exclusions: readonly ExclusionEntry[],
  ) {
    for (const ioc of iocs.iocs) this.counts.set(ioc, { hits: 0, suppressed: 0 });
  }

  hit(hit: Hit, iocs: readonly Ioc[]): void {
    this.hits.push(hit);
    for (const ioc of iocs) {
      const count = this.counts.get(ioc)!;
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

  build(): Report {
    const hits = [...this.hits].sort(compareHits);
    const active = hits.filter((h) => h.suppressedBy === null).length;
    return {
      tool: { name: TOOL_NAME, version: this.version },
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      // an IOC of an --iocs file also says its kind, where it is written and its validity; the built-in set's entries stay as they were
      iocs: this.iocs.iocs.map(({ ip, port, threatType, malware, confidence, firstSeen, kind, sourceFile, line, validFrom, validUntil, lastSeen }) =>
        kind === undefined
          ? { ip, port, threatType, malware, confidence, firstSeen }
          : { ip, port, threatType, malware, confidence, firstSeen, kind, sourceFile, line, validFrom: validFrom ?? null, validUntil: validUntil ?? null, lastSeen: lastSeen ?? null }),
      exclusions: [...this.exclusions],
      files: this.files,
      summary: {
        files: this.files.length,
        records: this.files.reduce((n, f) => n + f.records, 0),
        hits: active,
        suppressed: hits.length - active,
        errors: this.files.reduce((n, f) => n + f.errors.length, 0),
        perIoc: this.iocs.iocs.map((ioc) => ({ ip: ioc.ip, port: ioc.port, ...(ioc.kind === undefined ? {} : { kind: ioc.kind }), ...this.counts.get(ioc)! })),
      },
      hits,
    };
  }
}
