import type { Argv } from 'yargs';
import { UsageError } from '../options/scan-options.js';

// What every perlbot-hunt command does alike at the edge: how yargs is told
// to fail, and how a report reaches standard output.

/** Unknown options are errors, yargs never exits the process, and a failure becomes a UsageError (exit 2). */
export function strictly<T>(parser: Argv<T>, version: string): Argv<T> {
  return parser
    .version(version)
    .help()
    .strictOptions()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

export function writeStdout(text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
