import type { ScanOptions } from '../options/scan-options.js';
import type { IocSet } from '../matcher/ioc-set.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { RecordMatcher } from '../matcher/match-record.js';
import { discoverInputs } from '../inputs/discover.js';
import { RawIocSearch } from '../matcher/raw-text.js';
import type { ScanSink } from '../sink/scan-sink.js';
import { scanFile } from './scan-file.js';
import { scanInParallel } from './parallel-scan.js';
import { oneAtATime, planFiles } from './thread-plan.js';
import type { FileEntry } from '../report/report.js';

export interface ScanOutcome {
  /** Files handed to the sink, readable or not. */
  files: number;
  /** Named paths that did not exist and matched nothing. */
  missing: number;
}

/** Every input named in the options, in order, into the sink. */
export async function scan(options: ScanOptions, iocs: IocSet, exclusions: ExclusionSet, sink: ScanSink): Promise<ScanOutcome> {
  const discovery = await discoverInputs(options.paths);
  const readable = discovery.files.filter((f) => f.error === undefined);
  sink.inputs?.(readable.map((f) => f.path));
  const context = { options, iocs, exclusions, matcher: new RecordMatcher(iocs, options.kqlParity), search: new RawIocSearch(iocs), hashBeside: options.jobs >= 2 };
  const unreadable = (path: string, message: string): FileEntry => ({ path, format: null, compressed: false, table: 'unknown', records: 0, bytes: 0, sha256: null, errors: [{ line: null, message }] });
  const plans = await planFiles(options.jobs, readable.map((f) => f.path));
  if (!oneAtATime(options.jobs, plans)) {
    let next = 0;
    await scanInParallel(discovery.files.map((f) => (f.error === undefined ? plans[next++] : unreadable(f.path, f.error))), context, sink, options.jobs);
  } else {
    for (const input of discovery.files) {
      if (input.error !== undefined) sink.file(unreadable(input.path, input.error));
      else await scanFile(input.path, context, sink);
    }
  }
  return { files: discovery.files.length, missing: discovery.missing };
}
