import type { Match } from '../report/report.js';
import type { RecordFields } from '../readers/source-record.js';
import type { TableSpec, WatchedField } from '../tables/table-specs.js';
import type { Ioc, IocSet } from './ioc-set.js';
import { readAddress, readUrlHost, type AddressText } from './ip-text.js';

// Decides whether one record is a hit (docs/hits.md): which watched fields
// hold an IOC IP, and the port seen beside each.

export interface MatchedIoc extends Match {
  ioc: Ioc;
}

function portOf(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port <= 65535 ? port : null;
}

/** Several IOCs may share an IP with different ports: prefer the one whose port was seen. */
function pickIoc(candidates: readonly Ioc[], port: number | null): Ioc {
  return candidates.find((ioc) => ioc.port !== null && ioc.port === port) ?? candidates[0];
}

export class RecordMatcher {
  constructor(
    private readonly iocs: IocSet,
    private readonly kqlParity: boolean,
  ) {}

  fieldsFor(spec: TableSpec): readonly WatchedField[] {
    return this.kqlParity ? spec.watched.filter((w) => w.parity) : spec.watched;
  }

  match(fields: RecordFields, spec: TableSpec): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const watched of this.fieldsFor(spec)) {
      const value = fields.get(watched.column);
      if (value === null) continue;
      const address = this.read(value, watched);
      if (!address) continue;
      const candidates = this.iocs.lookup(address.ip);
      if (!candidates) continue;
      // a port written into the value itself wins over the port column
      const port = address.port ?? (watched.portColumn ? portOf(fields.get(watched.portColumn)) : null);
      const ioc = pickIoc(candidates, port);
      found.push({
        field: watched.name,
        ip: ioc.ip,
        port,
        portMatch: port === null || ioc.port === null ? null : port === ioc.port,
        ioc,
      });
    }
    return found;
  }

  private read(value: string, watched: WatchedField): AddressText | null {
    // The KQL compares with `in`, exact and case-sensitive: so does parity mode.
    if (this.kqlParity) return { ip: value, port: null };
    return watched.kind === 'url' ? readUrlHost(value) : readAddress(value);
  }
}
