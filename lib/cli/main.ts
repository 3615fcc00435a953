import { packageVersion } from '../assets/assets.js';
import yargs from 'yargs';
import { reason, say, sendReport, strictly, TOOL } from './cli-io.js';
import { checkOptionWords, checkStandardInput, helpEpilog, whyNothing } from './first-words.js';
import { FileCount, onInterrupt } from './interrupt.js';
import { normalizeOptions, OUTPUT_FORMATS, type ScanOptions } from '../options/scan-options.js';
import type { IocSet } from '../matcher/ioc-set.js';
import { builtinRead, inForce, IocFileFatal } from '../iocs/iocs-in-force.js';
import { OUTSIDE_VALIDITY } from '../verdict/record-verdict.js';
import type { ExclusionSet } from '../exclusions/exclusion-set.js';
import { exclusionsFor, ExclusionFileError } from '../exclusions/exclusion-file.js';
import { ReportBuilder } from '../sink/report-builder.js';
import { scan } from '../scan/scan.js';
import { planFromOptions } from './plan-from-options.js';
import { activeOnly, type ReportStream } from '../report/report-stream.js';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { runRecord } from './run-record.js';
import { isOneOfInputs } from '../output/atomic-output.js';
import { openOutput, type ReportOutput } from '../output/deliver.js';
import type { ProgressSink } from '../progress/progress-sink.js';
import { exitStatus, EXIT } from './exit-status.js';
import { echoInputErrors, verdictLine } from './run-words.js';
import { argvWithBytes } from './argv-bytes.js';

// The command line, the tool's edge: argv checked into options, the IOC and
// exclusion sets loaded, the scan's plan made, the report rendered and
// delivered, the exit status chosen. Subcommands (merge, --emit kql) live
// beside this file.

export function toolVersion(): string {
  return packageVersion();
}

