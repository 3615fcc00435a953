import { parentPort, workerData } from 'node:worker_threads';
import { scanFile } from './scan-file.js';
import { CRASH_HOOK, eventSink, planFromData, type FileJob, type PlanData, type WorkerEvent } from './worker-protocol.js';

// One file at a time on this thread, everything it finds posted back to the
// main thread, which hands it to the real sink in the order of the inputs.

const data = workerData as PlanData;
const plan = planFromData(data);
// the IOCs' JSON is read: let it go (with a large feed it is tens of MB, as much again as the IOCs)
data.iocs = { ...data.iocs, iocs: '' };
const crashOn = process.env[CRASH_HOOK];

parentPort!.on('message', async ({ index, path, hashOnOwnThread }: FileJob) => {
  const post = (event: WorkerEvent) => parentPort!.postMessage(event);
  if (crashOn && path.endsWith(crashOn)) throw new Error(`${CRASH_HOOK} (a test) crashed this thread`);
  await scanFile(path, plan, eventSink(index, plan.iocs.iocs, post), hashOnOwnThread);
  post({ index, kind: 'done' });
});
