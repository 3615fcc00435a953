import type { Hit, Report } from '../report/report.js';

// `context` is for the text report only: docs/output.md fixes the hit's keys,
// and tooling that reads them should see the same keys for every table. The
// columns it is read from are in the input at `file:line` for whoever needs them.

/** A hit with the keys docs/output.md lists, and no others. */
export function contractHit(hit: Hit): Hit {
  const { context: _context, ...rest } = hit;
  return rest;
}

export function printJson(report: Report): string {
  // spreading keeps the key order: the documented keys, then `run` last
  return `${JSON.stringify({ ...report, hits: report.hits.map(contractHit) }, null, 2)}\n`;
}

/** One hit per line, the JSON report's `hits` entries, for `--format ndjson`. */
export function printNdjson(report: Report): string {
  return report.hits.map((hit) => `${JSON.stringify(contractHit(hit))}\n`).join('');
}
