import type { Argv } from 'yargs';
import { UsageError, type OutputFormat } from '../options/scan-options.js';
import { deliver, DeliveryFailed, OutputRefused, type ReportOutput } from '../output/deliver.js';
import { errnoText } from '../errors/errno-text.js';
import { printableJson, printableLines, printable } from '../terminal/terminal-text.js';

// What every perlbot-hunt command does alike at the edge: how yargs is told
// to fail, how a line reaches standard error, and how a report reaches its
// destination.

/** The tool's name in front of each line it writes to standard error. */
export const TOOL = 'perlbot-hunt';

/**
 * Unknown options are errors, yargs never exits the process, and a failure
 * becomes a UsageError (exit 2). `-o.csv` or `--help.csv` (a file a glob
 * expanded to) is an unknown option, not an option with an object value.
 */
export function strictly<T>(parser: Argv<T>, version: string, argv: readonly string[]): Argv<T> {
  return parser
    .parserConfiguration({ 'dot-notation': false })
    .version(version)
    .alias('V', 'version')
    .help()
    .alias('h', 'help')
    .strictOptions()
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      const unknown = /^Unknown arguments?: (.*)$/.exec(message ?? '');
      if (unknown) {
        // named as typed: yargs drops the dashes
        const names = unknown[1].split(', ').map((name) => argv.find((word) => word.replace(/^--?/, '').split('=')[0] === name) ?? name);
        throw new UsageError('USAGE_UNKNOWN_OPTION', `unknown option ${names.join(', ')} (a file whose name starts with - goes after --)`);
      }
      throw new UsageError('USAGE_ARGUMENTS', message);
    });
}

/** One line on standard error, every character of it under the terminal rule (names and messages quote the data). */
export function say(line: string, prefix = TOOL): void {
  process.stderr.write(`${prefix}: ${printable(line)}\n`);
}

/** The report as a terminal may show it: the text report is escaped already; other formats are escaped here. */
function forDestination(text: string, format: OutputFormat | 'kql', output: ReportOutput): string {
  if (!output.isTerminal || format === 'text') return text;
  return format === 'json' || format === 'ndjson' ? printableJson(text) : printableLines(text);
}

async function* piecesFor(pieces: AsyncIterable<string>, format: OutputFormat | 'kql', output: ReportOutput): AsyncGenerator<string> {
  for await (const piece of pieces) if (piece !== '') yield forDestination(piece, format, output);
}

/**
 * Deliver a report; false when it could not be (the reason is said, one
 * line). A reader that closed the pipe (`| head`) is no failure: the report
 * was wanted no further.
 */
export async function sendReport(output: ReportOutput, text: string | AsyncIterable<string>, format: OutputFormat | 'kql', prefix = TOOL): Promise<boolean> {
  try {
    // a report streamed in pieces: each piece ends between hits or lines, so escaping it alone is escaping the whole
    await deliver(output, typeof text === 'string' ? forDestination(text, format, output) : piecesFor(text, format, output));
    return true;
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    if (error.closed) return true;
    say(`cannot write the report to ${output.name}: ${error.message}`, prefix);
    return false;
  }
}

/** Why an output cannot be opened. */
export function reason(error: unknown): string {
  if (error instanceof OutputRefused) return error.message;
  return errnoText(error, { ENOENT: 'its folder does not exist', EISDIR: 'it is a directory', ENOTDIR: 'part of its folder path is a file' });
}
