import yargs from 'yargs';
import { strictly, writeStdout } from './cli-io.js';
import { OUTPUT_FORMATS } from '../options/scan-options.js';
import { normalizeMergeOptions, type MergeOptions } from '../options/merge-options.js';
import { readReport, ReportFileError } from '../merge/read-report.js';
import { mergeReports, MergeRefused } from '../merge/merge-reports.js';
import type { Report } from '../report/report.js';
import { streamOf, type ReportStream } from '../report/report-stream.js';
import { AtomicOutput } from '../report/atomic-output.js';
import { exitStatus, EXIT } from './exit-status.js';

// `perlbot-hunt merge REPORT.json...`: JSON reports of one sweep, from many
// machines, as one report in any output format. Exit status as for a scan,
// read from the merged report.

type Render = (report: ReportStream, options: Pick<MergeOptions, 'format' | 'color' | 'output'>) => Promise<AsyncIterable<string>>;

function parseMergeArgv(argv: string[], version: string) {
  const parser = yargs(argv)
    .scriptName('perlbot-hunt merge')
    .usage('$0 [options] <report.json>...\n\nMerge JSON reports (--format json) of one sweep, made on many machines, into one report.')
    .option('format', { alias: 'f', choices: OUTPUT_FORMATS, default: 'text', describe: 'report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of standard output' })
    .option('color', { type: 'boolean', describe: 'force color on (--no-color: off)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no notes on standard error' });
  return strictly(parser, version).parseSync();
}


export async function mergeMain(argv: string[], version: string, render: Render): Promise<number> {
  let options: MergeOptions;
  try {
    const args = parseMergeArgv(argv, version);
    if (args.help || args.version) return EXIT.clean;
    options = normalizeMergeOptions({ ...args, reports: args._ });
  } catch (error) {
    process.stderr.write(`perlbot-hunt merge: ${(error as Error).message}\nTry perlbot-hunt merge --help.\n`);
    return EXIT.nothingScanned;
  }

  let merged: Report;
  try {
    merged = mergeReports(options.reports.map(readReport), version);
  } catch (error) {
    if (!(error instanceof ReportFileError) && !(error instanceof MergeRefused)) throw error;
    process.stderr.write(`perlbot-hunt merge: ${error.message}\n`);
    return EXIT.nothingScanned;
  }
  if (!options.quiet) {
    const versions = [...new Set(merged.merge!.reports.map((r) => r.toolVersion))];
    if (versions.length > 1) process.stderr.write(`perlbot-hunt merge: note: the reports were made by perlbot-hunt ${versions.join(', ')}\n`);
  }

  const text = await render(streamOf(merged), options);
  if (options.output === null) {
    await writeStdout(text);
    return exitStatus(merged);
  }
  let output: AtomicOutput | null = null;
  try {
    output = await AtomicOutput.open(options.output);
    await output.commit(text);
    return exitStatus(merged);
  } catch (error) {
    process.stderr.write(`perlbot-hunt merge: cannot write the report to ${options.output}: ${(error as Error).message}\n`);
    // an active hit still exits 1, "whatever else happened" (docs/exit-status.md)
    return merged.summary.hits > 0 ? EXIT.activeHit : EXIT.nothingScanned;
  } finally {
    await output?.abort();
  }
}
