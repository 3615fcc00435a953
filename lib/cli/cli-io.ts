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

/** Writes the report, a piece at a time, each written before the next is asked for. */
export async function writeStdout(text: string | AsyncIterable<string>): Promise<void> {
  const write = (piece: string) => new Promise<void>((resolve, reject) => process.stdout.write(piece, (error) => (error ? reject(error) : resolve())));
  if (typeof text === 'string') return write(text);
  for await (const piece of text) if (piece !== '') await write(piece);
}
