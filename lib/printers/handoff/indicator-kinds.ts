import type { IndicatorKind } from '../../iocs/indicator.js';
import type { Match } from '../../report/report.js';

// The one place that says what a match's IOC value is and how each hand-off
// format names it: a match carries its IOC's value (`ip`) and kind (`kind`,
// absent for IPv4); each kind's row below says where it goes, so a new kind
// is one more row and no printer changes.

export interface KindNames {
  /** STIX 2.1 cyber-observable type, and ECS `threat.*.indicator.type` (ECS uses the STIX names). */
  stixType: string;
  /** Where ECS puts the value inside `threat.enrichments[].indicator`. */
  ecsIndicatorField: string;
  /** Where ECS puts the value in the event itself; null when the event's own columns say it (addresses: source/destination). */
  ecsEventField: string | null;
  /** The Splunk CIM field holding the value; null when the event's own columns say it (src_ip, dest_ip). */
  cimField: string | null;
  /** The STIX object path a pattern compares the value with. */
  stixPath: string;
}

export const KIND_NAMES: Record<IndicatorKind, KindNames> = {
  ipv4: { stixType: 'ipv4-addr', ecsIndicatorField: 'ip', ecsEventField: null, cimField: null, stixPath: 'ipv4-addr:value' },
  ipv6: { stixType: 'ipv6-addr', ecsIndicatorField: 'ip', ecsEventField: null, cimField: null, stixPath: 'ipv6-addr:value' },
  cidr: { stixType: 'ipv4-addr', ecsIndicatorField: 'ip', ecsEventField: null, cimField: null, stixPath: 'ipv4-addr:value' },
  domain: { stixType: 'domain-name', ecsIndicatorField: 'url.domain', ecsEventField: 'url.domain', cimField: 'url_domain', stixPath: 'domain-name:value' },
  url: { stixType: 'url', ecsIndicatorField: 'url.full', ecsEventField: 'url.full', cimField: 'url', stixPath: 'url:value' },
  md5: { stixType: 'file', ecsIndicatorField: 'file.hash.md5', ecsEventField: 'file.hash.md5', cimField: 'file_hash', stixPath: "file:hashes.'MD5'" },
  sha1: { stixType: 'file', ecsIndicatorField: 'file.hash.sha1', ecsEventField: 'file.hash.sha1', cimField: 'file_hash', stixPath: "file:hashes.'SHA-1'" },
  sha256: { stixType: 'file', ecsIndicatorField: 'file.hash.sha256', ecsEventField: 'file.hash.sha256', cimField: 'file_hash', stixPath: "file:hashes.'SHA-256'" },
};

/** The IOC value a match found, and its kind. */
export function matchedValue(match: Match): { kind: IndicatorKind; value: string } {
  // `kind` is absent for IPv4 (and in reports made before kinds were matched, where a colon means IPv6)
  return { kind: match.kind ?? (match.ip.includes(':') ? 'ipv6' : 'ipv4'), value: match.ip };
}
