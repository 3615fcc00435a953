import type { TableName } from '../report/report.js';
import type { IocSet } from '../matcher/ioc-set.js';
import { AddressMatcher, type IocMatcher } from '../matcher/match-record.js';
import { DomainMatcher, HashMatcher, UrlMatcher } from '../matcher/kind-matchers.js';
import { RawIocSearch } from '../matcher/raw-text.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { builtinTables } from '../tables/table-specs.js';
import type { TimeWindow } from '../time/record-time.js';
import type { RecordRule } from '../verdict/record-verdict.js';

// What a scan is asked to do, decided once at the edge and read-only after:
// the inputs, the rule each record is judged by, how records are parsed, and
// how many threads may work. The scan and its workers get this plan, never
// the command line's options.

export interface ScanPlan {
  /** Files, directories and globs, as named. */
  readonly paths: readonly string[];
  /** --all-files: a folder walk takes every file, not only exports' extensions (content tells the format). */
  readonly allFiles: boolean;
  /** The IOCs in force (the matchers are built from them; hits name them). */
  readonly iocs: IocSet;
  readonly rule: RecordRule;
  /**
   * Parse every record (the reference path). Otherwise a reader may count
   * records it can prove hold no IOC text without parsing them.
   */
  readonly fullParse: boolean;
  /** Threads at work at once, hashing threads included (scan/thread-plan.ts). */
  readonly threads: number;
}

/** What a plan is made from: plain values, so a worker thread can make the same plan. */
export interface PlanChoices {
  paths: readonly string[];
  /** Default false; a worker, which never walks, is given none. */
  allFiles?: boolean;
  iocs: IocSet;
  exclusions: ExclusionSet;
  kqlParity: boolean;
  /** --ioc-validity (record-verdict.ts). */
  iocValidity: boolean;
  table: TableName | null;
  window: TimeWindow;
  fullParse: boolean;
  threads: number;
}

/**
 * One small matcher per kind of IOC the set holds, in the order a record's
 * matches are reported. --kql-parity keeps the KQL's own comparison: address
 * IOCs in its own fields only.
 */
function matchersFor(iocs: IocSet, kqlParity: boolean): readonly IocMatcher[] {
  const matchers: IocMatcher[] = [new AddressMatcher(iocs, kqlParity)];
  if (kqlParity) return Object.freeze(matchers);
  if (iocs.ofKinds('domain', 'url').length > 0) matchers.push(new DomainMatcher(iocs));
  if (iocs.ofKinds('url').length > 0) matchers.push(new UrlMatcher(iocs));
  if (iocs.ofKinds('md5', 'sha1', 'sha256').length > 0) matchers.push(new HashMatcher(iocs));
  return Object.freeze(matchers);
}

export function scanPlan(choices: PlanChoices): ScanPlan {
  const { iocs, kqlParity } = choices;
  // built when a record is first judged: the main thread of a scan its
  // workers do never judges one, and a large IOC set takes time to compile
  let matchers: readonly IocMatcher[] | undefined;
  let rawSearch: RawIocSearch | undefined;
  const rule: RecordRule = Object.freeze({
    tables: builtinTables(),
    table: choices.table,
    window: Object.freeze({ since: choices.window.since, until: choices.window.until }),
    get matchers() {
      matchers ??= matchersFor(iocs, kqlParity);
      return matchers;
    },
    get rawSearch() {
      rawSearch ??= new RawIocSearch(iocs);
      return rawSearch;
    },
    exclusions: choices.exclusions,
    kqlParity,
    iocValidity: choices.iocValidity,
  });
  return Object.freeze({ paths: Object.freeze([...choices.paths]), allFiles: choices.allFiles === true, iocs, rule, fullParse: choices.fullParse, threads: choices.threads });
}

/** The choices a plan was made from (for a worker thread to make it again). */
export function choicesOf(plan: ScanPlan): PlanChoices {
  const { rule } = plan;
  return { paths: plan.paths, allFiles: plan.allFiles, iocs: plan.iocs, exclusions: rule.exclusions, kqlParity: rule.kqlParity, iocValidity: rule.iocValidity, table: rule.table, window: rule.window, fullParse: plan.fullParse, threads: plan.threads };
}
