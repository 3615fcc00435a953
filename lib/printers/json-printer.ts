import type { Hit } from '../report/report.js';
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
 * The JSON report, written as JSON.stringify(report, null, 2) would write it
 * whole, but a hit at a time: the head is written with an empty `hits`, and
 * the hits go in its place, each indented as a member of that array.
 */
export async function* printJson(report: ReportStream): AsyncGenerator<string> {
  const text = JSON.stringify(withEmptyHits(report), null, 2);
  // the only top-level line with `"hits": []` (deeper keys are indented more; strings never hold a raw line break)
  const at = text.indexOf('\n  "hits": []') + '\n  "hits": ['.length;
  // the head is a piece of its own: with a large IOC set it is larger than a piece
  yield text.slice(0, at);
  const pieces = new Pieces();
  let first = true;
  for await (const hit of report.hits()) {
    const piece = pieces.add(`${first ? '\n' : ',\n'}    ${JSON.stringify(contractHit(hit), null, 2).replaceAll('\n', '\n    ')}`);
    first = false;
    if (piece !== null) yield piece;
  }
  yield `${pieces.take()}${first ? text.slice(at) : `\n  ${text.slice(at)}`}\n`;
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
