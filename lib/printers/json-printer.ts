import type { Report } from '../report/report.js';

export function printJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One hit per line, as CONTRACT.md §5 gives for `--format ndjson`. */
export function printNdjson(report: Report): string {
  return report.hits.map((hit) => `${JSON.stringify(hit)}\n`).join('');
}
