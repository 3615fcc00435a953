import { discoverInputs } from '../inputs/discover.js';
import type { ScanSink } from '../sink/scan-sink.js';
import type { ScanPlan } from '../plan/scan-plan.js';
import { scanFile, skippedFile, unreadable } from './scan-file.js';
import { oneAtATime, planFiles } from './thread-plan.js';

// The scan: every input a plan names, each file read and its records judged,
// on as many threads as the plan allows, everything found handed to one sink
// in the order of the inputs.

export interface ScanOutcome {
  /** Files handed to the sink, readable or not. */
  files: number;
  /** Named paths that did not exist and matched nothing. */
  missing: number;
  /** Named paths that gave no file to read: missing, a glob matching nothing, a folder holding no export. */
  gaveNothing: number;
}

/** Every input the plan names, in order, into the sink. */
export async function scan(plan: ScanPlan, sink: ScanSink): Promise<ScanOutcome> {
  const discovery = await discoverInputs(plan.paths, { allFiles: plan.allFiles });
  const readable = discovery.files.filter((f) => f.error === undefined && f.skipped === undefined);
  sink.inputs?.(readable.map((f) => f.path));
  const files = await planFiles(plan.threads, readable.map((f) => f.path));
  if (!oneAtATime(plan.threads, files)) {
    let next = 0;
    // loaded only for a run that shares files out: it brings the worker machinery with it
    const { scanInParallel } = await import('./parallel-scan.js');
    await scanInParallel(discovery.files.map((f) => (f.skipped !== undefined ? skippedFile(f.path, f.skipped) : f.error === undefined ? files[next++] : unreadable(f.path, f.error))), plan, sink);
  } else {
    for (const input of discovery.files) {
      if (input.skipped !== undefined) sink.file(skippedFile(input.path, input.skipped));
      else if (input.error !== undefined) sink.file(unreadable(input.path, input.error));
      else await scanFile(input.path, plan, sink, plan.threads >= 2);
    }
  }
  return { files: discovery.files.length, missing: discovery.missing, gaveNothing: discovery.gaveNothing };
}
