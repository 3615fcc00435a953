import type { IndicatorKind } from '../../iocs/indicator.js';
import { canonicalIp } from '../../iocs/indicator.js';
import { describeActors } from '../../report/hit-context.js';
import { contextOf } from '../../tables/table-context.js';
import { iocIndexOf, iocLabel } from '../../report/hit-iocs.js';
import type { Hit, HitContext, IocEntry, Match } from '../../report/report.js';
import type { ReportHead } from '../../report/report-stream.js';
import { matchedValue } from './indicator-kinds.js';

// What the hand-off formats (timesketch, ecs, splunk, stix) read from a hit
// and the report's head, read the same way for all four: the IOC each match
// counts for, the input's SHA-256, the time, and the hit in one sentence.
// Only what the hit carries is used; nothing is guessed from text.

/** The time written for a hit whose record had no time that could be resolved (the original is in `timeText`). */
export const NO_TIME = '1970-01-01T00:00:00.000Z';

export interface MatchFacts {
  match: Match;
  kind: IndicatorKind;
  value: string;
  /** The IOC in force the match counts for; null only in a report whose `iocs` lack it. */
  ioc: IocEntry | null;
}

export function matchFacts(hit: Hit, iocs: readonly IocEntry[]): MatchFacts[] {
  return hit.matches.map((match) => {
    const index = iocIndexOf(match, iocs);
    return { match, ...matchedValue(match), ioc: index < 0 ? null : iocs[index] };
  });
}

/** `179.43.139.84:443`, or the match's own value when no IOC in force names it. */
export function iocText(facts: MatchFacts): string {
  return facts.ioc ? `${facts.ioc.ip}${facts.ioc.port === null ? '' : `:${facts.ioc.port}`}` : facts.value;
}

/**
 * Each input's SHA-256 by path (and, in a merged report, by the report it was
 * scanned for, as two machines' paths can be the same); one entry per input.
 */
export class InputDigests {
  private readonly byInput = new Map<string, string | null>();

  constructor(head: ReportHead) {
    for (const file of head.files) this.byInput.set(InputDigests.key(file.report, file.path), file.sha256);
  }

  of(hit: Hit): string | null {
    return this.byInput.get(InputDigests.key(hit.report, hit.file)) ?? null;
  }

  private static key(report: string | undefined, path: string): string {
    return `${report ?? ''}\u0000${path}`;
  }
}

/** The column a hit's time was read from: the Defender tables' `Timestamp` when the hit holds one, else `TimeGenerated`. */
export function timeColumn(hit: Hit): string | null {
  if (hit.time === null) return null;
  return hit.fields.Timestamp ? 'Timestamp' : 'TimeGenerated';
}

/** A port as a number (0–65535), or undefined when the text is not one. */
export function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text.trim());
  return port <= 65535 ? port : undefined;
}

/** An IP address as text an IP-typed field accepts, or undefined: a log value is not trusted to be one. */
export function ipAddress(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return canonicalIp(text)?.value;
}

/** An IOC's first-seen date as ISO 8601 UTC, or undefined when the feed's text is not a date (a zone-less time is UTC). */
export function isoDate(text: string | null | undefined): string | undefined {
  const t = text?.trim().replace(' ', 'T');
  if (!t || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function end(ip: string | undefined, port: string | undefined): string {
  return `${ip ?? '?'}${port ? `:${port}` : ''}`;
}

/**
 * The hit in one sentence, for a timeline's message column:
 * `[suppressed by backup-rsync-tar] fw-01: 10.0.0.5:50000 -> 179.43.139.84:443
 * matched IOC 179.43.139.84:443 in DestinationIP (process perl, action accept);
 * CommonSecurityLog, csl.csv:2`.
 */
export function hitSentence(hit: Hit, facts: readonly MatchFacts[], context: HitContext = contextOf(hit)): string {
  const status = hit.malformed ? '[malformed record] ' : hit.suppressedBy !== null ? `[suppressed by ${hit.suppressedBy}] ` : '';
  const device = context.device ?? 'unnamed device';
  const flow = context.sourceIp || context.destinationIp ? ` ${end(context.sourceIp, context.sourcePort)} -> ${end(context.destinationIp, context.destinationPort)}` : '';
  const found = facts.map((f) => `${f.ioc ? iocLabel(f.ioc) : f.value} in ${f.match.field ?? 'the raw text'}`).join(', ');
  const actors = describeActors(context);
  return `${status}${device}:${flow} matched IOC ${found}${actors ? ` (${actors})` : ''}; ${hit.table}, ${hit.file}:${hit.line}`;
}
