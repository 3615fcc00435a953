import { contextOf } from '../../tables/table-context.js';
import type { Hit } from '../../report/report.js';
import { Pieces, type ReportHead, type ReportStream } from '../../report/report-stream.js';
import { hitSentence, InputDigests, ipAddress, isoDate, matchFacts, NO_TIME, portNumber, type MatchFacts } from './hit-facts.js';
import { KIND_NAMES } from './indicator-kinds.js';

// `--format ecs`: one Elastic Common Schema document per hit, one a line.
// An IP- or number-typed field gets a value only when the log's text is one
// (a hostile or odd value would make Elasticsearch refuse the whole
// document, hiding the hit); the text is then still in `message`.
// perlbot-hunt's own facts (file, line, suppression) are under `perlbot_hunt`,
// a name ECS leaves free for custom fields.

export const ECS_VERSION = '8.17.0';

type Doc = Record<string, unknown>;

/** Sets `path` (dotted) in `doc` to `value`, making the objects on the way; undefined and null are left out. */
function put(doc: Doc, path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const keys = path.split('.');
  let at = doc;
  for (const key of keys.slice(0, -1)) {
    if (at[key] === undefined) at[key] = {};
    at = at[key] as Doc;
  }
  at[keys[keys.length - 1]] = value;
}

/** ECS's None/Low/Medium/High scale for a 0–100 confidence, as STIX 2.1 maps it (appendix A). */
export function confidenceScale(confidence: number | null): string {
  if (confidence === null) return 'Not Specified';
  if (confidence === 0) return 'None';
  return confidence < 30 ? 'Low' : confidence < 70 ? 'Medium' : 'High';
}

function enrichment(facts: MatchFacts, head: ReportHead, feed: string | undefined): Doc {
  const names = KIND_NAMES[facts.kind];
  const out: Doc = {};
  put(out, 'indicator.type', names.stixType);
  put(out, `indicator.${names.ecsIndicatorField}`, names.ecsIndicatorField === 'ip' ? ipAddress(facts.value) : facts.value);
  put(out, 'indicator.port', facts.ioc?.port);
  put(out, 'indicator.provider', feed);
  put(out, 'indicator.confidence', confidenceScale(facts.ioc?.confidence ?? null));
  put(out, 'indicator.first_seen', isoDate(facts.ioc?.firstSeen));
  put(out, 'matched.atomic', facts.value);
  put(out, 'matched.field', facts.match.field ?? undefined);
  put(out, 'matched.type', 'indicator_match_rule');
  put(out, 'matched.occurred', head.finishedAt);
  return out;
}

/** Where the IOCs came from: the run's IOC set (`built-in` or the feed files), or each merged report's. */
export function feedName(head: ReportHead): string | undefined {
  const origins = head.run ? [head.run.iocSet.origin] : (head.merge?.reports ?? []).flatMap((r) => (r.run ? [r.run.iocSet.origin] : []));
  const unique = [...new Set(origins)];
  return unique.length === 0 ? undefined : unique.map((o) => (o === 'built-in' ? 'perlbot-hunt built-in (ThreatFox PerlBot)' : o)).join(', ');
}

export function ecsDocument(hit: Hit, head: ReportHead, digests: InputDigests, feed: string | undefined): Doc {
  const facts = matchFacts(hit, head.iocs);
  const context = contextOf(hit);
  const active = hit.suppressedBy === null;
  const doc: Doc = {};
  put(doc, '@timestamp', hit.time ?? NO_TIME);
  put(doc, 'message', hitSentence(hit, facts, context));
  put(doc, 'ecs.version', ECS_VERSION);
  // an active hit is a detection to look at; a suppressed one is context a rule explained away
  put(doc, 'event.kind', active ? 'alert' : 'enrichment');
  put(doc, 'event.category', ['network', 'threat']);
  put(doc, 'event.type', ['connection', 'indicator']);
  put(doc, 'event.dataset', hit.table);
  put(doc, 'event.module', 'perlbot-hunt');
  put(doc, 'event.action', context.action);
  put(doc, 'host.name', context.device);
  put(doc, 'observer.vendor', context.vendor);
  put(doc, 'observer.product', context.product);
  put(doc, 'source.ip', ipAddress(context.sourceIp));
  put(doc, 'source.port', portNumber(context.sourcePort));
  put(doc, 'destination.ip', ipAddress(context.destinationIp));
  put(doc, 'destination.port', portNumber(context.destinationPort));
  for (const f of facts) {
    const field = KIND_NAMES[f.kind].ecsEventField;
    if (field !== null) put(doc, field, f.value);
  }
  put(doc, 'process.name', context.process);
  put(doc, 'process.parent.name', context.parentProcess);
  put(doc, 'user.name', context.user);
  put(doc, 'log.file.path', hit.file);
  put(doc, 'threat.feed.name', feed);
  put(doc, 'threat.enrichments', facts.map((f) => enrichment(f, head, feed)));
  put(doc, 'tags', [active ? 'active' : 'suppressed', ...(hit.malformed ? ['malformed'] : [])]);
  put(doc, 'perlbot_hunt', {
    file: hit.file,
    line: hit.line,
    record: hit.record,
    sha256: digests.of(hit),
    time: hit.time,
    ...(hit.time === null ? { timeText: hit.timeText ?? null } : {}),
    suppressedBy: hit.suppressedBy,
    malformed: hit.malformed,
    matches: hit.matches,
    fields: hit.fields,
    ...(hit.report !== undefined ? { report: hit.report } : {}),
  });
  return doc;
}

export async function* printEcs(report: ReportStream): AsyncGenerator<string> {
  const digests = new InputDigests(report.head);
  const feed = feedName(report.head);
  const pieces = new Pieces();
  for await (const hit of report.hits()) {
    const piece = pieces.add(`${JSON.stringify(ecsDocument(hit, report.head, digests, feed))}\n`);
    if (piece !== null) yield piece;
  }
  yield pieces.take();
}
