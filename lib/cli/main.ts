import { packageVersion } from '../assets/assets.js';
import yargs from 'yargs';
import { strictly, writeStdout } from './cli-io.js';
import { normalizeOptions, OUTPUT_FORMATS, type ScanOptions } from '../options/scan-options.js';
import type { IocSet } from '../matcher/ioc-set.js';
import { IocFileFatal, loadIocs } from '../iocs/load-iocs.js';
import { printable } from '../printers/text-layout.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { exclusionsFor, ExclusionFileError } from '../exclusions/exclusion-file.js';
import { ReportBuilder } from '../sink/report-builder.js';
import { scan } from '../scan/scan.js';
import { planFromOptions } from './plan-from-options.js';
import type { ReportStream } from '../report/report-stream.js';
import { runRecord } from './run-record.js';
import { AtomicOutput, isOneOfInputs } from '../report/atomic-output.js';
import { ProgressSink } from '../progress/progress-sink.js';
import { exitStatus, EXIT } from './exit-status.js';
import { errnoText } from '../inputs/errno-text.js';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';

// The command line, the tool's edge: argv checked into options, the IOC and
// exclusion sets loaded, the scan's plan made, the report rendered and
// delivered, the exit status chosen. Subcommands (merge, --emit kql) live
// beside this file.

export function toolVersion(): string {
  return packageVersion();
}

