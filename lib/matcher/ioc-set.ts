import { createHash } from 'node:crypto';
import { dataFile } from '../assets/assets.js';
import type { IocEntry, IocKind, IocSetRecord } from '../report/report.js';
import { IocIndex } from './ioc-index.js';

export interface Ioc extends IocEntry {
  /** The IOC as written in the source, for messages. */
  value: string;
}

/** An IOC's kind: an entry without one is an IPv4 address (the built-in set). */
export function kindOf(ioc: Pick<IocEntry, 'kind'>): IocKind {
  return ioc.kind ?? 'ipv4';
}

/** The IOCs in force, of every kind; addresses indexed by IP for the per-field lookup. */
export class IocSet {
  readonly iocs: readonly Ioc[];
  private readonly byIp = new IocIndex<string, Ioc>();

  constructor(
    iocs: readonly Ioc[],
    /** Where the IOCs came from, recorded in the JSON report's `run`. */
    readonly provenance: IocSetRecord = { origin: 'unspecified', sha256: null },
  ) {
    this.iocs = iocs;
    for (const ioc of iocs) {
      const kind = kindOf(ioc);
      if (kind !== 'ipv4' && kind !== 'ipv6') continue;
      this.byIp.add(ioc.ip, ioc);
    }
  }

  /** The IOCs of these kinds, in set order. */
  ofKinds(...kinds: IocKind[]): Ioc[] {
    return this.iocs.filter((ioc) => kinds.includes(kindOf(ioc)));
  }

  /** The IOCs whose IP is exactly `ip` (already normalised), or undefined. */
  lookup(ip: string): readonly Ioc[] | undefined {
    return this.byIp.get(ip);
  }

  /** The IPv4 and IPv6 addresses of address IOCs. */
  get ips(): string[] {
    return [...this.byIp.keys()];
  }

  /**
   * Plain data a worker thread can be handed, and back. The IOCs go as one
   * JSON text: a structured clone of 100,000 small objects costs four times
   * a JSON round trip. Made anew on each call, not kept (tens of MB with a
   * large feed): a scan makes it once for all its workers.
   */
  toData(): IocSetData {
    return { iocs: JSON.stringify(this.iocs), provenance: this.provenance };
  }

  static fromData(data: IocSetData): IocSet {
    return new IocSet(JSON.parse(data.iocs) as Ioc[], data.provenance);
  }
}

export interface IocSetData {
  /** The IOCs, as JSON. */
  iocs: string;
  provenance: IocSetRecord;
}

interface IocFileEntry {
  ioc: string;
  threatType?: string;
  malware?: string;
  confidence?: number;
  firstSeen?: string;
}

/** `ip:port` or a bare `ip`; defanged dots (`[.]`) accepted as the seed writes them. */
export function parseIocValue(text: string): { ip: string; port: number | null } | null {
  const clean = text.trim().replace(/\[\.\]/g, '.');
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(clean);
  if (!m) return null;
  if (m[1].split('.').some((o) => Number(o) > 255)) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && port > 65535) return null;
  return { ip: m[1], port };
}

export function iocSetFromData(data: { iocs: IocFileEntry[] }, origin: string, provenance?: IocSetRecord): IocSet {
  const iocs = data.iocs.map((entry, i) => {
    const parsed = parseIocValue(entry.ioc);
    if (!parsed) throw new Error(`${origin}: entry ${i + 1}: "${entry.ioc}" is not an ip or ip:port`);
    return {
      value: entry.ioc,
      ip: parsed.ip,
      port: parsed.port,
      threatType: entry.threatType ?? null,
      malware: entry.malware ?? null,
      confidence: entry.confidence ?? null,
      firstSeen: entry.firstSeen ?? null,
    };
  });
  return new IocSet(iocs, provenance ?? { origin, sha256: null });
}

export function builtinIocSet(): IocSet {
  const bytes = dataFile('iocs.json');
  // hashed as stored, so the digest can be checked against the shipped file
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return iocSetFromData(JSON.parse(bytes.toString('utf8')), 'built-in IOC set', { origin: 'built-in', sha256 });
}
