import type { FileEntry, Hit } from '../report/report.js';
import type { ScanSink } from '../sink/scan-sink.js';
import { IocSet, type Ioc, type IocSetData } from '../matcher/ioc-set.js';
import { ExclusionSet, type ExclusionSetData } from '../exclusions/exclusion-set.js';
import { choicesOf, scanPlan, type PlanChoices, type ScanPlan } from '../plan/scan-plan.js';

// Everything the main thread and a file worker say to each other: the plan a
// worker starts with, the file jobs it is sent, the events it posts back.
// Only plain data crosses (structured clone); classes are made again on the
// far side.

/** The plan as plain data (the worker's `workerData`): its choices, the IOC and exclusion sets as data, no paths. */
export type PlanData = Omit<PlanChoices, 'paths' | 'allFiles' | 'iocs' | 'exclusions'> & {
  iocs: IocSetData;
  exclusions: ExclusionSetData;
};

/** A worker scans files, never names inputs: the paths stay behind. */
export function planToData(plan: ScanPlan): PlanData {
  const choices = choicesOf(plan);
  return {
    iocs: choices.iocs.toData(),
    exclusions: choices.exclusions.toData(),
    kqlParity: choices.kqlParity,
    iocValidity: choices.iocValidity,
    table: choices.table,
    window: { since: choices.window.since, until: choices.window.until },
    fullParse: choices.fullParse,
    threads: choices.threads,
  };
}

export function planFromData(data: PlanData): ScanPlan {
  return scanPlan({ ...data, paths: [], iocs: IocSet.fromData(data.iocs), exclusions: ExclusionSet.fromData(data.exclusions) });
}

/** One file for a worker to scan. */
export interface FileJob {
  index: number;
  path: string;
  /** Hash on a thread of its own (the budget gave it two threads). */
  hashOnOwnThread: boolean;
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

/** Set only by tests: a worker given a file whose path ends with this text fails as a crashed thread would. */
export const CRASH_HOOK = 'PERLBOT_HUNT_TEST_WORKER_CRASH';
