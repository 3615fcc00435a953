import type { Ioc } from '../matcher/ioc-set.js';
import type { Indicator, IndicatorMeta } from './indicator.js';
import type { IocRow } from './ioc-rows.js';

// Small pieces the loader uses to build the typed indicator list beside the
// address matcher's IOC set.

/** Counts by reason, in the order reasons first appear. */
export function tallyBy(reasons: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

/** A row's metadata as an indicator carries it. */
export function metaOf(row: IocRow): IndicatorMeta {
  return {
    threatType: row.threatType,
    malware: row.malware,
    confidence: row.confidence,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen ?? null,
    validFrom: row.validFrom ?? null,
    validUntil: row.validUntil ?? null,
    labels: row.labels ?? [],
    name: row.name ?? null,
    sourceId: row.sourceId ?? null,
  };
}

/** The built-in set as indicators: its two IPv4 ip:port IOCs. */
export function builtinIndicators(iocs: readonly Ioc[]): Indicator[] {
  return iocs.map((ioc) => ({
    kind: 'ipv4',
    value: ioc.ip,
    port: ioc.port,
    ...metaOf({ line: 0, value: ioc.value, type: 'ip:port', threatType: ioc.threatType, malware: ioc.malware, confidence: ioc.confidence, firstSeen: ioc.firstSeen }),
    sourceFile: 'built-in',
    line: 0,
  }));
}
