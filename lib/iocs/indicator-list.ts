import type { Ioc } from '../matcher/ioc-set.js';
import type { Indicator, IndicatorKind } from './indicator.js';

// Small pieces the loader uses beside the address matcher's IOC set: the
// typed indicator list is made from the set's IOCs when asked for, not kept
// as a second copy of every IOC (the CLI never asks; a feed of 100,000 IOCs
// made 100,000 more objects to collect).

/** Counts by reason, in the order reasons first appear. */
export function tallyBy(reasons: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

/** What an indicator says that its IOC does not carry; kept only for IOCs whose feed says it. */
export interface IndicatorExtras {
  labels: string[];
  name: string | null;
  /** The feed's id when the IOC cannot carry it (an empty id). */
  sourceId: string | null;
}

/** The indicator an IOC of the set is (the built-in set's: its IPv4 ip:port IOCs). */
export function indicatorOf(ioc: Ioc, extras: IndicatorExtras | undefined): Indicator {
  return {
    kind: ioc.kind ?? 'ipv4',
    value: ioc.ip,
    port: ioc.port,
    threatType: ioc.threatType,
    malware: ioc.malware,
    confidence: ioc.confidence,
    firstSeen: ioc.firstSeen,
    lastSeen: ioc.lastSeen ?? null,
    validFrom: ioc.validFrom ?? null,
    validUntil: ioc.validUntil ?? null,
    labels: extras?.labels ?? [],
    name: extras?.name ?? null,
    sourceId: extras ? extras.sourceId : (ioc.sourceId ?? null),
    sourceFile: ioc.sourceFile ?? 'built-in',
    line: ioc.line ?? 0,
  };
}

/**
 * The same kind, value and port seen once: each kind's values in a set of
 * their own, a value without port as itself (no key text made for it). No
 * canonical value holds a space, so `value port` is no other IOC's value.
 */
export class FirstSightings {
  private readonly byKind = new Map<IndicatorKind, Set<string>>();

  /** Whether this is the first time; it is remembered either way. */
  first(kind: IndicatorKind, value: string, port: number | null): boolean {
    let seen = this.byKind.get(kind);
    if (seen === undefined) {
      seen = new Set();
      this.byKind.set(kind, seen);
    }
    const key = port === null ? value : `${value} ${port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }
}

/**
 * One copy of each metadata text and label list a feed repeats (ThreatFox
 * writes the same threat type, malware, tags and often the same times on
 * thousands of lines; each line's copy kept made a 100,000-IOC export three
 * times the memory of its IOCs). Only while the feed is read.
 */
export class SharedTexts {
  private readonly texts = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();

  text(value: string | null): string | null {
    if (value === null) return null;
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    this.texts.set(value, value);
    return value;
  }

  /** The same labels in the same order are one list (never changed after: an indicator's labels are read only). */
  labels(list: string[]): string[] {
    if (list.length === 0) return list;
    // a label holds no NUL (feeds are text), so the joined key is no other list's
    const key = list.join('\u0000');
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    const own = list.map((label) => this.text(label) as string);
    this.lists.set(key, own);
    return own;
  }
}
