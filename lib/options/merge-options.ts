import { OUTPUT_FORMATS, UsageError, type OutputFormat, type ScanOptions } from './scan-options.js';

// `perlbot-hunt merge`'s options, checked once here like the scan's.

export interface MergeOptions extends Pick<ScanOptions, 'format' | 'output' | 'color' | 'quiet'> {
  /** JSON reports, in the order given (files and hits of equal time keep it). */
  reports: string[];
}

export function normalizeMergeOptions(raw: { reports?: unknown; format?: unknown; output?: unknown; color?: unknown; quiet?: unknown }): MergeOptions {
  const reports = Array.isArray(raw.reports) ? raw.reports.map(String).filter((p) => p !== '') : [];
  if (reports.length === 0) throw new UsageError('merge needs the JSON reports to merge (written with --format json)');
  const format = String(raw.format ?? 'text') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not "${format}"`);
  const output = raw.output === undefined || raw.output === null ? null : String(raw.output);
  if (output !== null && output.trim() === '') throw new UsageError('--output needs a file name (leave it out to write to standard output)');
  if (output !== null && reports.includes(output)) throw new UsageError(`--output ${output} is one of the reports being merged: choose another file`);
  return { reports, format, output, color: typeof raw.color === 'boolean' ? raw.color : null, quiet: raw.quiet === true };
}
