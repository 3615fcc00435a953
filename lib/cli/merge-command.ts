import yargs from 'yargs';
import { reason, say, sendReport, strictly } from './cli-io.js';
import { OUTPUT_FORMATS } from '../options/scan-options.js';
import { normalizeMergeOptions, type MergeOptions } from '../options/merge-options.js';
import { readReport, ReportFileError } from '../merge/read-report.js';
import { mergeReports, MergeRefused } from '../merge/merge-reports.js';
import type { Report } from '../report/report.js';
import { streamOf, type ReportStream } from '../report/report-stream.js';
import { openOutput, type ReportOutput } from '../output/deliver.js';
import { exitStatus, EXIT } from './exit-status.js';

// `perlbot-hunt merge REPORT.json...`: JSON reports of one sweep, from many
// machines, as one report in any output format. Exit status as for a scan,
// read from the merged report.

type Render = (report: ReportStream, options: Pick<MergeOptions, 'format' | 'color' | 'output' | 'csvRaw'>) => Promise<AsyncIterable<string>>;

const PREFIX = 'perlbot-hunt merge';

function parseMergeArgv(argv: string[], program: string, version: string) {
  const parser = yargs(argv)
    .scriptName(`${program} merge`)
    .usage('$0 [options] [--] <report.json>...\n\nMerge JSON reports (--format json) of one sweep, made on many machines, into one report.')
    .option('format', { alias: 'f', choices: OUTPUT_FORMATS, coerce: (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v), default: 'text', describe: 'report format (any case)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of standard output (-: standard output); an existing FILE is refused without --force' })
    .option('force', { type: 'boolean', default: false, describe: 'let --output replace an existing file' })
    .option('csv-raw', { type: 'boolean', default: false, describe: "--format csv: cells as found, without the ' put before =, +, -, @, TAB or CR" })
    .option('allow-overlap', { type: 'boolean', default: false, describe: 'merge reports that share a report or an input file (same path and SHA-256), counting each input once; without it they are refused' })
    .option('color', { type: 'boolean', describe: 'force color on (--no-color: off)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no notes on standard error' });
  return strictly(parser, version, argv).parseSync();
}

export async function mergeMain(argv: string[], version: string, render: Render, program: string): Promise<number> {
  let options: MergeOptions;
  try {
    const args = parseMergeArgv(argv, program, version);
    if (args.help || args.version) return EXIT.clean;
    options = normalizeMergeOptions({ ...args, reports: args._, csvRaw: args['csv-raw'], allowOverlap: args['allow-overlap'] });
  } catch (error) {
    say((error as Error).message, PREFIX);
    process.stderr.write(`Try ${program} merge --help.\n`);
    return EXIT.nothingScanned;
  }

  let merged: Report;
  try {
    merged = mergeReports(options.reports.map(readReport), version, { allowOverlap: options.allowOverlap });
  } catch (error) {
    if (!(error instanceof ReportFileError) && !(error instanceof MergeRefused)) throw error;
    say(error.message, PREFIX);
    return EXIT.nothingScanned;
  }
  if (!options.quiet) {
    const versions = [...new Set(merged.merge!.reports.map((r) => r.toolVersion))];
    if (versions.length > 1) say(`note: the reports were made by perlbot-hunt ${versions.join(', ')}`, PREFIX);
  }

  let output: ReportOutput;
  try {
    output = await openOutput(options.output, { force: options.force });
  } catch (error) {
    say(`cannot write the report to ${options.output}: ${reason(error)}`, PREFIX);
    return EXIT.nothingScanned;
  }
  try {
    // undelivered, an active hit still exits 1, "whatever else happened" (docs/exit-status.md)
    const delivered = await sendReport(output, await render(streamOf(merged), options), options.format, PREFIX);
    return delivered ? exitStatus(merged) : merged.summary.hits > 0 ? EXIT.activeHit : EXIT.nothingScanned;
  } finally {
    await output.abort();
  }
}
