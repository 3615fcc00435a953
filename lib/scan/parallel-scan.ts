import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import type { FileEntry, Hit } from '../report/report.js';
import type { ScanSink } from '../sink/scan-sink.js';
import type { ScanContext } from './scan-file.js';
import type { WorkerSetup } from './file-worker.js';
import type { FilePlan } from './thread-plan.js';

// Several files at once, one per worker thread, within the `--jobs` thread
// budget (thread-plan.ts: a large file takes two, its scan and its hash).
// What the workers find reaches the sink in input order, so the report does
// not depend on which thread finished first.

export interface FileJob {
  index: number;
  path: string;
  /** Hash on a thread of its own (the budget gave it two threads). */
  hashBeside: boolean;
}

export type WorkerEvent =
  | { index: number; kind: 'hit'; hit: Hit; iocs: number[] }
  | { index: number; kind: 'file'; entry: FileEntry }
  | { index: number; kind: 'warning'; path: string; message: string }
  | { index: number; kind: 'bytes'; count: number }
  | { index: number; kind: 'done' };

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
  const idle: Worker[] = [];
  const threadsOf = new Map<Worker, number>();
  let free = jobs;

  await new Promise<void>((resolve, reject) => {
    const spawn = (): Worker => {
      const { script, options } = workerScript('file-worker');
      const worker = new Worker(script, { ...options, workerData: setup });
      worker.on('message', (event: WorkerEvent) => {
        if (event.kind === 'bytes') {
          sink.bytesRead?.(event.count);
          return;
        }
        if (event.kind !== 'done') {
          const list = held.get(event.index) ?? [];
          list.push(event);
          held.set(event.index, list);
          return;
        }
        done.add(event.index);
        free += threadsOf.get(worker)!;
        idle.push(worker);
        flush();
        pump();
      });
      worker.on('error', reject);
      workers.push(worker);
      return worker;
    };
    // in input order: a large file waits for its two threads rather than being overtaken
    const pump = () => {
      while (queue.length > 0 && queue[0].threads <= free) {
        const { index, path, threads } = queue.shift()!;
        free -= threads;
        const worker = idle.pop() ?? spawn();
        threadsOf.set(worker, threads);
        worker.postMessage({ index, path, hashBeside: threads === 2 } satisfies FileJob);
      }
      if (queue.length === 0 && free === jobs) void Promise.all(workers.map((w) => w.terminate())).then(() => resolve());
    };
    pump();
  });
  flush();
}
