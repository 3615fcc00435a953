import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import ipaddr from 'ipaddr.js';
import { ROOT } from '../helpers.js';
import {
  AFTER_BACKSLASH, AUTHORITY, BARE_URL_HOST, BEFORE_AT, CANONICAL_IPV4, DIGIT_RUNS, DIRECTORY_OR_EXE, DOMAIN_SHAPE, HOST, IPV6_HOST, LIST_ITEM, LOOSE_HOST, SCHEMED, TRIM, UNWRAP, URL_HOST, USERINFO, ZONE,
} from '../../lib/kql/kql-functions.js';
import { tableCatalogue } from '../../lib/tables/catalogue.js';

// What the --emit kql tests share: the queries of an emitted text by table,
// Microsoft's own KQL parser and semantic checker (Kusto.Language) against
// the catalogued tables' documented schemas, and KQL's functions run in
// JavaScript on the same regular expressions as the queries (twins of
// lib/kql/kql-functions.ts), to hold them against the scan's own reading.

// copies of ../shared (see test/data/shared/README.md): a clean clone tests without it
export const SHARED = join(ROOT, 'test', 'data', 'shared');

/** The queries of an --emit kql text, by table. */
export function hunts(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(/^\/\/ Hunt in /m).slice(1)) {
    const table = part.slice(0, part.indexOf('\n'));
    out[table] = part.slice(table.length + 1).trim();
  }
  return out;
}

export const CATALOGUED = tableCatalogue().tables.map((t) => t.name);

/**
 * `name type` lines of a table's schema file, as a Kusto schema text: the
 * seed's two tables from shared/corpus/schemas (documented types), the other
 * catalogued tables from test/data/tables/schemas (documented columns; types
 * other than the time column marked string, see each file's header).
 */
function schema(table: string): string {
  const seedSchema = join(SHARED, 'corpus', 'schemas', `${table}.txt`);
  const path = table === 'CommonSecurityLog' || table === 'DeviceNetworkEvents' ? seedSchema : join(ROOT, 'test', 'data', 'tables', 'schemas', `${table}.txt`);
  const lines = readFileSync(path, 'utf8').split('\n');
  const columns = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/));
  return `(${columns.map(([name, type]) => `['${name}']:${type}`).join(', ')})`;
}

export interface Diagnostic {
  severity: string;
  message: string;
  at: number;
}

/**
 * Kusto.Language's parse-and-analyse of each query, run on a worker thread
 * (the library is a Bridge.NET build that installs globals), against a
 * database holding the two tables with their documented columns.
 */
