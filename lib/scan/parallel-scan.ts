import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import type { FileEntry } from '../report/report.js';
import type { ScanSink } from '../sink/scan-sink.js';
import type { ScanPlan } from '../plan/scan-plan.js';
import { scanFile, unreadable } from './scan-file.js';
import { eventSink, planToData, type FileJob, type PlanData, type WorkerEvent } from './worker-protocol.js';
import type { FilePlan } from './thread-plan.js';

// Several files at once, one per thread (the main thread and worker
// threads), within the `--jobs` thread budget (thread-plan.ts: a large file
// takes two, its scan and its hash). File entries and warnings reach the
// sink in input order, so the report does not depend on which thread
// finished first; hits go to the sink as they come (it puts them in the
// report's order itself), so a file's hits are never held here waiting for
// an earlier file to finish. A thread that dies leaves its file as an error entry of
// the report (the hits it had found before are kept); the other files are
// scanned on.

/** Scans one file at a time: the main thread itself, or a worker thread. */
interface Runner {
  start(job: FileJob): void;
}

/** The entry of a file whose thread died during its scan. */
function crashedEntry(path: string, error: unknown): FileEntry {
  const why = error instanceof Error ? error.message : String(error);
  return unreadable(path, `the scan of this file stopped: its thread failed (${why}); hits found before that are listed, the rest of the file was not searched`);
}

/**
 * The plan as a worker is handed it: made when the first worker starts, and
 * let go once as many workers run as can at once (with a large feed it is
 * tens of MB of JSON, held until then); a worker started after one died has
 * it made again.
 */
export class WorkerSetup {
  private data: PlanData | null = null;

  constructor(
    private readonly make: () => PlanData,
    /** Workers that can run at once. */
    private readonly most: number,
  ) {}

  /** The data for a worker starting now, beside `running` others. */
  take(running: number): PlanData {
    const data = this.data ?? this.make();
    this.data = running + 1 >= this.most ? null : data;
    return data;
  }
}

/** `inputs[i]` is a file to scan, or a ready entry (a path that could not be read). */
export async function scanInParallel(inputs: Array<FilePlan | FileEntry>, plan: ScanPlan, sink: ScanSink): Promise<void> {
  const jobs = plan.threads;
  const planned = (input: FilePlan | FileEntry): input is FilePlan => 'threads' in input;
  const held = new Map<number, WorkerEvent[]>();
  const done = new Set<number>();
  let flushed = 0;

  const replay = (event: WorkerEvent) => {
    if (event.kind === 'hit') sink.hit(event.hit, event.iocs.map((i) => plan.iocs.iocs[i]));
    else if (event.kind === 'file') sink.file(event.entry);
    else if (event.kind === 'warning') sink.warning(event.path, event.message);
  };
  const flush = () => {
    while (flushed < inputs.length) {
      const input = inputs[flushed];
      if (!planned(input)) sink.file(input);
      else if (done.has(flushed)) for (const event of held.get(flushed) ?? []) replay(event);
      else return;
      held.delete(flushed);
      flushed++;
    }
  };

  const queue = inputs.flatMap((input, index) => (planned(input) ? [{ index, path: input.path, threads: input.threads }] : []));
  const workers = new Set<Worker>();
  const running = new Map<Runner, { job: FileJob; threads: number }>();
  let free = jobs;

  await new Promise<void>((resolve) => {
    const hold = (event: WorkerEvent) => {
      const list = held.get(event.index) ?? [];
      list.push(event);
      held.set(event.index, list);
    };
    const finished = (runner: Runner, index: number) => {
      done.add(index);
      free += running.get(runner)!.threads;
      running.delete(runner);
      flush();
      pump();
    };
    const heard = (runner: Runner, event: WorkerEvent) => {
      if (event.kind === 'bytes') sink.bytesRead?.(event.count);
      else if (event.kind === 'hit') replay(event);
      else if (event.kind !== 'done') hold(event);
      else {
        idle.push(runner);
        finished(runner, event.index);
      }
    };
    // the runner is not used again; its file's entry says why it has no more
    const crashed = (runner: Runner, error: unknown) => {
      const current = running.get(runner);
      if (!current) return;
      const { index, path } = current.job;
      if (!(held.get(index) ?? []).some((event) => event.kind === 'file')) hold({ index, kind: 'file', entry: crashedEntry(path, error) });
      finished(runner, index);
    };
    // the main thread scans too: one thread of the budget, and no worker to start for it
    const local: Runner = {
      start(job) {
        const post = (event: WorkerEvent) => heard(local, event);
        void scanFile(job.path, plan, eventSink(job.index, plan.iocs.iocs, post), job.hashOnOwnThread).then(
          () => post({ index: job.index, kind: 'done' }),
          (error: unknown) => crashed(local, error),
        );
      },
    };
    const idle: Runner[] = [local];
    const setup = new WorkerSetup(() => planToData(plan), jobs - 1);
    const spawn = (): Runner => {
      const { script, options } = workerScript('file-worker');
      const worker = new Worker(script, { ...options, workerData: setup.take(workers.size) });
      const runner: Runner = { start: (job) => worker.postMessage(job) };
      worker.on('message', (event: WorkerEvent) => heard(runner, event));
      // what the worker posted before it died arrives before 'exit', so its file's hits are all held by then
      let failure: unknown = null;
      worker.on('error', (error) => {
        failure = error;
      });
      worker.on('exit', (code) => {
        workers.delete(worker);
        // a worker that died between files is never handed another
        if (idle.includes(runner)) idle.splice(idle.indexOf(runner), 1);
        crashed(runner, failure ?? new Error(`the thread exited with code ${code}`));
      });
      workers.add(worker);
      return runner;
    };
    // in input order: a large file waits for its two threads rather than being overtaken
    const pump = () => {
      while (queue.length > 0 && queue[0].threads <= free) {
        const { index, path, threads } = queue.shift()!;
        free -= threads;
        const runner = idle.pop() ?? spawn();
        const job = { index, path, hashOnOwnThread: threads === 2 };
        running.set(runner, { job, threads });
        runner.start(job);
      }
      if (queue.length === 0 && free === jobs) void Promise.all([...workers].map((w) => w.terminate())).then(() => resolve());
    };
    pump();
  });
  flush();
}
