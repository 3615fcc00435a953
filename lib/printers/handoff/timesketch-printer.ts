import { matchText } from '../csv-printer.js';
import { contextOf } from '../../tables/table-context.js';
import type { Hit } from '../../report/report.js';
import { Pieces, type ReportStream } from '../../report/report-stream.js';
import { hitSentence, InputDigests, iocText, matchFacts, NO_TIME, timeColumn } from './hit-facts.js';
import { KIND_NAMES } from './indicator-kinds.js';

// `--format timesketch`: JSON lines Timesketch imports as they are (its
// three mandatory fields, message, datetime and timestamp_desc, on every
// line), the rest flat, one line per hit in the report's order.

/** What each time column means, in the words of Microsoft's table reference. */
const TIME_MEANING: Record<string, string> = {
  TimeGenerated: 'Time Generated',
  Timestamp: 'Event Recorded',
};
const NO_TIME_DESC = 'No Time Recorded';

/**
 * ISO 8601 with microseconds and offset (`2026-05-21T09:14:37.123456+00:00`).
 * The report keeps milliseconds; the microseconds come from the time column's
 * own text when it is ISO 8601 and agrees with the report's time to the
 * millisecond, else they are 000.
 */
export function timesketchTime(hit: Hit): string {
  const time = hit.time ?? NO_TIME;
  const column = timeColumn(hit);
  const text = column === null ? null : hit.fields[column];
  const own = text ? /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})\.(\d{3})(\d{1,3})?\d*(Z|[+-]00:?00)?$/.exec(text.trim()) : null;
  const agrees = own !== null && `${own[1]}T${own[2]}.${own[3]}Z` === time;
  const micro = agrees && own[4] ? own[4].padEnd(3, '0') : '000';
  return `${time.slice(0, 23)}${micro}+00:00`;
}

function line(hit: Hit, report: ReportStream, digests: InputDigests): Record<string, unknown> {
  const facts = matchFacts(hit, report.head.iocs);
  const context = contextOf(hit);
  const first = facts[0];
  const column = timeColumn(hit);
  return {
    message: hitSentence(hit, facts, context),
    datetime: timesketchTime(hit),
    timestamp_desc: column === null ? NO_TIME_DESC : TIME_MEANING[column],
    ...(hit.time === null ? { timeText: hit.timeText ?? null } : {}),
    timeColumn: column,
    ioc: first ? iocText(first) : null,
    iocType: first ? KIND_NAMES[first.kind].stixType : null,
    threatType: first?.ioc?.threatType ?? null,
    malware: first?.ioc?.malware ?? null,
    confidence: first?.ioc?.confidence ?? null,
    matchedColumn: first?.match.field ?? null,
    matchedValue: first?.value ?? null,
    port: first?.match.port ?? null,
    portMatch: first?.match.portMatch ?? null,
    matches: hit.matches.map(matchText).join(';'),
    table: hit.table,
    device: context.device ?? null,
    user: context.user ?? null,
    process: context.process ?? null,
    parentProcess: context.parentProcess ?? null,
    sourceIp: context.sourceIp ?? null,
    sourcePort: context.sourcePort ?? null,
    destinationIp: context.destinationIp ?? null,
    destinationPort: context.destinationPort ?? null,
    action: context.action ?? null,
    file: hit.file,
    line: hit.line,
    record: hit.record,
    sha256: digests.of(hit),
    suppressedBy: hit.suppressedBy,
    malformed: hit.malformed,
    ...(hit.report !== undefined ? { report: hit.report } : {}),
    tag: [hit.suppressedBy !== null ? 'suppressed' : 'active', ...(hit.malformed ? ['malformed'] : [])],
  };
}

export async function* printTimesketch(report: ReportStream): AsyncGenerator<string> {
  const digests = new InputDigests(report.head);
  const pieces = new Pieces();
  for await (const hit of report.hits()) {
    const piece = pieces.add(`${JSON.stringify(line(hit, report, digests))}\n`);
    if (piece !== null) yield piece;
  }
  yield pieces.take();
}
