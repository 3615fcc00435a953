// bench/ioc-sets.mjs: the `--iocs-count N[,N...]` case of bench/run.mjs (issue 18).
//
// A feed of N IOCs, mixed as a responder's real feeds are: 50% IPv4 addresses
// (half of them ip:port), 10% IPv6 addresses, 5% CIDR ranges, 20% domains, 10%
// URLs, 5% hashes (MD5, SHA-1, SHA-256), plus the two PerlBot addresses.
// Hits of every kind are planted by taking, from the dataset's first 64 MiB,
// values of each kind written there least often (an address, a host name, a URL, a
// hash, and a /28 around an address); the rest are random (seeded) values.
// For each file and N, it measures: the scan with the N-IOC feed; the same
// file with the built-in two-IOC set; ripgrep given the feed's literals
// (`rg -F -c -f`: what a user would try; ranges have no literal); the time
// to load and compile the feed alone (a header-only file). Each N-IOC report
// is checked against a `--full-parse` run with the same feed: the same hits,
// record for record, before any figure counts.

import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IOCS, formatSize } from './generate.mjs';

export const IOC_MIX = [
  ['ipv4', 0.5],
  ['ipv6', 0.1],
  ['cidr', 0.05],
  ['domain', 0.2],
  ['url', 0.1],
  ['hash', 0.05],
];
const PLANTED_PER_KIND = 8;
const SAMPLE_BYTES = 64 * 1024 * 1024;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['cdn', 'update', 'api', 'mail', 'sync', 'login', 'static', 'files', 'img', 'track', 'gate', 'panel', 'node', 'edge', 'relay'];
const TLDS = ['com', 'net', 'org', 'io', 'ru', 'top', 'xyz', 'info', 'biz', 'cn'];

function randomIocs(count, kind, rnd) {
  const int = (n) => Math.floor(rnd() * n);
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const ipv4 = () => {
    for (;;) {
      const a = 1 + int(223);
      if (a === 10 || a === 127 || a === 179) continue;
      return `${a}.${int(256)}.${int(256)}.${1 + int(254)}`;
    }
  };
  const domain = () => `${WORDS[int(WORDS.length)]}${hex(6)}.${WORDS[int(WORDS.length)]}-${int(100000)}.${TLDS[int(TLDS.length)]}`;
  const out = [];
  for (let i = 0; i < count; i++) {
    if (kind === 'ipv4') out.push(i % 2 === 0 ? ipv4() : `${ipv4()}:${1 + int(65535)}`);
    else if (kind === 'ipv6') out.push(`2001:db8:${hex(4)}:${hex(4)}::${hex(3)}`);
    else if (kind === 'cidr') out.push(`${ipv4().replace(/\.\d+$/, '.0')}/24`);
    else if (kind === 'domain') out.push(domain());
    else if (kind === 'url') out.push(`https://${domain()}/${WORDS[int(WORDS.length)]}/${hex(8)}.php`);
    else out.push(hex([32, 40, 64][i % 3]));
  }
  return out;
}

