import { createHash } from 'node:crypto';
import type { IndicatorKind } from '../../iocs/indicator.js';
import type { IocEntry } from '../../report/report.js';
import type { ReportHead, ReportStream } from '../../report/report-stream.js';
import { iocText, isoDate, matchFacts, type MatchFacts } from './hit-facts.js';
import { KIND_NAMES } from './indicator-kinds.js';

// `--format stix`: the hunt's findings as a STIX 2.1 bundle, for the
// intelligence platform that gave the IOCs: one `sighting` per IOC that hit
// and per table, counting its hits, pointing at the feed's own indicator
// when the IOC came with a STIX id, else at an indicator made here, and
// sighted by an `identity` standing for this triage run. Hits are read once
// and only counted: what is held grows with IOCs times tables, never with hits.

/** perlbot-hunt's UUID v5 namespace: the same IOC or run always gets the same id. */
const NAMESPACE = '4d0c9f53-6a3e-4f0a-9b8e-2f6c1b7a5e21';
/** A STIX sighting's count stops here (the spec's bound). */
const MAX_COUNT = 999_999_999;
const STIX_INDICATOR_ID = /^indicator--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

/** RFC 4122 version 5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace = NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface Tally {
  facts: MatchFacts;
  table: string;
  count: number;
  suppressed: number;
  first: string | null;
  last: string | null;
}

/** A string in a STIX pattern: quotes and backslashes escaped. */
function quoted(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The STIX pattern of an IOC: its value, and with a port the connection to it (as ThreatFox writes ip:port). */
export function stixPattern(kind: IndicatorKind, value: string, port: number | null): string {
  const names = KIND_NAMES[kind];
  if (port === null) return `[${names.stixPath} = ${quoted(value)}]`;
  if (kind === 'ipv4' || kind === 'ipv6') {
    return `[network-traffic:dst_ref.type = ${quoted(names.stixType)} AND network-traffic:dst_ref.value = ${quoted(value)} AND network-traffic:dst_port = ${port}]`;
  }
  return `[${names.stixPath} = ${quoted(value)}]`;
}

/** The id a sighting points at: the feed's own STIX indicator, or one made here from the IOC's value. */
function indicatorRef(facts: MatchFacts): { id: string; made: boolean } {
  const sourceId = facts.ioc?.sourceId;
  if (sourceId !== undefined && STIX_INDICATOR_ID.test(sourceId)) return { id: sourceId, made: false };
  return { id: `indicator--${uuidV5(`${facts.kind} ${facts.value} ${facts.ioc?.port ?? ''}`)}`, made: true };
}

function madeIndicator(id: string, facts: MatchFacts, head: ReportHead): Record<string, unknown> {
  const ioc: Partial<IocEntry> = facts.ioc ?? {};
  // the same IOC gives the same object on every run when its feed dates it
  const stamp = isoDate(ioc.firstSeen) ?? head.startedAt;
  const labels = [ioc.threatType, ioc.malware].filter((l): l is string => Boolean(l));
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: stamp,
    modified: stamp,
    name: iocText(facts),
    indicator_types: ['malicious-activity'],
    pattern: stixPattern(facts.kind, facts.value, ioc.port ?? null),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: stamp,
    ...(labels.length > 0 ? { labels } : {}),
    ...(typeof ioc.confidence === 'number' ? { confidence: ioc.confidence } : {}),
  };
}

export async function* printStix(report: ReportStream): AsyncGenerator<string> {
  const { head } = report;
  const tallies = new Map<string, Tally>();
  for await (const hit of report.hits()) {
    // a record holding two IOCs is a sighting of each
    const seen = new Set<string>();
    for (const facts of matchFacts(hit, head.iocs)) {
      const key = `${iocText(facts)}\u0000${facts.kind}\u0000${hit.table}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let tally = tallies.get(key);
      if (tally === undefined) {
        tally = { facts, table: hit.table, count: 0, suppressed: 0, first: null, last: null };
        tallies.set(key, tally);
      }
      tally.count++;
      if (hit.suppressedBy !== null) tally.suppressed++;
      if (hit.time !== null) {
        if (tally.first === null || hit.time < tally.first) tally.first = hit.time;
        if (tally.last === null || hit.time > tally.last) tally.last = hit.time;
      }
    }
  }
  const run = {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuidV5(`run ${head.tool.version} ${head.startedAt} ${head.finishedAt}`)}`,
    created: head.finishedAt,
    modified: head.finishedAt,
    name: `perlbot-hunt triage run started ${head.startedAt}`,
    identity_class: 'system',
  };
  const indicators = new Map<string, Record<string, unknown>>();
  const sightings: Array<Record<string, unknown>> = [];
  for (const tally of tallies.values()) {
    const ref = indicatorRef(tally.facts);
    if (ref.made && !indicators.has(ref.id)) indicators.set(ref.id, madeIndicator(ref.id, tally.facts, head));
    const active = tally.count - tally.suppressed;
    sightings.push({
      type: 'sighting',
      spec_version: '2.1',
      // two IOCs of one feed indicator (`ip1:443 OR ip2:443`) are two sightings of it
      id: `sighting--${uuidV5(`${run.id} ${tally.facts.kind} ${iocText(tally.facts)} ${tally.table}`)}`,
      created: head.finishedAt,
      modified: head.finishedAt,
      description: `${iocText(tally.facts)} in ${tally.table}: ${tally.count} hit${tally.count === 1 ? '' : 's'}, ${active} active, ${tally.suppressed} suppressed by exclusions`,
      sighting_of_ref: ref.id,
      where_sighted_refs: [run.id],
      count: Math.min(tally.count, MAX_COUNT),
      ...(tally.first !== null ? { first_seen: tally.first, last_seen: tally.last } : {}),
      x_perlbot_hunt_table: tally.table,
      x_perlbot_hunt_active: active,
      x_perlbot_hunt_suppressed: tally.suppressed,
    });
  }
  const bundle = {
    type: 'bundle',
    id: `bundle--${uuidV5(`bundle ${run.id}`)}`,
    objects: [run, ...indicators.values(), ...sightings],
  };
  yield `${JSON.stringify(bundle, null, 2)}\n`;
}
