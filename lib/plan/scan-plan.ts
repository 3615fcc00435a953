import type { TableName } from '../report/report.js';
import type { IocSet } from '../matcher/ioc-set.js';
import { AddressMatcher } from '../matcher/match-record.js';
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
  table: TableName | null;
  window: TimeWindow;
  fullParse: boolean;
  threads: number;
}

export function scanPlan(choices: PlanChoices): ScanPlan {
  const { iocs, kqlParity } = choices;
  const rule: RecordRule = Object.freeze({
    tables: builtinTables(),
    table: choices.table,
    window: Object.freeze({ since: choices.window.since, until: choices.window.until }),
    matchers: Object.freeze([new AddressMatcher(iocs, kqlParity)]),
    rawSearch: new RawIocSearch(iocs),
    exclusions: choices.exclusions,
    kqlParity,
  });
  return Object.freeze({ paths: Object.freeze([...choices.paths]), allFiles: choices.allFiles === true, iocs, rule, fullParse: choices.fullParse, threads: choices.threads });
}

/** The choices a plan was made from (for a worker thread to make it again). */
export function choicesOf(plan: ScanPlan): PlanChoices {
  const { rule } = plan;
  return { paths: plan.paths, allFiles: plan.allFiles, iocs: plan.iocs, exclusions: rule.exclusions, kqlParity: rule.kqlParity, table: rule.table, window: rule.window, fullParse: plan.fullParse, threads: plan.threads };
}