/** The rarest values of each kind in the first 64 MiB of the file: these become IOCs that hit. */
function plantedIocs(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(SAMPLE_BYTES);
  const read = readSync(fd, buffer, 0, SAMPLE_BYTES, 0);
  closeSync(fd);
  const text = buffer.subarray(0, read).toString('latin1');
  // the rarest values of a kind (seen once if any were): a few hits each, not thousands
  const rarest = (pattern, keep = () => true) => {
    const counts = new Map();
    for (const m of text.matchAll(pattern)) if (keep(m[1])) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    return [...counts].sort((a, b) => a[1] - b[1]).map(([value]) => value);
  };
  const spread = (values, count = PLANTED_PER_KIND) => values.slice(0, count);
  const notPerlBot = (value) => !value.includes('179.43.139.');
  const quads = rarest(/(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])/g, notPerlBot);
  const addresses = spread(quads);
  // host names and URLs come from small pools: one and two (the rarest), or the
  // hits would be counted in tens of thousands and the report, not the search, timed
  // a URL IOC's host is a weaker hit of its own: the URLs planted are those
  // on the hosts written least often anywhere (host names come from small pools)
  const occurrences = (needle) => {
    let n = 0;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
    return n;
  };
  const hostOf = (url) => /^https?:\/\/([^/:?#]+)/.exec(url)?.[1];
  const allUrls = rarest(/(https?:\/\/[^\s",\\]+)/g, notPerlBot);
  const rareHosts = [...new Set(allUrls.map(hostOf).filter(Boolean))]
    .map((host) => [host, occurrences(host)])
    .sort((a, b) => a[1] - b[1])
    .slice(0, 1)
    .map(([host]) => host);
  const hosts = rareHosts;
  const urls = allUrls.filter((url) => rareHosts.includes(hostOf(url))).slice(0, 2);
  const hashes = spread(rarest(/(?<![0-9a-fA-F])([0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?![0-9a-fA-F])/g));
  // ranges around other addresses than the exact ones (a record names its narrowest IOC)
  const ranges = quads.filter((ip) => !addresses.includes(ip)).slice(0, 2).map((ip) => `${ip.replace(/\.\d+$/, (last) => `.${Number(last.slice(1)) & 0xf0}`)}/28`);
  return { ipv4: addresses, cidr: ranges, domain: hosts, url: urls, hash: hashes, ipv6: [] };
}

function firstLine(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(64 * 1024);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  return buffer.subarray(0, buffer.subarray(0, read).indexOf(10) + 1);
}

/** The feed (one IOC a line) and ripgrep's literals for it (the text each IOC is written as; ranges have none). */
function feedFor(count, planted, seed) {
  const rnd = mulberry32(seed * 7919 + count);
  const lines = [...IOCS.map((ip) => `${ip}:443`)];
  for (const [kind, share] of IOC_MIX) {
    const wanted = Math.round(count * share);
    const own = planted[kind].slice(0, wanted);
    lines.push(...own, ...randomIocs(wanted - own.length, kind, rnd));
  }
  const literals = lines.filter((line) => !line.includes('/') || /^https?:/.test(line)).map((line) => line.replace(/^((?:\d{1,3}\.){3}\d{1,3}):\d+$/, '$1'));
  return { feed: `${lines.join('\n')}\n`, literals: `${[...new Set(literals)].join('\n')}\n`, count: lines.length };
}

/** `line ioc…` for each hit: what the fast path and --full-parse must agree on. */
function hitList(report) {
  return report.hits.map((h) => `${h.line} ${h.matches.map((m) => `${m.field}=${m.ip}`).join(' ')}${h.suppressedBy ? ` suppressed` : ''}`);
}

function fmt(n, digits = 2) {
  return n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits);
}

export async function iocSetsScenario(ctx, o, md, results, { measure, median, log, warm, ensureDataset, fileNames, BenchFailure }) {
  const manifest = await ensureDataset({ size: o.size, seed: o.seed, dataDir: o.dataDir, log });
  const dir = join(ctx.scratch, 'ioc-sets');
  mkdirSync(dir, { recursive: true });
  const files = o.files.filter((f) => f === 'csv' || f === 'ndjson');
  md.push(`### Large IOC sets (issue 18): ${formatSize(o.size)} files, ${o.rounds} round(s), median\n`);
  md.push(`Feeds of N IOCs (${IOC_MIX.map(([k, s]) => `${Math.round(s * 100)}% ${k}`).join(', ')}, plus the two PerlBot addresses), hits of every kind planted from the file's own values; each report equals \`--full-parse\` with the same feed. \`load\` is the run on a header-only file (Node start, reading and compiling the feed, the report of N IOCs).\n`);
  md.push('| file | IOCs | wall s | CPU s | s per GiB | × built-in set | rg -F -f s | × rg -F -f | load s | peak RSS MB | hits (kinds hit) |');
  md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  results.iocSets = [];
  for (const f of files) {
    const entry = manifest.files.find((x) => x.name === fileNames[f]);
    const path = join(manifest.dir, entry.name);
    await warm(path);
    const header = join(dir, `header.${f}`);
    writeFileSync(header, f === 'csv' ? firstLine(path) : '');
    const planted = plantedIocs(path);
    const hunt = (extra) => ['node', ctx.hunt, '--format', 'json', '--output', ctx.huntOut, '--force', '--quiet', ...extra];
    const report = () => JSON.parse(readFileSync(ctx.huntOut, 'utf8'));
    const builtin = [];
    for (let round = 0; round < o.rounds; round++) builtin.push(await measure(hunt([path]), ctx.scratch));
    const builtinSeconds = median(builtin.map((r) => r.seconds));
    log(`  ioc-sets ${f}: built-in set ${builtinSeconds.toFixed(2)} s`);
    for (const n of o.iocsCount) {
      const { feed, literals, count } = feedFor(n, planted, o.seed);
      const feedPath = join(dir, `iocs-${n}.txt`);
      const literalPath = join(dir, `literals-${n}.txt`);
      writeFileSync(feedPath, feed);
      writeFileSync(literalPath, literals);
      const full = await measure(hunt(['--iocs', feedPath, '--full-parse', path]), ctx.scratch);
      if (full.status !== 0 && full.status !== 1) throw new BenchFailure(`--full-parse with ${n} IOCs on ${entry.name}: exit ${full.status}\n${full.stderr.slice(0, 2000)}`);
      const reference = hitList(report());
      const samples = [];
      const rg = [];
      for (let round = 0; round < o.rounds; round++) {
        const r = await measure(hunt(['--iocs', feedPath, path]), ctx.scratch);
        const hits = hitList(report());
        if (hits.length !== reference.length || hits.some((h, i) => h !== reference[i])) {
          const first = hits.findIndex((h, i) => h !== reference[i]);
          throw new BenchFailure(`${n} IOCs on ${entry.name}: the fast path's hits differ from --full-parse (${hits.length} vs ${reference.length}; first difference: ${hits[first] ?? '(none)'} vs ${reference[first] ?? '(none)'})`);
        }
        samples.push(r);
        if (ctx.contenders.includes('rg')) rg.push(await measure(['rg', '-F', '-c', '-f', literalPath, path], ctx.scratch));
      }
      const last = report();
      const kinds = [...new Set(last.hits.flatMap((h) => h.matches.map((m) => m.kind ?? 'ipv4')))].sort();
      const load = await measure(hunt(['--iocs', feedPath, header]), ctx.scratch);
      const seconds = median(samples.map((s) => s.seconds));
      const cpu = samples.every((s) => s.cpu !== null) ? median(samples.map((s) => s.cpu)) : null;
      const rgSeconds = rg.length > 0 ? median(rg.map((s) => s.seconds)) : null;
      let rss = null;
      for (const s of samples) if (s.rss !== null) rss = Math.max(rss ?? 0, s.rss);
      const perGiB = seconds / (entry.textBytes / 1024 ** 3);
      results.iocSets.push({ file: entry.name, iocs: count, seconds, cpu, perGiB, builtinSeconds, rgSeconds, loadSeconds: load.seconds, rss, hits: last.hits.length, kinds });
      log(`  ioc-sets ${f}: ${count} IOCs ${seconds.toFixed(2)} s (× ${fmt(seconds / builtinSeconds)} built-in), load ${load.seconds.toFixed(2)} s, ${last.hits.length} hits (${kinds.join(', ')})`);
      md.push(
        `| ${entry.name} | ${count.toLocaleString('en-US')} | ${fmt(seconds)} | ${fmt(cpu)} | ${fmt(perGiB)} | ${fmt(seconds / builtinSeconds)} | ${fmt(rgSeconds)} | ${rgSeconds === null ? 'n/a' : fmt(seconds / rgSeconds)} | ${fmt(load.seconds)} | ${rss === null ? 'n/a' : (rss / 1e6).toFixed(0)} | ${last.hits.length.toLocaleString('en-US')} (${kinds.join(', ')}) |`,
      );
    }
    md.push(`| ${entry.name} | 2 (built-in) | ${fmt(builtinSeconds)} | | ${fmt(builtinSeconds / (entry.textBytes / 1024 ** 3))} | 1 | | | | | |`);
  }
  md.push('');
  rmSync(dir, { recursive: true, force: true });
}
