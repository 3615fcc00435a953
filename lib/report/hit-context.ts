import type { HitContext } from './report.js';
import type { RecordFields } from '../record/source-record.js';

// A hit's `fields` keep only the KQL projection (the report's evidence
// columns, docs/output.md). The responder also wants the appliance that
// logged it, the source port, the process and its parent, the user: these
// are read from the whole record once, while it is still at hand (through
// the table catalogue's context columns), so printers never need the record
// itself. Every printer shows the same context keys, in this order, whatever
// the table.

/** The context's keys, in the order every format shows them (the CSV's context columns). */
export const CONTEXT_COLUMNS = ['device', 'vendor', 'product', 'sourceIp', 'sourcePort', 'destinationIp', 'destinationPort', 'process', 'parentProcess', 'user', 'action'] as const satisfies ReadonlyArray<keyof HitContext>;

/** Only the context keys, only text: a report read back for `merge` may have been edited by anyone. */
export function knownContext(context: unknown): HitContext {
  const out: HitContext = {};
  if (typeof context !== 'object' || context === null) return out;
  for (const key of CONTEXT_COLUMNS) {
    const value: unknown = (context as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

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

/** Who did what, in words: `product Fortinet FortiGate, process perl, parent cron, user root, action accept`. */
export function describeActors(context: HitContext): string {
  const parts: string[] = [];
  const made = [context.vendor, context.product].filter((part) => part !== undefined).join(' ');
  if (made) parts.push(`product ${made}`);
  if (context.process) parts.push(`process ${context.process}`);
  if (context.parentProcess) parts.push(`parent ${context.parentProcess}`);
  if (context.user) parts.push(`user ${context.user}`);
  if (context.action) parts.push(`action ${context.action}`);
  return parts.join(', ');
}
