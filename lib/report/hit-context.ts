import type { HitContext } from './report.js';
import type { RecordFields } from '../record/source-record.js';

// A hit's `fields` keep only the KQL projection (the report's evidence
// columns, docs/output.md). The responder reading the text report also wants the source port,
// the process and its parent, the user: this reads them from the whole record
// once, while it is still at hand, so printers never need the record itself.

/** A hit's projection `fields` read through the RecordFields interface. */
export function projectionFields(projection: Readonly<Record<string, string | null>>): RecordFields {
  const byColumn = new Map<string, { name: string; value: string | null }>();
  for (const [name, value] of Object.entries(projection)) byColumn.set(name.toLowerCase(), { name, value });
  return {
    get: (column) => byColumn.get(column)?.value ?? null,
    sourceName: (column) => byColumn.get(column)?.name ?? null,
    has: (column) => byColumn.has(column),
    columns: () => ({ columns: [...byColumn.values()].flatMap(({ name, value }) => (value === null ? [] : [{ name, value }])), cut: null }),
  };
}

/** Who did what, in words: `process perl, parent cron, user root, action ConnectionSuccess`. */
export function describeActors(context: HitContext): string {
  const parts: string[] = [];
  if (context.process) parts.push(`process ${context.process}`);
  if (context.parentProcess) parts.push(`parent ${context.parentProcess}`);
  if (context.user) parts.push(`user ${context.user}`);
  if (context.action) parts.push(`action ${context.action}`);
  return parts.join(', ');
}
