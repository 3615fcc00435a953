import { writeStdout } from './cli-io.js';
import { AtomicOutput } from '../report/atomic-output.js';
import { emitKql, type KqlContext } from '../kql/emit-kql.js';
import { EXIT } from './exit-status.js';

// `--emit kql`: the hunting queries instead of a scan, written like a report
// (standard output, or --output FILE atomically).


/** `path`: --output, or null for standard output. */
export async function emitQueries(context: KqlContext, path: string | null): Promise<number> {
  let text: string;
  try {
    text = emitKql(context);
  } catch (error) {
    process.stderr.write(`perlbot-hunt: cannot write the exclusions as KQL: ${(error as Error).message}\n`);
    return EXIT.nothingScanned;
  }
  if (path === null) {
    await writeStdout(text);
    return EXIT.clean;
  }
  let output: AtomicOutput | null = null;
  try {
    output = await AtomicOutput.open(path);
    await output.commit(text);
    return EXIT.clean;
  } catch (error) {
    process.stderr.write(`perlbot-hunt: cannot write the queries to ${path}: ${(error as Error).message}\n`);
    return EXIT.nothingScanned;
  } finally {
    await output?.abort();
  }
}