function parseArgv(argv: string[], version: string) {
  const parser = yargs(argv)
    .scriptName('perlbot-hunt')
    .usage('$0 [options] <path|dir|glob>...\n$0 merge [options] <report.json>...\n\nFlag every exported CommonSecurityLog / DeviceNetworkEvents record that touches a PerlBot C2 IP;\nmerge JSON reports of one sweep made on many machines (perlbot-hunt merge --help).')
    .option('format', { alias: 'f', choices: OUTPUT_FORMATS, default: 'text', describe: 'report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of standard output' })
    .option('kql-parity', { type: 'boolean', default: false, describe: "watch only the KQL's own fields, exact string equality" })
    .option('full-parse', { type: 'boolean', default: false, describe: 'parse every record, not only those holding IOC text (slower; also lists malformed records without IOC text)' })
    .option('jobs', { alias: 'j', type: 'string', describe: 'threads at work at once, hashing included: files scanned side by side, or one file beside its hash (default: all cores; 1: one core)' })
    .option('table', { type: 'string', describe: 'read every file as this table (CommonSecurityLog or DeviceNetworkEvents)' })
    .option('since', { type: 'string', describe: 'keep hits at or after this ISO 8601 time' })
    .option('until', { type: 'string', describe: 'keep hits before this ISO 8601 time' })
    .option('exclusions', { type: 'string', describe: 'exclusion rules from FILE, replacing the defaults (--no-exclusions: none)' })
    .option('iocs', { type: 'string', describe: 'IOCs from FILE (ThreatFox CSV or JSON export, or one IOC a line), replacing the built-in set; repeatable' })
    .option('min-confidence', { type: 'string', describe: 'drop IOCs whose confidence is below N percent' })
    .option('all-attributes', { type: 'boolean', default: false, describe: 'MISP feeds: use attributes whose to_ids is false too (counted either way)' })
    .option('emit', { type: 'string', describe: 'kql: print the two hunting queries (IOCs, watched fields, exclusions in force) for Sentinel instead of scanning; no paths' })
    .option('color', { type: 'boolean', describe: 'force color on (--no-color: off); default: on a terminal, unless NO_COLOR is set' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no warnings or progress on standard error' });
  return strictly(parser, version).parseSync();
}

function useColor(options: Pick<ScanOptions, 'color' | 'output'>): boolean {
  if (options.color !== null) return options.color;
  if (options.output !== null) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return process.stdout.isTTY === true;
}

// Printers and subcommands load when asked for: start-up is paid on every
// run, and most runs print one format and never merge or emit.
// A report is written in pieces as its hits are read, never held whole.
async function render(report: ReportStream, options: Pick<ScanOptions, 'format' | 'color' | 'output'>): Promise<AsyncIterable<string>> {
  switch (options.format) {
    case 'json':
      return (await import('../printers/json-printer.js')).printJson(report);
    case 'ndjson':
      return (await import('../printers/json-printer.js')).printNdjson(report);
    case 'csv':
      return (await import('../printers/csv-printer.js')).printCsv(report);
    case 'text':
      return (await import('../printers/text-printer.js')).printText(report, useColor(options));
    case 'html':
      return (await import('../printers/html/html-printer.js')).printHtml(report);
  }
}

/** Progress only for a person watching: never into a pipe or a file, never with --quiet. */
function wantsProgress(options: ScanOptions): boolean {
  return !options.quiet && process.stderr.isTTY === true;
}

/** Why --output FILE cannot be written. */
function reason(error: unknown): string {
  return errnoText(error, { ENOENT: 'its folder does not exist', EISDIR: 'it is a directory', ENOTDIR: 'part of its folder path is a file' });
}

export async function main(argv: string[]): Promise<number> {
  const version = toolVersion();
  // a subcommand; to scan a path named `merge`, write ./merge
  if (argv[0] === 'merge') return (await import('./merge-command.js')).mergeMain(argv.slice(1), version, render);
  let options: ScanOptions;
  try {
    const args = parseArgv(argv, version);
    if (args.help || args.version) return EXIT.clean;
    options = normalizeOptions({ ...args, paths: args._, kqlParity: args['kql-parity'], fullParse: args['full-parse'], minConfidence: args['min-confidence'], allAttributes: args['all-attributes'] });
  } catch (error) {
    process.stderr.write(`perlbot-hunt: ${error instanceof Error ? error.message : String(error)}\nTry perlbot-hunt --help.\n`);
    return EXIT.nothingScanned;
  }

  let iocs: IocSet;
  try {
    const loaded = loadIocs(options.iocs, options.minConfidence, { allAttributes: options.allAttributes });
    iocs = loaded.set;
    if (!options.quiet) {
      // IOC files are someone else's text: no control character of theirs reaches the terminal
      for (const notice of loaded.notices) process.stderr.write(`perlbot-hunt: IOCs: ${printable(notice)}\n`);
      for (const warning of loaded.warnings) process.stderr.write(`perlbot-hunt: warning: ${printable(warning)}\n`);
    }
  } catch (error) {
    if (!(error instanceof IocFileFatal)) throw error;
    process.stderr.write(`perlbot-hunt: cannot use the IOCs: ${printable(error.message)}\n`);
    return EXIT.nothingScanned;
  }

  let exclusions: ExclusionSet;
  try {
    exclusions = exclusionsFor(options.exclusions);
  } catch (error) {
    if (!(error instanceof ExclusionFileError)) throw error;
    process.stderr.write(`perlbot-hunt: bad exclusions file: ${error.message}\n`);
    return EXIT.nothingScanned;
  }

  if (options.emit === 'kql') {
    const { kqlParity, table, since, until, output } = options;
    return (await import('./emit-command.js')).emitQueries({ toolVersion: version, iocs, exclusions, kqlParity, table, window: { since, until } }, output);
  }

  // --output is opened before scanning, so a bad destination costs no scan time
  let output: AtomicOutput | null = null;
  if (options.output !== null) {
    try {
      output = await AtomicOutput.open(options.output);
    } catch (error) {
      process.stderr.write(`perlbot-hunt: cannot write the report to ${options.output}: ${reason(error)}\n`);
      return EXIT.nothingScanned;
    }
  }

  let progress: ProgressSink | null = null;
  // hits beyond what memory holds are spilled beside the report, or to the system's temporary folder
  const builder = new ReportBuilder(version, iocs, exclusions.entries, { spillParent: options.output === null ? tmpdir() : dirname(options.output) });
  try {
    progress = wantsProgress(options) ? new ProgressSink(builder, process.stderr) : null;
    const outcome = await scan(planFromOptions(options, iocs, exclusions), progress ?? builder);
    // the progress line is gone before anything else reaches the terminal
    progress?.finish();
    if (outcome.files === 0 || outcome.missing === options.paths.length) {
      process.stderr.write(`perlbot-hunt: nothing to scan: ${options.paths.length === 1 ? 'the path' : 'no path'} named matched a readable input (${options.paths.join(', ')})\n`);
      return EXIT.nothingScanned;
    }
    if (!options.quiet) {
      for (const w of builder.warnings) process.stderr.write(`perlbot-hunt: warning: ${w.path}: ${w.message}\n`);
      if (builder.spillProblem !== null) process.stderr.write(`perlbot-hunt: warning: ${builder.spillProblem}\n`);
    }
    const stream = builder.finish({ run: runRecord(options, iocs, exclusions, process.cwd()) });
    const report = stream.head;
    const text = await render(stream, options);
    if (output === null) {
      await writeStdout(text);
      return exitStatus(report);
    }
    // Undelivered, the report cannot vouch for a clean scan (so not 0 or 3);
    // an active hit still exits 1, "whatever else happened" (docs/exit-status.md).
    const undelivered = report.summary.hits > 0 ? EXIT.activeHit : EXIT.nothingScanned;
    if (await isOneOfInputs(output.path, report.files.map((f) => f.path))) {
      process.stderr.write(`perlbot-hunt: not writing the report over ${output.path}: it is one of the inputs, and inputs are never modified; choose another --output\n`);
      return undelivered;
    }
    try {
      await output.commit(text);
    } catch (error) {
      process.stderr.write(`perlbot-hunt: cannot write the report to ${output.path}: ${reason(error)}; nothing was written there\n`);
      return undelivered;
    }
    return exitStatus(report);
  } catch (error) {
    // Reaching here is a bug, never bad evidence: say so plainly.
    process.stderr.write(`perlbot-hunt: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.nothingScanned;
  } finally {
    progress?.finish();
    builder.dispose();
    // a no-op once the report is in place; otherwise no temporary file is left behind
    await output?.abort();
  }
}
