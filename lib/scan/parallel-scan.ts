import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import type { FileEntry, Hit } from '../report/report.js';
import type { ScanSink } from '../sink/scan-sink.js';
import { scanFile, type ScanContext } from './scan-file.js';
import type { Ioc } from '../matcher/ioc-set.js';
import type { WorkerSetup } from './file-worker.js';
import type { FilePlan } from './thread-plan.js';

// Several files at once, one per thread (the main thread and worker
// threads), within the `--jobs` thread budget (thread-plan.ts: a large file
// takes two, its scan and its hash). File entries and warnings reach the
// sink in input order, so the report does not depend on which thread
// finished first; hits go to the sink as they come (it puts them in the
// report's order itself), so a file's hits are never held here waiting for
// an earlier file to finish.

export interface FileJob {
  index: number;
  path: string;
  /** Hash on a thread of its own (the budget gave it two threads). */
  hashBeside: boolean;
}

/** Scans one file at a time: the main thread itself, or a worker thread. */
interface Runner {
  start(job: FileJob): void;
}

export type WorkerEvent =
  | { index: number; kind: 'hit'; hit: Hit; iocs: number[] }
  | { index: number; kind: 'file'; entry: FileEntry }
  | { index: number; kind: 'warning'; path: string; message: string }
  | { index: number; kind: 'bytes'; count: number }
  | { index: number; kind: 'done' };

/** A sink that turns what one file's scan finds into events (a worker posts them to the main thread). */
export function eventSink(index: number, iocs: readonly Ioc[], post: (event: WorkerEvent) => void): ScanSink {
  return {
    hit: (hit, found) => post({ index, kind: 'hit', hit, iocs: found.map((ioc) => iocs.indexOf(ioc)) }),
    file: (entry) => post({ index, kind: 'file', entry }),
    warning: (path, message) => post({ index, kind: 'warning', path, message }),
    bytesRead: (count) => post({ index, kind: 'bytes', count }),
  };
}

/** `inputs[i]` is a file to scan, or a ready entry (a path that could not be read). */
export async function scanInParallel(inputs: Array<FilePlan | FileEntry>, context: ScanContext, sink: ScanSink, jobs: number): Promise<void> {
  const setup: WorkerSetup = {
    options: context.options,
    iocs: { iocs: [...context.iocs.iocs], provenance: context.iocs.provenance },
    exclusions: { rules: [...context.exclusions.rules], fields: new Map(context.exclusions.fieldMap), origin: context.exclusions.origin, provenance: context.exclusions.provenance },
  };
  const planned = (input: FilePlan | FileEntry): input is FilePlan => 'threads' in input;
  const held = new Map<number, WorkerEvent[]>();
  const done = new Set<number>();
  let flushed = 0;

  const replay = (event: WorkerEvent) => {
    if (event.kind === 'hit') sink.hit(event.hit, event.iocs.map((i) => context.iocs.iocs[i]));
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
  const workers: Worker[] = [];
  const threadsOf = new Map<Runner, number>();
  let free = jobs;

  await new Promise<void>((resolve, reject) => {
    const heard = (runner: Runner, event: WorkerEvent) => {
      if (event.kind === 'bytes') {
        sink.bytesRead?.(event.count);
        return;
      }
      if (event.kind === 'hit') {
        replay(event);
        return;
      }
      if (event.kind !== 'done') {
        const list = held.get(event.index) ?? [];
        list.push(event);
        held.set(event.index, list);
        return;
      }
      done.add(event.index);
      free += threadsOf.get(runner)!;
      idle.push(runner);
      flush();
      pump();
    };
    // the main thread scans too: one thread of the budget, and no worker to start for it
    const local: Runner = {
      start(job) {
        const post = (event: WorkerEvent) => heard(local, event);
        void scanFile(job.path, { ...context, hashBeside: job.hashBeside }, eventSink(job.index, context.iocs.iocs, post)).then(() => post({ index: job.index, kind: 'done' }), reject);
      },
    };
    const idle: Runner[] = [local];
    const spawn = (): Runner => {
      const { script, options } = workerScript('file-worker');
      const worker = new Worker(script, { ...options, workerData: setup });
      const runner: Runner = { start: (job) => worker.postMessage(job) };
      worker.on('message', (event: WorkerEvent) => heard(runner, event));
      worker.on('error', reject);
      workers.push(worker);
      return runner;
    };
    // in input order: a large file waits for its two threads rather than being overtaken
    const pump = () => {
      while (queue.length > 0 && queue[0].threads <= free) {
        const { index, path, threads } = queue.shift()!;
        free -= threads;
        const runner = idle.pop() ?? spawn();
        threadsOf.set(runner, threads);
        runner.start({ index, path, hashBeside: threads === 2 });
      }
      if (queue.length === 0 && free === jobs) void Promise.all(workers.map((w) => w.terminate())).then(() => resolve());
    };
    pump();
  });
  flush();
}
