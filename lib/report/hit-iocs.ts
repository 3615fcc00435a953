import type { Hit, IocEntry, Match } from './report.js';

// Which IOC in force a match counts for, read back from the report alone:
// the IOC with the match's IP and its port, else the first with that IP
// (the matcher's own rule), so the page's per-IOC figures add up to
// `summary.perIoc`.

export function iocLabel(ioc: Pick<IocEntry, 'ip' | 'port' | 'kind'>): string {
  const kind = ioc.kind ?? 'ipv4';
  if (kind === 'ipv4') return ioc.port === null ? `${ioc.ip} (any port)` : `${ioc.ip}:${ioc.port}`;
  if (kind === 'ipv6') return ioc.port === null ? `${ioc.ip} (any port)` : `[${ioc.ip}]:${ioc.port}`;
  // a range, domain, URL or hash says what it is
  return `${kind} ${ioc.ip}${ioc.port === null ? '' : ` port ${ioc.port}`}`;
}

/** An IOC's validity as a hit shows it (--ioc-validity judges by it); empty when its feed gives none. */
export function iocValidity(ioc: Pick<IocEntry, 'validFrom' | 'validUntil' | 'lastSeen'>): string {
  const parts: string[] = [];
  if (ioc.validFrom) parts.push(`valid from ${ioc.validFrom}`);
  if (ioc.validUntil) parts.push(`valid until ${ioc.validUntil}`);
  else if (ioc.lastSeen) parts.push(`last seen ${ioc.lastSeen}`);
  return parts.join(', ');
}

/** Index into `iocs` of the IOC `match` counts for; -1 when none has its IP. */
export function iocIndexOf(match: Match, iocs: readonly IocEntry[]): number {
  let first = -1;
  for (let i = 0; i < iocs.length; i++) {
    if (iocs[i].ip !== match.ip) continue;
    if (iocs[i].port !== null && iocs[i].port === match.port) return i;
    if (first < 0) first = i;
  }
  return first;
}

/** The IOCs a hit counts for, each once (a record holding two counts for both). */
export function iocsOfHit(hit: Hit, iocs: readonly IocEntry[]): number[] {
  return [...new Set(hit.matches.map((m) => iocIndexOf(m, iocs)).filter((i) => i >= 0))];
}

/**
 * The report's title, from the IOCs in force: "PerlBot C2 hunt report" for
 * the built-in set, or an --iocs file naming one family; IOCs of several
 * families, or of none named, make an "IOC hunt report".
 */
export function reportTitle(iocs: readonly Pick<IocEntry, 'malware'>[]): string {
  const families = new Set(iocs.map((ioc) => ioc.malware?.trim()).filter((name): name is string => Boolean(name)));
  return families.size === 1 ? `${[...families][0]} C2 hunt report` : 'IOC hunt report';
}
