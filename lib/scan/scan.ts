import { discoverInputs } from '../inputs/discover.js';
import type { ScanSink } from '../sink/scan-sink.js';
import type { ScanPlan } from '../plan/scan-plan.js';
import { scanFile, unreadable } from './scan-file.js';
import { scanInParallel } from './parallel-scan.js';
import { oneAtATime, planFiles } from './thread-plan.js';

// The scan: every input a plan names, each file read and its records judged,
// on as many threads as the plan allows, everything found handed to one sink
// in the order of the inputs.

export interface ScanOutcome {
  /** Files handed to the sink, readable or not. */
  files: number;
  /** Named paths that did not exist and matched nothing. */
  missing: number;
}

/** Every input the plan names, in order, into the sink. */
export async function scan(plan: ScanPlan, sink: ScanSink): Promise<ScanOutcome> {
  const discovery = await discoverInputs(plan.paths);
  const readable = discovery.files.filter((f) => f.error === undefined);
  sink.inputs?.(readable.map((f) => f.path));
  const files = await planFiles(plan.threads, readable.map((f) => f.path));
  if (!oneAtATime(plan.threads, files)) {
    let next = 0;
    await scanInParallel(discovery.files.map((f) => (f.error === undefined ? files[next++] : unreadable(f.path, f.error))), plan, sink);
  } else {
    for (const input of discovery.files) {
      if (input.error !== undefined) sink.file(unreadable(input.path, input.error));
      else await scanFile(input.path, plan, sink, plan.threads >= 2);
    }
  }
  return { files: discovery.files.length, missing: discovery.missing };
}
