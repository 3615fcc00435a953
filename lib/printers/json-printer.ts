import type { Hit, IocEntry } from '../report/report.js';
import { PerIocList } from '../report/summary.js';
import { Pieces, type ReportStream } from '../report/report-stream.js';
import { contextOf } from '../tables/table-context.js';
import { fileToJson, hitToJson, runToJson } from '../report/json-paths.js';

// A hit's `context` (who, where, which appliance) is written after `fields`
// with the same keys for every table, a key left out when the record does
// not say (docs/output.md); `report` stays last, where merged reports have it.

/** A hit with the keys docs/output.md lists, in its order, and no others (a path that is not UTF-8: report/json-paths.ts). */
export function contractHit(hit: Hit): Hit {
  const { context: _context, report, ...rest } = hit;
  return hitToJson(report === undefined ? { ...rest, context: contextOf(hit) } : { ...rest, context: contextOf(hit), report });
}

/** The head's keys with `hits` after `summary`, where the report has always had it. */
function withEmptyHits(report: ReportStream): Record<string, unknown> {
  const shape: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(report.head)) {
    shape[key] = key === 'files' ? report.head.files.map(fileToJson) : key === 'run' && report.head.run ? runToJson(report.head.run) : value;
    if (key === 'summary') shape.hits = [];
  }
  return shape;
}

/**
 * Members of one JSON.stringify call: many (one call per member made 100,000
 * IOCs cost half a second), but few enough that the text of a batch of IOC
 * entries (about 300 characters each) stays under V8's large-object size
 * (128 KiB): larger texts are allocated apart and freed only by a full
 * collection, and 1,000 at a time left 20 MB of them to the peak RSS.
 */
const BATCH = 250;

/** A list written BATCH members at a time: an array, or the summary's per-IOC counts made as they are read. */
function isList(value: unknown): value is Iterable<unknown> & { length: number } {
  return Array.isArray(value) || value instanceof PerIocList;
}

/**
 * A list's members as JSON.stringify(report, null, 2) writes them when the
 * list is at this depth (1: a member of the report), each as `entry` gives
 * it, a piece at a time: BATCH members at a time go through one
 * JSON.stringify.
 */
function* arrayMembers<T>(items: Iterable<T>, depth: number, entry: (item: T) => unknown = (item) => item): Generator<string> {
  // The batch is put inside `depth` arrays, so that JSON.stringify indents its members as deep as
  // they stand in the report, and only the brackets around them are cut off (re-indenting the text
  // after was a third of the time).
  const open = Array.from({ length: depth + 1 }, (_, level) => `${'  '.repeat(level)}[\n`).join('').length;
  const close = Array.from({ length: depth + 1 }, (_, level) => `\n${'  '.repeat(level)}]`).join('').length;
  let first = true;
  const piece = (batch: unknown[]) => {
    let nested: unknown = batch;
    for (let level = 0; level < depth; level++) nested = [nested];
    const text = JSON.stringify(nested, null, 2);
    const start = first ? '\n' : ',\n';
    first = false;
    return `${start}${text.slice(open, text.length - close)}`;
  };
  let batch: unknown[] = [];
  for (const item of items) {
    batch.push(entry(item));
    if (batch.length === BATCH) {
      yield piece(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield piece(batch);
}

/** A plain data object (no toJSON, no class): written key by key as JSON.stringify writes it. */
function isPlainData(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value);
}

/**
 * A value as JSON.stringify(report, null, 2) writes it at this depth, in
 * pieces: a long array a BATCH of members at a time, and an object holding
 * one (the summary's `perIoc`, an entry for each IOC in force) a member at a
 * time, so that no piece is the text of 100,000 entries.
 */
function* valuePieces(value: unknown, depth: number): Generator<string> {
  const indent = '  '.repeat(depth);
  if (isList(value) && value.length > BATCH) {
    yield '[';
    yield* arrayMembers(value, depth);
    yield `\n${indent}]`;
  } else if (isPlainData(value) && Object.values(value).some((member) => isList(member) && member.length > BATCH)) {
    // JSON.stringify leaves out a member whose value is undefined, a function or a symbol
    const keys = Object.keys(value).filter((key) => value[key] !== undefined && typeof value[key] !== 'function' && typeof value[key] !== 'symbol');
    yield '{';
    for (const [i, key] of keys.entries()) {
      yield `${i === 0 ? '' : ','}\n${indent}  ${JSON.stringify(key)}: `;
      yield* valuePieces(value[key], depth + 1);
    }
    yield `\n${indent}}`;
  } else {
    yield pretty(value).replaceAll('\n', `\n${indent}`);
  }
}

const pretty = (value: unknown) => JSON.stringify(value ?? null, null, 2);

/**
 * The JSON report, written as JSON.stringify(report, null, 2) would write it
 * whole, but a member at a time, and an array's members a piece at a time:
 * the hits as they stream in, and the IOCs in force, the files and the
 * summary's count for each IOC too (a feed of 100,000 IOCs is a head of tens
 * of MB, never held as one string).
 */
export async function* printJson(report: ReportStream): AsyncGenerator<string> {
  const head = withEmptyHits(report);
  const keys = Object.keys(head).filter((key) => head[key] !== undefined);
  yield '{\n';
  for (const [i, key] of keys.entries()) {
    const value = head[key];
    yield `${i === 0 ? '' : ',\n'}  ${JSON.stringify(key)}: `;
    if (key === 'hits') {
      yield '[';
      const pieces = new Pieces();
      let first = true;
      for await (const hit of report.hits()) {
        const piece = pieces.add(`${first ? '\n' : ',\n'}    ${pretty(contractHit(hit)).replaceAll('\n', '\n    ')}`);
        first = false;
        if (piece !== null) yield piece;
      }
      yield `${pieces.take()}${first ? ']' : '\n  ]'}`;
    } else if (Array.isArray(value) && value.length > 0) {
      yield '[';
      yield* arrayMembers(value, 1, key === 'iocs' ? (ioc: IocEntry) => report.iocEntry(ioc) : undefined);
      yield '\n  ]';
    } else {
      yield* valuePieces(value, 1);
    }
  }
  yield '\n}\n';
}

/** One hit per line, the JSON report's `hits` entries, for `--format ndjson`. */
export async function* printNdjson(report: ReportStream): AsyncGenerator<string> {
  const pieces = new Pieces();
  for await (const hit of report.hits()) {
    const piece = pieces.add(`${JSON.stringify(contractHit(hit))}\n`);
    if (piece !== null) yield piece;
  }
  yield pieces.take();
}
