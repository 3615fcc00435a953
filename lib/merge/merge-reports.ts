import type { FileEntry, Hit, MergedReportEntry, PerIocCount, Report, RunRecord } from '../report/report.js';
import { compareHits, TOOL_NAME } from '../sink/report-builder.js';
import { contextOf } from '../report/hit-context.js';
import type { ReadReport } from './read-report.js';

// `perlbot-hunt merge`: reports of one sweep, fanned out over many machines,
// as one report. Counts only add up when every report looked for the same
// thing the same way, so reports made with different IOC sets, exclusions,
// matching (--kql-parity) or time windows are refused, not merged: a zero in
// perIoc must still mean "looked for and not found" everywhere.

/** Reports that cannot be merged into one honest report: the CLI says why and exits 2. */
export class MergeRefused extends Error {}

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
  const option = (r: Report, key: 'kqlParity' | 'since' | 'until') => runOf(r)?.options[key] ?? null;
  for (const key of ['kqlParity', 'since', 'until'] as const) {
    if (option(a, key) !== option(b, key)) return `another ${key === 'kqlParity' ? '--kql-parity' : `--${key}`} (${String(option(b, key))} where ${first.path} has ${String(option(a, key))})`;
  }
  return null;
}

/** One report's `merge.reports` entries: itself, or the reports it merged (merges merge again). */
function entries(read: ReadReport): MergedReportEntry[] {
  const { report } = read;
  if (report.merge) return report.merge.reports;
  const active = report.hits.filter((h) => h.suppressedBy === null).length;
  return [
    {
      path: read.path,
      sha256: read.sha256,
      toolVersion: report.tool.version,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      files: report.files.length,
      records: report.files.reduce((n, f) => n + f.records, 0),
      hits: active,
      suppressed: report.hits.length - active,
      errors: report.files.reduce((n, f) => n + f.errors.length, 0),
      run: report.run ?? null,
    },
  ];
}

/** A file or hit labelled with the report it came from (a merged report's labels are kept). */
function labelled<T extends FileEntry | Hit>(item: T, path: string): T {
  return { ...item, report: item.report ?? path };
}

export function mergeReports(reports: readonly ReadReport[], toolVersion: string): Report {
  if (reports.length === 0) throw new MergeRefused('no report to merge');
  const [first] = reports;
  for (const other of reports.slice(1)) {
    const why = difference(first, other);
    if (why !== null) throw new MergeRefused(`${other.path} was made with ${why} than ${first.path}: its counts would not add up with the others'. Merge reports of one sweep only (same IOCs, exclusions, --kql-parity, --since and --until).`);
  }

  const files = reports.flatMap((r) => r.report.files.map((f) => labelled(f, r.path)));
  // a stable sort: equal times keep file and report order
  const hits = reports.flatMap((r) => r.report.hits.map((h) => labelled(h, r.path))).sort(compareHits);
  const active = hits.filter((h) => h.suppressedBy === null).length;

  const perIoc: PerIocCount[] = first.report.iocs.map((ioc) => ({ ip: ioc.ip, port: ioc.port, hits: 0, suppressed: 0 }));
  for (const { report } of reports) {
    for (const count of report.summary.perIoc) {
      const into = perIoc.find((p) => iocKey(p) === iocKey(count));
      if (into) {
        into.hits += count.hits;
        into.suppressed += count.suppressed;
      }
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
    summary: {
      files: files.length,
      records: files.reduce((n, f) => n + f.records, 0),
      hits: active,
      suppressed: hits.length - active,
      errors: files.reduce((n, f) => n + f.errors.length, 0),
      perIoc,
    },
    hits,
    merge: { reports: reports.flatMap(entries), perDevice },
  };
}
