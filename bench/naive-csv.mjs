#!/usr/bin/env node
// bench/naive-csv.mjs: the straightforward pipeline the issue measures against.
//
//   node bench/naive-csv.mjs FILE   →   {"records":N,"hits":M} on standard output
//
// CSV: every record parsed by csv-parse with `columns: true` (one object of ~160 named
// columns per record), then the watched CommonSecurityLog fields compared with the IOC IPs.
// NDJSON: every line through JSON.parse, then the watched DeviceNetworkEvents fields
// (streaming-API rows are read through `properties`). A .gz file (gzip magic) goes through
// zlib first.
//
// `hits` counts records with an IOC IP in a watched field, read the way docs/hits.md reads
// addresses (trimmed, quotes/brackets stripped, ::ffff: unmapped, ip:port, the host of a URL),
// so it must equal the manifest's hits + suppressed: it applies no exclusions, reports nothing
// but the two counts, and has no error handling. It exists to be timed, not used.

import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

const IOCS = new Set(['179.43.139.84', '179.43.139.86']);
const CSL_WATCHED = ['SourceIP', 'DestinationIP', 'SourceTranslatedAddress', 'DestinationTranslatedAddress'];

function address(value) {
  if (typeof value !== 'string') return null;
  let s = value.trim();
  while (s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === "'" && s.endsWith("'")) || (s[0] === '[' && s.endsWith(']')))) s = s.slice(1, -1).trim();
  if (s.startsWith('[')) s = s.slice(1, s.indexOf(']') < 0 ? undefined : s.indexOf(']'));
  s = s.replace(/^(?:::|(?:0{1,4}:){5})ffff:/i, '');
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
  return m ? m[1] : s;
}

function urlHost(value) {
  if (typeof value !== 'string') return null;
  let s = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const end = s.search(/[/?#\\\s]/);
  if (end >= 0) s = s.slice(0, end);
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  return address(s);
}

function isGzip(path) {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(2);
  readSync(fd, head, 0, 2, 0);
  closeSync(fd);
  return head[0] === 0x1f && head[1] === 0x8b;
}

function open(path) {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return isGzip(path) ? raw.pipe(createGunzip()) : raw;
}

async function csv(path) {
  let records = 0;
  let hits = 0;
  const parser = open(path).pipe(parse({ columns: true, bom: true }));
  for await (const record of parser) {
    records++;
    if (CSL_WATCHED.some((f) => IOCS.has(address(record[f])))) hits++;
  }
  return { records, hits };
}

async function ndjson(path) {
  let records = 0;
  let hits = 0;
  for await (const line of createInterface({ input: open(path), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    records++;
    const row = JSON.parse(line);
    const p = row.properties ?? row;
    if (IOCS.has(address(p.RemoteIP)) || IOCS.has(address(p.LocalIP)) || IOCS.has(urlHost(p.RemoteUrl))) hits++;
  }
  return { records, hits };
}

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node bench/naive-csv.mjs FILE\n');
  process.exit(2);
}
const result = /\.(nd)?jsonl?(\.gz)?$|\.ndjson(\.gz)?$/i.test(path) ? await ndjson(path) : await csv(path);
process.stdout.write(JSON.stringify(result) + '\n');