export function analyse(queries: string[]): Promise<Diagnostic[][]> {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@kusto/language-service-next/package.json'));
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    require(workerData.dir + '/bridge.min.js');
    require(workerData.dir + '/Kusto.Language.Bridge.min.js');
    const K = globalThis.Kusto.Language;
    const S = K.Symbols;
    const tables = workerData.tables.map(([name, schema]) => new S.TableSymbol.$ctor7(name, schema, null));
    const globals = K.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor('db', tables));
    parentPort.postMessage(workerData.queries.map((query) => {
      const diagnostics = K.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
      const out = [];
      for (let i = 0; i < diagnostics.Count; i++) {
        const d = diagnostics.getItem(i);
        out.push({ severity: String(d.Severity), message: d.Message, at: d.Start });
      }
      return out;
    }));`;
  const tables = CATALOGUED.map((t) => [t, schema(t)]);
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { dir, tables, queries } });
    worker.once('message', (result: Diagnostic[][]) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}

// --- KQL's functions, run in JavaScript on the same regular expressions ---

/** KQL replace_regex: every match replaced, `\N` in the rewrite for group N (empty when it did not take part). */
export function replaceRegex(source: string, pattern: string, rewrite: string): string {
  return source.replace(new RegExp(pattern, 'g'), (...m: unknown[]) => rewrite.replace(/\\(\d)/g, (_, d: string) => (m[Number(d)] as string | undefined) ?? ''));
}
export function extract(pattern: string, group: number, source: string): string {
  return new RegExp(pattern).exec(source)?.[group] ?? '';
}
export function trim(pattern: string, source: string): string {
  return source.replace(new RegExp(`^(?:${pattern})`), '').replace(new RegExp(`(?:${pattern})$`), '');
}
export const kql = {
  unwrap: (v: string) => replaceRegex(trim(TRIM, v), UNWRAP, '\\1\\2\\3'),
  host: (h: string) => replaceRegex(h, HOST, '\\1\\2'),
  address: (v: string) => kql.host(kql.unwrap(kql.unwrap(v))),
  urlHost: (u: string) => kql.host(replaceRegex(extract(AUTHORITY, 1, kql.unwrap(kql.unwrap(u))), USERINFO, '')),
  baseName: (v: string) => replaceRegex(trim(TRIM, v), DIRECTORY_OR_EXE, ''),
  accountNames: (value: string) => {
    const v = trim(TRIM, value).toLowerCase();
    return [v, extract(AFTER_BACKSLASH, 1, v), extract(BEFORE_AT, 1, v)];
  },
  // the other kinds (kql-functions.ts, from ioc_value on)
  value: (v: string) => kql.unwrap(kql.unwrap(v)),
  ipv4: (a: string) => (new RegExp(CANONICAL_IPV4).test(a) ? a : ''),
  ipv6: (host: string) => {
    const h = replaceRegex(replaceRegex(host, IPV6_HOST, '\\1\\2'), ZONE, '');
    return h.includes(':') && ipv6InRanges(h, ['::ffff:0:0/96']) === false ? h : '';
  },
  urlAuthority: (u: string) => replaceRegex(extract(AUTHORITY, 1, kql.unwrap(kql.unwrap(u))), USERINFO, ''),
  listItems: (v: string) => [...extractAll(DIGIT_RUNS, v), ...extractAll(LIST_ITEM, v), ''],
  textItems: (v: string) => [...extractAll(DIGIT_RUNS, v), ''],
  domain: (host: string) => {
    const h = host.replace(/\.$/, '').toLowerCase();
    return h.length <= 253 && new RegExp(DOMAIN_SHAPE).test(h) ? h : '';
  },
  hostDomain: (v: string) => kql.domain(kql.unwrap(kql.unwrap(v))),
  urlDomain: (url: string) => {
    const v = kql.unwrap(kql.unwrap(url));
    const strict = v.length > 2048 || /\s/.test(v) ? '' : kql.domain(new RegExp(SCHEMED).test(v) ? extract(URL_HOST, 1, v) : extract(BARE_URL_HOST, 1, v));
    return strict !== '' ? strict : kql.domain(kql.unwrap(kql.unwrap(extract(LOOSE_HOST, 1, v))));
  },
  urlText: (url: string) => {
    const v = kql.unwrap(kql.unwrap(url));
    return v.length <= 2048 ? v : '';
  },
};

/** KQL extract_all with one group: each match's group. */
export function extractAll(pattern: string, source: string): string[] {
  return [...source.matchAll(new RegExp(pattern, 'g'))].map((m) => m[1]);
}

/**
 * KQL ipv6_is_in_any_range, by ipaddr.js (the scan's own IPv6 reader: the
 * twin tests the text the query hands to KQL, not KQL's parser): null when
 * the address is no IPv6 or IPv4 address.
 */
export function ipv6InRanges(address: string, ranges: readonly string[]): boolean | null {
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.parse(address);
  const v6 = parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6) : (parsed as ipaddr.IPv4).toIPv4MappedAddress();
  return ranges.some((range) => {
    const [network, prefix] = range.split('/');
    return v6.match(ipaddr.IPv6.parse(network), Number(prefix));
  });
}

/** KQL ipv4_is_in_any_range: null when the address is none. */
export function ipv4InRanges(address: string, ranges: readonly string[]): boolean | null {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return null;
  return ranges.some((range) => ipaddr.IPv4.parse(address).match(ipaddr.parseCIDR(range) as [ipaddr.IPv4, number]));
}

