import type { Match } from '../report/report.js';
import type { RecordFields } from '../record/source-record.js';
import type { TableSpec, WatchedField } from '../tables/table-specs.js';
import type { Ioc, IocSet } from './ioc-set.js';
import { readAddress, readAddressList, readTextAddresses, readUrlHost, type AddressText } from './ip-text.js';

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
  /** The unknown-table rule: IOCs that whole column values are, for a record no catalogued table names. */
  matchEveryColumn?(columns: Iterable<{ name: string; value: string }>): MatchedIoc[];
}

/** How each kind of watched field holds its addresses. */
const ADDRESSES_IN: Record<WatchedField['kind'], (value: string) => readonly AddressText[]> = {
  address: (value) => listOf(readAddress(value)),
  url: (value) => listOf(readUrlHost(value)),
  'address-list': readAddressList,
  'text-addresses': readTextAddresses,
};

function listOf(address: AddressText | null): readonly AddressText[] {
  return address ? [address] : [];
}

/** IOC IPs (with the port seen beside them) in a table's address columns: one match per column per IOC. */
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
      // The KQL compares with `in`, exact and case-sensitive: so does parity mode.
      const addresses = this.kqlParity ? [{ ip: value, port: null }] : ADDRESSES_IN[watched.kind](value);
      const columnPort = () => (watched.portColumn ? portOf(fields.get(watched.portColumn)) : null);
      this.collect(addresses, watched.name, columnPort, found);
    }
    return found;
  }

  /**
   * The unknown-table rule: every column of a record no catalogued table
   * names is read as one address value (never a list, never free text), so
   * only an exact value after the usual reduction is a hit.
   */
  matchEveryColumn(columns: Iterable<{ name: string; value: string }>): MatchedIoc[] {
    const found: MatchedIoc[] = [];
    for (const { name, value } of columns) this.collect(listOf(readAddress(value)), name, () => null, found);
    return found;
  }

  private collect(addresses: readonly AddressText[], field: string, columnPort: () => number | null, into: MatchedIoc[]): void {
    const start = into.length;
    for (const address of addresses) {
      const candidates = this.iocs.lookup(address.ip);
      if (!candidates) continue;
      // a port written into the value itself wins over the port column
      const port = address.port ?? columnPort();
      const ioc = pickIoc(candidates, port);
      if (into.some((m, i) => i >= start && m.ioc === ioc)) continue;
      into.push({ field, ip: ioc.ip, port, portMatch: port === null || ioc.port === null ? null : port === ioc.port, ioc });
    }
  }
}
