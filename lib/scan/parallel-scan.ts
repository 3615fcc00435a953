import { Worker } from 'node:worker_threads';
import { workerScript } from '../assets/assets.js';
import type { FileEntry, Hit } from '../report/report.js';
import type { ScanSink } from '../sink/scan-sink.js';
import type { ScanContext } from './scan-file.js';
import type { WorkerSetup } from './file-worker.js';

// Several files at once, one per worker thread, so a sweep of many exports
// uses every core. What the workers find reaches the sink in input order, so
// the report does not depend on which thread finished first.

export interface FileJob {
  index: number;
  path: string;
}

export type WorkerEvent =
  | { index: number; kind: 'hit'; hit: Hit; iocs: number[] }
  | { index: number; kind: 'file'; entry: FileEntry }
  | { index: number; kind: 'warning'; path: string; message: string }
  | { index: number; kind: 'bytes'; count: number }
  | { index: number; kind: 'done' };

/** `inputs[i]` is a path to scan, or a ready entry (a path that could not be read). */
export async function scanInParallel(inputs: Array<string | FileEntry>, context: ScanContext, sink: ScanSink, jobs: number): Promise<void> {
  const setup: WorkerSetup = {
    options: context.options,
    iocs: { iocs: [...context.iocs.iocs], provenance: context.iocs.provenance },
    exclusions: { rules: [...context.exclusions.rules], fields: new Map(context.exclusions.fieldMap), origin: context.exclusions.origin, provenance: context.exclusions.provenance },
  };
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
      if (typeof input !== 'string') sink.file(input);
      else if (done.has(flushed)) for (const event of held.get(flushed) ?? []) replay(event);
      else return;
      held.delete(flushed);
      flushed++;
    }
  };

  const queue = inputs.flatMap((input, index) => (typeof input === 'string' ? [{ index, path: input }] : []));
  const threads = Math.min(jobs, queue.length);
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<void>((resolve, reject) => {
        const { script, options } = workerScript('file-worker');
        const worker = new Worker(script, { ...options, workerData: setup });
        const next = () => {
          const job = queue.shift();
          if (job) worker.postMessage(job);
          else void worker.terminate().then(() => resolve());
        };
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
          flush();
          next();
        });
        worker.on('error', reject);
        next();
      }),
    ),
  );
  flush();
}
