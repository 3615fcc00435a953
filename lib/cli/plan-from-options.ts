import type { ScanOptions } from '../options/scan-options.js';
import type { IocSet } from '../matcher/ioc-set.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { scanPlan, type ScanPlan } from '../plan/scan-plan.js';

/** The scan's plan, made once from the checked options: what lies past the CLI never sees them. */
export function planFromOptions(options: ScanOptions, iocs: IocSet, exclusions: ExclusionSet): ScanPlan {
  return scanPlan({
    paths: options.paths,
    allFiles: options.allFiles,
    iocs,
    exclusions,
    kqlParity: options.kqlParity,
    iocValidity: options.iocValidity,
    table: options.table,
    window: { since: options.since, until: options.until },
    fullParse: options.fullParse,
    threads: options.jobs,
  });
}
