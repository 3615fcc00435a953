import type { Match } from '../report/report.js';
import type { RecordFields } from '../record/source-record.js';
import type { TableSpec, WatchedField } from '../tables/table-specs.js';
import type { Ioc, IocSet } from './ioc-set.js';
import { readAddress, readUrlHost, type AddressText } from './ip-text.js';

// Matching IOCs against what records hold (docs/hits.md): which watched
// fields of a record hold an IOC IP and the port seen beside each
// (match-record.ts), and IOC IPs in the raw bytes of a record that could not
// be parsed (raw-text.ts).

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

/**
 * Finds one kind of IOC in a record's watched fields. The record verdict asks
 * each matcher of the plan in turn: another IOC kind (a domain, a hash) is
 * another small matcher, not another branch in the scan.
 */
export interface IocMatcher {
  match(fields: RecordFields, spec: TableSpec): MatchedIoc[];
}

/** How each kind of watched field holds an address. */
const ADDRESS_IN: Record<WatchedField['kind'], (value: string) => AddressText | null> = {
  address: readAddress,
  url: readUrlHost,
};

/** IOC IPs (with the port seen beside them) in address and URL fields. */
export class AddressMatcher implements IocMatcher {
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
    return ADDRESS_IN[watched.kind](value);
  }
}
