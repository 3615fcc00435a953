import type { ScanOptions } from '../options/scan-options.js';
import type { IocSet } from '../matcher/ioc-set.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import type { RunRecord } from '../report/report.js';

// The report's `run` key: enough for a second responder to repeat the scan
// and check they used the same IOC and exclusion data (by SHA-256), not just
// the same tool version.

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function exclusionChoice(choice: ScanOptions['exclusions']): string {
  switch (choice.kind) {
    case 'builtin':
      return 'built-in';
    case 'file':
      return choice.path;
    case 'none':
      return 'none';
  }
}

export function runRecord(options: ScanOptions, iocs: IocSet, exclusions: ExclusionSet, cwd: string): RunRecord {
  return {
    options: {
      paths: [...options.paths],
      // relative paths mean nothing without the folder they were given from
      cwd,
      format: options.format,
      output: options.output,
      kqlParity: options.kqlParity,
      ...(options.iocValidity ? { iocValidity: true as const } : {}),
      fullParse: options.fullParse,
      allFiles: options.allFiles,
      jobs: options.jobs,
      table: options.table,
      since: iso(options.since),
      until: iso(options.until),
      exclusions: exclusionChoice(options.exclusions),
      color: options.color,
      quiet: options.quiet,
    },
    iocSet: { ...iocs.provenance },
    exclusionSet: { ...exclusions.provenance },
  };
}
