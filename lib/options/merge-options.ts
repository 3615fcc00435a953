import { flag, formatChoice, outputChoice, UsageError, type ScanOptions } from './scan-options.js';

// `perlbot-hunt merge`'s options, checked once here like the scan's.

export interface MergeOptions extends Pick<ScanOptions, 'format' | 'output' | 'force' | 'csvRaw' | 'color' | 'quiet'> {
  /** JSON reports, in the order given (files and hits of equal time keep it). */
  reports: string[];
  /**
   * --allow-overlap: reports that share a report or an input file are merged,
   * each input counted once; without it they are refused.
   */
  allowOverlap: boolean;
}

export function normalizeMergeOptions(raw: { reports?: unknown; format?: unknown; output?: unknown; force?: unknown; csvRaw?: unknown; allowOverlap?: unknown; color?: unknown; quiet?: unknown }): MergeOptions {
  const reports = Array.isArray(raw.reports) ? raw.reports.map(String).filter((p) => p !== '') : [];
  if (reports.length === 0) throw new UsageError('USAGE_MERGE', 'merge needs the JSON reports to merge (written with --format json)');
  const format = formatChoice(raw.format);
  const output = outputChoice(raw.output);
  if (output !== null && reports.includes(output)) throw new UsageError('USAGE_MERGE', `--output ${output} is one of the reports being merged: choose another file`);
  const color = flag(raw.color);
  return {
    reports,
    format,
    output,
    force: flag(raw.force) === true,
    csvRaw: flag(raw.csvRaw) === true,
    allowOverlap: flag(raw.allowOverlap) === true,
    color: typeof color === 'boolean' ? color : null,
    quiet: flag(raw.quiet) === true,
  };
}
