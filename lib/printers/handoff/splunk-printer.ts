import { contextOf } from '../../tables/table-context.js';
import type { Hit } from '../../report/report.js';
import { Pieces, type ReportHead, type ReportStream } from '../../report/report-stream.js';
import { InputDigests, ipAddress, iocText, matchFacts, NO_TIME, portNumber } from './hit-facts.js';
import { KIND_NAMES } from './indicator-kinds.js';

// `--format splunk`: one HTTP Event Collector event a line, as the HEC
// `/services/collector/event` endpoint takes them (several in one request
// body): `time` (epoch seconds, milliseconds kept), `host`, `source` (the
// input), `sourcetype`, and the hit in `event` under Common Information
// Model names, then the hit's own keys as the JSON report has them.

export const SOURCETYPE = 'perlbot-hunt:hit';

type Event = Record<string, unknown>;

function set(event: Event, key: string, value: unknown): void {
  if (value !== undefined && value !== null) event[key] = value;
}

export function splunkEvent(hit: Hit, head: ReportHead, digests: InputDigests): Event {
  const facts = matchFacts(hit, head.iocs);
  const context = contextOf(hit);
  const event: Event = {};
  // CIM Network Traffic / Intrusion Detection names
  set(event, 'src_ip', ipAddress(context.sourceIp));
  set(event, 'src_port', portNumber(context.sourcePort));
  set(event, 'dest_ip', ipAddress(context.destinationIp));
  set(event, 'dest_port', portNumber(context.destinationPort));
  set(event, 'dvc', context.device);
  set(event, 'action', context.action);
  set(event, 'user', context.user);
  set(event, 'process_name', context.process);
  set(event, 'parent_process_name', context.parentProcess);
  set(event, 'vendor_product', [context.vendor, context.product].filter(Boolean).join(' ') || undefined);
  for (const f of facts) {
    const field = KIND_NAMES[f.kind].cimField;
    if (field !== null) set(event, field, f.value);
  }
  set(event, 'threat_match_value', facts.map((f) => f.value));
  set(event, 'threat_match_field', facts.map((f) => f.match.field ?? 'raw'));
  set(event, 'ioc', facts.map(iocText));
  set(event, 'threat_type', facts[0]?.ioc?.threatType);
  set(event, 'malware', facts[0]?.ioc?.malware);
  set(event, 'confidence', facts[0]?.ioc?.confidence);
  set(event, 'sha256', digests.of(hit));
  // the hit as the JSON report has it
  const { context: _context, ...own } = hit;
  return { ...event, ...own, status: hit.suppressedBy === null ? 'active' : 'suppressed' };
}

/** Epoch seconds with the milliseconds as decimals (`1780045477.123`). */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

export async function* printSplunk(report: ReportStream): AsyncGenerator<string> {
  const digests = new InputDigests(report.head);
  const pieces = new Pieces();
  for await (const hit of report.hits()) {
    const context = contextOf(hit);
    const line = {
      time: epochSeconds(hit.time ?? NO_TIME),
      ...(context.device ? { host: context.device } : {}),
      source: hit.file,
      sourcetype: SOURCETYPE,
      event: splunkEvent(hit, report.head, digests),
    };
    const piece = pieces.add(`${JSON.stringify(line)}\n`);
    if (piece !== null) yield piece;
  }
  yield pieces.take();
}
