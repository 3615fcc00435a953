import { reason, say, sendReport } from './cli-io.js';
import { openOutput, type ReportOutput } from '../output/deliver.js';
import { emitKql, type KqlContext } from '../kql/emit-kql.js';
import { EXIT } from './exit-status.js';

// `--emit kql`: the hunting queries instead of a scan, delivered like a
// report (standard output, or --output FILE by the same rules).

/** `destination.path`: --output, or null for standard output. */
export async function emitQueries(context: KqlContext, destination: { path: string | null; force: boolean }): Promise<number> {
  let text: string;
  try {
    text = emitKql(context);
  } catch (error) {
    say(`cannot write the exclusions as KQL: ${(error as Error).message}`);
    return EXIT.nothingScanned;
  }
  let output: ReportOutput;
  try {
    output = await openOutput(destination.path, { force: destination.force });
  } catch (error) {
    say(`cannot write the queries to ${destination.path}: ${reason(error)}`);
    return EXIT.nothingScanned;
  }
  try {
    return (await sendReport(output, text, 'kql')) ? EXIT.clean : EXIT.nothingScanned;
  } finally {
    await output.abort();
  }
}
