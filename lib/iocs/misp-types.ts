import type { Expectation } from './indicator.js';

// MISP attribute types this tool reads, and what each value is. A composite
// type (`ip-dst|port`, `domain|ip`, `filename|sha256`) holds two values
// joined by `|`: the address and port become one ip:port IOC, a domain|ip
// gives two IOCs, a filename|hash gives the hash (the file name is kept as
// a label). Other types (email addresses, registry keys, comments, links…)
// are no IOC kind of ours: null, counted under their type.

export interface MispValue {
  value: string;
  expect: Expectation;
  /** Extra labels the value carries (the file name of a filename|hash). */
  labels: string[];
}

const SIMPLE: Record<string, Expectation> = {
  'ip-dst': 'address',
  'ip-src': 'address',
  domain: 'domain',
  hostname: 'domain',
  url: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
};

const FILE_HASH: Record<string, Expectation> = { 'filename|md5': 'md5', 'filename|sha1': 'sha1', 'filename|sha256': 'sha256' };

/** The IOC values of one attribute; null for a type no IOC kind covers. */
export function mispValues(type: string, value: string): MispValue[] | null {
  const t = type.toLowerCase();
  const simple = SIMPLE[t];
  if (simple) return [{ value, expect: simple, labels: [] }];
  const bar = value.lastIndexOf('|');
  // without its `|`, the value is read whole and refused as not what its type says
  const left = bar < 0 ? value : value.slice(0, bar);
  const right = bar < 0 ? value : value.slice(bar + 1);
  if (t === 'ip-dst|port' || t === 'ip-src|port') {
    if (bar < 0) return [{ value, expect: 'address', labels: [] }];
    const host = left.includes(':') && !left.startsWith('[') ? `[${left}]` : left;
    return [{ value: `${host}:${right}`, expect: 'address', labels: [] }];
  }
  if (t === 'domain|ip') {
    if (bar < 0) return [{ value, expect: 'domain', labels: [] }];
    return [
      { value: left, expect: 'domain', labels: [] },
      { value: right, expect: 'address', labels: [] },
    ];
  }
  const hash = FILE_HASH[t];
  if (hash) return [{ value: right, expect: hash, labels: bar < 0 ? [] : [`filename:${left}`] }];
  return null;
}

/**
 * MISP writes to_ids as true/false in JSON, 1/0 in CSV (some tools `True`,
 * `"1"`). An export that does not say (no such key or column) sets nothing
 * aside: only a stated false does.
 */
export function toIdsOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value ?? '').trim().toLowerCase();
  return !(text === '0' || text === 'false');
}
