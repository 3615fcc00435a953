import { builtinIocSet, IocSet, type Ioc } from '../matcher/ioc-set.js';
import type { IocSetRecord } from '../report/report.js';
import type { Indicator } from './indicator.js';
import { indicatorOf, type IndicatorExtras } from './indicator-list.js';
import { IocFileFatal } from './ioc-rows.js';

// The IOC set in force once its IOCs are read: the built-in set, or those of
// the --iocs files (load-iocs.ts), then --min-confidence. Apart from the feed
// readers, so a run on the built-in set loads none of them.

export { IocFileFatal } from './ioc-rows.js';

/** Which IOCs are looked for: the built-in set, or those of the --iocs files (replacing it). */
export type IocChoice = { kind: 'builtin' } | { kind: 'files'; paths: string[] };

export interface LoadedIocs {
  set: IocSet;
  /**
   * Every IOC in force, of every kind, in canonical form with its source's
   * metadata (--min-confidence applied; the same kind, value and port from
   * two places kept once, with its first metadata); `set` holds the same
   * IOCs as the matchers and the report take them. Made when first read.
   */
  readonly indicators: Indicator[];
  /** What was read, used and left aside, one line per file, for standard error. */
  notices: string[];
  /** `file:line: message` for each line that could not be read. */
  warnings: string[];
}

/** IOCs read, before --min-confidence. */
export interface ReadIocs {
  iocs: readonly Ioc[];
  /** What the indicators of some IOCs say beyond the IOC (labels, name); none for most. */
  extras: ReadonlyMap<Ioc, IndicatorExtras>;
  provenance: IocSetRecord;
  notices: string[];
  warnings: string[];
}

/** The built-in set as read. */
export function builtinRead(): ReadIocs {
  const builtin = builtinIocSet();
  return { iocs: builtin.iocs, provenance: { ...builtin.provenance }, extras: new Map(), notices: [], warnings: [] };
}

/** --min-confidence applied (null: every IOC kept). Throws IocFileFatal when none is left. */
export function inForce(read: ReadIocs, minConfidence: number | null): LoadedIocs {
  let { iocs, provenance } = read;
  const { notices, warnings, extras } = read;
  if (minConfidence !== null) {
    const kept = iocs.filter((ioc) => ioc.confidence === null || ioc.confidence >= minConfidence);
    const unknown = kept.filter((ioc) => ioc.confidence === null).length;
    provenance = { ...provenance, minConfidence, belowConfidence: iocs.length - kept.length };
    notices.push(`--min-confidence ${minConfidence}: ${iocs.length - kept.length} of ${iocs.length} IOCs dropped${unknown > 0 ? `; ${unknown} with no stated confidence kept` : ''}`);
    if (kept.length === 0) throw new IocFileFatal('IOC_FILE_BELOW_CONFIDENCE', `no IOC left at or above --min-confidence ${minConfidence} (of ${iocs.length})`);
    iocs = kept;
  }
  const used = iocs;
  let indicators: Indicator[] | undefined;
  return {
    set: new IocSet(iocs, provenance),
    get indicators() {
      indicators ??= used.map((ioc) => indicatorOf(ioc, extras.get(ioc)));
      return indicators;
    },
    notices,
    warnings,
  };
}
