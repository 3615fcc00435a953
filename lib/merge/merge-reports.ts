import type { FileEntry, Hit, MergedReportEntry, PerIocCount, Report, RunRecord } from '../report/report.js';
import { compareHits, TOOL_NAME } from '../sink/report-builder.js';
import { contextOf } from '../tables/table-context.js';
import { iocsOfHit } from '../report/hit-iocs.js';
import { countHits, summarize } from '../report/summary.js';
import type { ReadReport } from './read-report.js';
import { HuntError, type MergeCode } from '../errors/hunt-error.js';

// `perlbot-hunt merge`: reports of one sweep, fanned out over many machines,
// as one report. Counts only add up when every report looked for the same
// thing the same way, so reports made with different IOC sets, exclusions,
// matching (--kql-parity) or time windows are refused, not merged: a zero in
// perIoc must still mean "looked for and not found" everywhere.

/** Reports that cannot be merged into one honest report: the CLI says why and exits 2. */
export class MergeRefused extends HuntError<MergeCode> {}

const iocKey = (ioc: { ip: string; port: number | null }) => `${ioc.ip}:${ioc.port ?? '*'}`;

function sameSet(a: readonly string[], b: readonly string[]): { missing: string[]; extra: string[] } {
  return { missing: a.filter((x) => !b.includes(x)), extra: b.filter((x) => !a.includes(x)) };
}

/** The run a report was made with; for a merged report, its first report's (they agree: see difference()). */
function runOf(report: Report): RunRecord | null {
  return report.run ?? report.merge?.reports[0]?.run ?? null;
}

/** Why two reports cannot be merged, or null when they can. */
function difference(first: ReadReport, other: ReadReport): string | null {
  const a = first.report;
  const b = other.report;
  const iocs = sameSet(a.iocs.map(iocKey), b.iocs.map(iocKey));
  if (iocs.missing.length + iocs.extra.length > 0) {
    const parts = [iocs.missing.length ? `lacks ${iocs.missing.join(', ')}` : '', iocs.extra.length ? `also has ${iocs.extra.join(', ')}` : ''].filter(Boolean);
    return `a different IOC set (${parts.join('; ')})`;
  }
  const ids = (r: Report) => r.exclusions.map((e) => e.id).join(', ') || 'none';
  if (ids(a) !== ids(b)) return `different exclusions (${ids(b)} where ${first.path} has ${ids(a)})`;
  const digest = (r: Report) => runOf(r)?.exclusionSet.sha256;
  if (digest(a) && digest(b) && digest(a) !== digest(b)) return 'an exclusions file with the same rule ids but other content (run.exclusionSet.sha256 differs)';
  const option = (r: Report, key: 'kqlParity' | 'iocValidity' | 'since' | 'until') => runOf(r)?.options[key] ?? (key === 'iocValidity' ? false : null);
  const flag = { kqlParity: '--kql-parity', iocValidity: '--ioc-validity', since: '--since', until: '--until' };
  for (const key of ['kqlParity', 'iocValidity', 'since', 'until'] as const) {
    if (option(a, key) !== option(b, key)) return `another ${flag[key]} (${String(option(b, key))} where ${first.path} has ${String(option(a, key))})`;
  }
  return null;
}

/** One report's `merge.reports` entries: itself, or the reports it merged (merges merge again). */
function entries(read: ReadReport): MergedReportEntry[] {
  const { report } = read;
  if (report.merge) return report.merge.reports;
  // each report's line keeps its five figures; how much it searched is in the merged summary and its files
  const { files, records, hits, suppressed, errors } = summarize(report.files, countHits(report.hits), []);
  const sums = { files, records, hits, suppressed, errors };
  return [
    {
      path: read.path,
      sha256: read.sha256,
      toolVersion: report.tool.version,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      ...sums,
      run: report.run ?? null,
    },
  ];
}

/** A file or hit labelled with the report it came from (a merged report's labels are kept). */
function labelled<T extends FileEntry | Hit>(item: T, path: string): T {
  return { ...item, report: item.report ?? path };
}

/** One report, or one input file of a report, seen again: the same bytes would be counted twice. */
interface Overlap {
  /** What is seen twice, in words. */
  what: string;
  /** The report where it was seen first, and the one where it is seen again. */
  first: string;
  again: string;
}

/** The reports (by SHA-256) a report stands for: itself, or for a merged report each report it merged. */
function reportDigests(read: ReadReport): Array<{ sha256: string; path: string }> {
  return read.report.merge ? read.report.merge.reports.map((r) => ({ sha256: r.sha256, path: r.path })) : [{ sha256: read.sha256, path: read.path }];
}

const fileKey = (file: FileEntry) => `${file.sha256 ?? ''}\u0000${file.path}`;