function scanParser(argv: string[], program: string, version: string) {
  const parser = yargs(argv)
    .scriptName(program)
    .usage(`$0 [options] [--] <path|dir|glob|->...\n$0 merge [options] <report.json>...\n\nFlag every exported log record that touches an IOC in force (address, range, domain, URL or hash): the address, host, URL and hash columns of each catalogued table\n(CommonSecurityLog, DeviceNetworkEvents, the Device tables, Syslog, SigninLogs, DnsEvents, …: lib/data/tables.md), and every\ncolumn of a record of no catalogued table (the unknown-table rule: exact values only, nested JSON flattened);\nmerge JSON reports of one sweep made on many machines ($0 merge --help).`)
    .option('format', { alias: 'f', choices: OUTPUT_FORMATS, coerce: lowerCase, defaultDescription: 'text', describe: 'report format (any case)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of standard output (-: standard output); an existing FILE is refused without --force' })
    .option('force', { type: 'boolean', default: false, describe: 'let --output replace an existing file (atomically: the old one stays whole until the new one is complete)' })
    .option('csv-raw', { type: 'boolean', default: false, describe: "--format csv: write cells as found, without the ' put before =, +, -, @, TAB or CR that keeps a spreadsheet from running them" })
    .option('active-only', { type: 'boolean', default: false, describe: '--format timesketch, ecs, splunk or stix: leave suppressed hits out (they are included and marked otherwise)' })
    .option('kql-parity', { type: 'boolean', default: false, describe: "watch only the KQL's own fields, exact string equality, in records of CommonSecurityLog or DeviceNetworkEvents only" })
    .option('ioc-validity', { type: 'boolean', default: false, describe: 'suppress (ioc-outside-validity, listed, never hidden) a hit whose IOCs were all outside their validity at the record\'s time: STIX valid_from/valid_until, else ThreatFox last_seen_utc' })
    .option('full-parse', { type: 'boolean', default: false, describe: 'parse every record, not only those holding IOC text (slower; also lists malformed records without IOC text)' })
    .option('all-files', { type: 'boolean', default: false, describe: 'a folder walk reads every file it meets, whatever its extension, its format told by its content (default: only exports; the others are listed as skipped)' })
    .option('jobs', { alias: 'j', type: 'string', describe: 'threads at work at once, hashing included: files scanned side by side, or one file beside its hash (default: all cores; 1: one core)' })
    .option('table', { type: 'string', describe: 'read every file as this catalogued table (CommonSecurityLog, DeviceNetworkEvents, Syslog, …; any case)' })
    .option('since', { type: 'string', describe: 'keep hits at or after this ISO 8601 time' })
    .option('until', { type: 'string', describe: 'keep hits before this ISO 8601 time' })
    .option('exclusions', { type: 'string', describe: 'exclusion rules from FILE, replacing the defaults (--no-exclusions: none)' })
    .option('iocs', { type: 'string', describe: 'IOCs from FILE (STIX 2.1 bundle, MISP JSON or CSV, ThreatFox CSV or JSON export, or one IOC a line), replacing the built-in set; repeatable' })
    .option('min-confidence', { type: 'string', describe: 'drop IOCs whose confidence is below N percent' })
    .option('all-attributes', { type: 'boolean', default: false, describe: 'MISP feeds: use attributes whose to_ids is false too (counted either way)' })
    .option('emit', { choices: ['kql'], coerce: lowerCase, describe: 'print one hunting query per catalogued table (IOCs of every kind in the columns of their kind, exclusions in force; --kql-parity: the seed\'s two, addresses only) for Sentinel instead of scanning; no paths' })
    .option('color', { type: 'boolean', describe: 'force color on (--no-color: off); default: on a terminal, unless NO_COLOR is set' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no warnings or progress on standard error' })
    .epilog(helpEpilog(program));
  return strictly(parser, version, argv);
}

function lowerCase(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
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
async function render(all: ReportStream, options: Pick<ScanOptions, 'format' | 'color' | 'output' | 'csvRaw' | 'activeOnly'>): Promise<AsyncIterable<string>> {
  const report = options.activeOnly ? activeOnly(all) : all;
  switch (options.format) {
    case 'json':
      return (await import('../printers/json-printer.js')).printJson(report);
    case 'ndjson':
      return (await import('../printers/json-printer.js')).printNdjson(report);
    case 'csv':
      return (await import('../printers/csv-printer.js')).printCsv(report, { raw: options.csvRaw });
    case 'text': {
      const { pageWidth, PAGE_WIDTH } = await import('../printers/text-layout.js');
      return (await import('../printers/text-printer.js')).printText(report, useColor(options), { width: options.output === null ? pageWidth(process.stdout) : PAGE_WIDTH });
    }
    case 'html':
      return (await import('../printers/html/html-printer.js')).printHtml(report);
    case 'timesketch':
      return (await import('../printers/handoff/timesketch-printer.js')).printTimesketch(report);
    case 'ecs':
      return (await import('../printers/handoff/ecs-printer.js')).printEcs(report);
    case 'splunk':
      return (await import('../printers/handoff/splunk-printer.js')).printSplunk(report);
    case 'stix':
      return (await import('../printers/handoff/stix-printer.js')).printStix(report);
  }
}

/** Progress only for a person watching: never into a pipe or a file, never with --quiet. */
function wantsProgress(options: ScanOptions): boolean {
  return !options.quiet && process.stderr.isTTY === true;
}


/**
 * Run the command line. `program` is the command as the user typed it
 * (`node perlbot-hunt.mjs` for the bundle), for the help and usage lines.
 */
export async function main(argv: string[], program = TOOL): Promise<number> {
  const version = toolVersion();
  argv = argvWithBytes(argv);
  // subcommands; to scan a path named `merge` or `help`, write ./merge or put it after --
  if (argv[0] === 'merge') return (await import('./merge-command.js')).mergeMain(argv.slice(1), version, render, program);
  if (argv[0] === 'help' && argv.length === 1) argv = ['--help'];
  let options: ScanOptions;
  let late: string[];
  try {
    late = checkOptionWords(argv, process.cwd()).late;
    const args = scanParser(argv, program, version).parseSync();
    if (args.help || args.version) return EXIT.clean;
    options = normalizeOptions({ ...args, paths: args._, csvRaw: args['csv-raw'], activeOnly: args['active-only'], kqlParity: args['kql-parity'], iocValidity: args['ioc-validity'], fullParse: args['full-parse'], allFiles: args['all-files'], minConfidence: args['min-confidence'], allAttributes: args['all-attributes'] });
    checkStandardInput(options.paths);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.stderr.write(`Try ${program} --help.\n`);
    return EXIT.nothingScanned;
  }
  if (!options.quiet) for (const warning of late) say(`warning: ${warning}`);

  let iocs: IocSet;
  try {
    // the feed readers are loaded only for --iocs files
    const loaded = options.iocs.kind === 'builtin' ? inForce(builtinRead(), options.minConfidence) : (await import('../iocs/load-iocs.js')).loadIocs(options.iocs, options.minConfidence, { allAttributes: options.allAttributes });
    iocs = loaded.set;
    if (!options.quiet) {
      for (const notice of loaded.notices) say(`IOCs: ${notice}`);
      for (const warning of loaded.warnings) say(`warning: ${warning}`);
    }
  } catch (error) {
    if (!(error instanceof IocFileFatal)) throw error;
    say(`cannot use the IOCs: ${error.message}`);
    return EXIT.nothingScanned;
  }

  let exclusions: ExclusionSet;
  try {
    exclusions = exclusionsFor(options.exclusions);
  } catch (error) {
    if (!(error instanceof ExclusionFileError)) throw error;
    say(`bad exclusions file: ${error.message}`);
    return EXIT.nothingScanned;
  }

  if (options.emit === 'kql') {
    const { kqlParity, table, since, until, output } = options;
    return (await import('./emit-command.js')).emitQueries({ toolVersion: version, iocs, exclusions, kqlParity, table, window: { since, until } }, { path: output, force: options.force });
  }

  // the destination is opened before scanning, so a bad one costs no scan time
  let output: ReportOutput;
  try {
    output = await openOutput(options.output, { force: options.force });
  } catch (error) {
    say(`cannot write the report to ${options.output}: ${reason(error)}`);
    return EXIT.nothingScanned;
  }

  let progress: ProgressSink | null = null;
  const counted = new FileCount();
  const interrupt = onInterrupt(() => {
    progress?.finish();
    say(`interrupted after ${counted.files === 1 ? '1 file' : `${counted.files} files`}: no report written`);
  });
  // a hit suppressed for its IOCs' validity names a suppression the report lists, as an exclusion's
  const suppressions = options.iocValidity ? [...exclusions.entries, { id: OUTSIDE_VALIDITY, description: 'every IOC of the hit was outside its validity at the record\'s time (--ioc-validity)' }] : exclusions.entries;
  // hits beyond what memory holds are spilled beside the report, or to the system's temporary folder
  const builder = new ReportBuilder(version, iocs, suppressions, { spillParent: output.file === null ? tmpdir() : dirname(output.file) });
  try {
    // the progress line is for a person at a terminal only: loaded when there is one
    progress = wantsProgress(options) ? new (await import('../progress/progress-sink.js')).ProgressSink(builder, process.stderr) : null;
    const inner = progress ?? builder;
    // each input error on standard error as its file is done (as ripgrep does), on a row of its own
    const sink = options.quiet ? inner : echoInputErrors(inner, (line) => {
      progress?.clearLine();
      say(line);
    });
    const outcome = await scan(planFromOptions(options, iocs, exclusions), counted.before(sink));
    // the progress line is gone before anything else reaches the terminal
    progress?.finish();
    if (outcome.gaveNothing === options.paths.length) {
      // said already as each path was met, unless -q silenced it
      if (options.quiet) for (const path of options.paths) say(await whyNothing(path));
      say('nothing to scan');
      return EXIT.nothingScanned;
    }
    if (!options.quiet) {
      for (const w of builder.warnings) say(`warning: ${w.path}: ${w.message}`);
      if (builder.spillProblem !== null) say(`warning: ${builder.spillProblem}`);
    }
    const stream = builder.finish({ run: runRecord(options, iocs, exclusions, process.cwd()) });
    const report = stream.head;
    const text = await render(stream, options);
    // Undelivered, the report cannot vouch for a clean scan (so not 0 or 3);
    // an active hit still exits 1, "whatever else happened" (docs/exit-status.md).
    const undelivered = report.summary.hits > 0 ? EXIT.activeHit : EXIT.nothingScanned;
    if (output.file !== null && (await isOneOfInputs(output.file, report.files.map((f) => f.path)))) {
      say(`not writing the report over ${output.name}: it is one of the inputs, and inputs are never modified; choose another --output`);
      return undelivered;
    }
    if (!(await sendReport(output, text, options.format))) return undelivered;
    // last, after the report: what a responder watching only the terminal must not miss
    if (!options.quiet) say(verdictLine(report.summary, output.file === null ? null : output.name));
    return exitStatus(report);
  } catch (error) {
    // Reaching here is a bug, never bad evidence: say so plainly.
    say(error instanceof Error ? error.message : String(error));
    return EXIT.nothingScanned;
  } finally {
    interrupt.stop();
    progress?.finish();
    builder.dispose();
    // a no-op once the report is in place; otherwise no temporary file is left behind
    await output.abort();
  }
}
