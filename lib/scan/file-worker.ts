import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions } from '../options/scan-options.js';
import { IocSet, type Ioc } from '../matcher/ioc-set.js';
import { ExclusionSet, type ExclusionRule, type FieldDefinition } from '../exclusions/exclusion-set.js';
import { RecordMatcher } from '../matcher/match-record.js';
import { RawIocSearch } from '../matcher/raw-text.js';
import type { SetProvenance } from '../report/report.js';
import { scanFile } from './scan-file.js';
import { eventSink, type FileJob, type WorkerEvent } from './parallel-scan.js';

// One file at a time on this thread, everything it finds posted back to the
// main thread, which hands it to the real sink in the order of the inputs.

export interface WorkerSetup {
  options: ScanOptions;
  iocs: { iocs: Ioc[]; provenance: SetProvenance };
  exclusions: { rules: ExclusionRule[]; fields: Map<string, FieldDefinition>; origin: string; provenance: SetProvenance };
}

const setup = workerData as WorkerSetup;
const iocs = new IocSet(setup.iocs.iocs, setup.iocs.provenance);
const exclusions = new ExclusionSet(setup.exclusions.rules, setup.exclusions.fields, setup.exclusions.origin, setup.exclusions.provenance);
const context = { options: setup.options, iocs, exclusions, matcher: new RecordMatcher(iocs, setup.options.kqlParity), search: new RawIocSearch(iocs), hashBeside: false };

parentPort!.on('message', async ({ index, path, hashBeside }: FileJob) => {
  const post = (event: WorkerEvent) => parentPort!.postMessage(event);
  await scanFile(path, { ...context, hashBeside }, eventSink(index, iocs.iocs, post));
  post({ index, kind: 'done' });
});