function overlaps(reports: readonly ReadReport[]): Overlap[] {
  const found: Overlap[] = [];
  const digests = new Map<string, string>();
  const files = new Map<string, string>();
  for (const read of reports) {
    const here = new Set<string>();
    for (const { sha256, path } of reportDigests(read)) {
      const seen = digests.get(sha256);
      const what = path === read.path ? 'the same report' : `the same report (${path}, merged into it)`;
      if (seen !== undefined && !here.has(sha256)) found.push({ what: `${what}, SHA-256 ${sha256}`, first: seen, again: read.path });
      else digests.set(sha256, read.path);
      here.add(sha256);
    }
    for (const file of read.report.files) {
      // an unreadable file has no digest: nothing of it was counted
      if (file.sha256 === null) continue;
      const seen = files.get(fileKey(file));
      if (seen !== undefined && seen !== read.path) found.push({ what: `the same input file ${file.path} (SHA-256 ${file.sha256})`, first: seen, again: read.path });
      else files.set(fileKey(file), read.path);
    }
  }
  return found;
}

/**
 * Each input once: the first report to hold a file (same path, same
 * SHA-256) keeps it; later reports give up that file and its hits.
 */
function onceEach(reports: readonly ReadReport[]): { files: FileEntry[]; hits: Hit[]; dropped: Hit[] } {
  const taken = new Set<string>();
  const files: FileEntry[] = [];
  const hits: Hit[] = [];
  const dropped: Hit[] = [];
  for (const read of reports) {
    const skipped = new Set<string>();
    for (const file of read.report.files) {
      const key = fileKey(file);
      // labelled by its report: a merged report holds the same path from many machines
      const own = `${file.report ?? read.path}\u0000${file.path}`;
      if (file.sha256 !== null && taken.has(key)) skipped.add(own);
      else {
        if (file.sha256 !== null) taken.add(key);
        files.push(labelled(file, read.path));
      }
    }
    for (const hit of read.report.hits) {
      if (skipped.has(`${hit.report ?? read.path}\u0000${hit.file}`)) dropped.push(hit);
      else hits.push(labelled(hit, read.path));
    }
  }
  return { files, hits, dropped };
}

export function mergeReports(reports: readonly ReadReport[], toolVersion: string, options: { allowOverlap?: boolean } = {}): Report {
  if (reports.length === 0) throw new MergeRefused('MERGE_REFUSED_NOTHING', 'no report to merge');
  const [first] = reports;
  for (const other of reports.slice(1)) {
    const why = difference(first, other);
    if (why !== null) throw new MergeRefused('MERGE_REFUSED_OTHER_SWEEP', `${other.path} was made with ${why} than ${first.path}: its counts would not add up with the others'. Merge reports of one sweep only (same IOCs, exclusions, --kql-parity, --ioc-validity, --since and --until).`);
  }
  const overlap = overlaps(reports);
  if (overlap.length > 0 && options.allowOverlap !== true) {
    const [o] = overlap;
    const more = overlap.length > 1 ? ` (and ${overlap.length - 1} more overlap${overlap.length > 2 ? 's' : ''})` : '';
    throw new MergeRefused('MERGE_REFUSED_OVERLAP', `${o.again} holds ${o.what}, already in ${o.first}: its hits would be counted twice${more}. Leave one out, or give --allow-overlap to count each input once.`);
  }

  const kept = onceEach(reports);
  const files = kept.files;
  // a stable sort: equal times keep file and report order
  const hits = kept.hits.sort(compareHits);

  const perIoc: PerIocCount[] = first.report.iocs.map((ioc) => ({ ip: ioc.ip, port: ioc.port, ...(ioc.kind === undefined ? {} : { kind: ioc.kind }), hits: 0, suppressed: 0 }));
  for (const { report } of reports) {
    for (const count of report.summary.perIoc) {
      const into = perIoc.find((p) => iocKey(p) === iocKey(count));
      if (into) {
        into.hits += count.hits;
        into.suppressed += count.suppressed;
      }
    }
  }
  // a hit given up as a second copy counted for its IOCs in its own report: not here
  for (const hit of kept.dropped) {
    for (const at of iocsOfHit(hit, first.report.iocs)) {
      if (hit.suppressedBy === null) perIoc[at].hits--;
      else perIoc[at].suppressed--;
    }
  }

  const devices = new Map<string | null, { hits: number; suppressed: number }>();
  for (const hit of hits) {
    const device = contextOf(hit).device ?? null;
    const tally = devices.get(device) ?? { hits: 0, suppressed: 0 };
    if (hit.suppressedBy === null) tally.hits++;
    else tally.suppressed++;
    devices.set(device, tally);
  }
  const perDevice = [...devices]
    .map(([device, t]) => ({ device, ...t }))
    .sort((a, b) => b.hits - a.hits || b.suppressed - a.suppressed || String(a.device).localeCompare(String(b.device)));

  const times = (key: 'startedAt' | 'finishedAt') => reports.map((r) => r.report[key]).sort();
  return {
    tool: { name: TOOL_NAME, version: toolVersion },
    // the sweep's span: from the first scan's start to the last one's end
    startedAt: times('startedAt')[0],
    finishedAt: times('finishedAt')[reports.length - 1],
    iocs: first.report.iocs,
    exclusions: first.report.exclusions,
    files,
    // searched/notSearched and the window counts from files[], each input once (older reports' files: see report/searched.ts)
    summary: summarize(files, countHits(hits), perIoc),
    hits,
    // each report once, as each input file
    merge: { reports: reports.flatMap(entries).filter((entry, at, all) => all.findIndex((e) => e.sha256 === entry.sha256) === at), perDevice },
  };
}
