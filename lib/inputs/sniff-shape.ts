import type { FileFormat } from '../report/report.js';

// Sniffing an input: the shape of its content (CSV, a JSON array, a JSON
// object of records or of query tables, JSON lines) from its first bytes,
// whatever the file is called.

/** json-tables: a Log Analytics query answer, {"tables":[{"columns","rows"}]}. */
export type ContentShape = 'csv' | 'json-array' | 'json-records' | 'json-tables' | 'ndjson';

export function formatOfShape(shape: ContentShape): FileFormat {
  return shape === 'csv' ? 'csv' : shape === 'ndjson' ? 'ndjson' : 'json';
}

export function sniffShape(head: Buffer): ContentShape {
  // zero padding at the start is skipped by the reading (nul-runs.ts), so it is no sign of the shape
  let from = 0;
  while (from < head.length && (head[from] === 0 || head[from] === 0x0a || head[from] === 0x0d)) from++;
  const text = head.toString('utf8', from, Math.min(head.length, from + 4096)).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json-array';
  if (trimmed.startsWith('{')) {
    if (/^\{\s*"records"\s*:\s*\[/.test(trimmed)) return 'json-records';
    // a query answer opens with its table list (Azure Data Explorer capitalises it)
    return /^\{\s*"tables"\s*:\s*\[/i.test(trimmed) ? 'json-tables' : 'ndjson';
  }
  // A damaged first line must not turn JSON lines into "CSV": look at the next lines too.
  const lines = trimmed.split('\n').slice(1, 11).filter((l) => l.trim() !== '');
  const objects = lines.filter((l) => l.trimStart().startsWith('{')).length;
  return lines.length > 0 && objects * 2 > lines.length ? 'ndjson' : 'csv';
}
