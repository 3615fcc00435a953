// bench/many-hits.mjs: the `--many-hits N` case of bench/run.mjs (issue 14).
//
// One beaconing host, two years, N C2 records in one CommonSecurityLog CSV, in
// scrambled time order (so the report's order has to be made, not kept). Every
// record is an active hit. perlbot-hunt writes the report in each format asked
// for, under /usr/bin/time; the bench counts the hits in each report by
// streaming it (never holding it), checks newest-first order where the format
// shows it, and reports wall time, peak RSS and the report's size.

import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const HEADER = 'TimeGenerated,DeviceVendor,DeviceProduct,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceTranslatedAddress,SourceTranslatedPort,DestinationTranslatedAddress,DestinationTranslatedPort,Message,DeviceName,SourceProcessName,SourceUserName';
const START = Date.parse('2024-06-01T00:00:00Z');
const TWO_YEARS = 2 * 365 * 86_400_000;
export const MANY_HITS_FORMATS = ['json', 'ndjson', 'csv', 'text', 'html'];

/** The CSV of `n` beacons in dataDir, written once and reused. */
export async function manyHitsCsv(dataDir, n) {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, `many-hits-${n}.csv`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${HEADER}\n`);
  // a step coprime with n visits every slot once, in scrambled order
  let step = 7919;
  while (gcd(step, n) !== 1) step += 2;
  const every = TWO_YEARS / n;
  let rows = [];
  for (let i = 0; i < n; i++) {
    const slot = (i * step) % n;
    const time = new Date(START + Math.floor(slot * every)).toISOString();
    const ip = i % 10 === 9 ? '179.43.139.86' : '179.43.139.84';
    rows.push(`${time},Fortinet,FortiGate,accept,traffic,10.20.30.40,${40_000 + (i % 20_000)},${ip},443,,,,,beacon,fw-edge-01,perl,www-data\n`);
    if (rows.length === 10_000) {
      await write(rows.join(''));
      rows = [];
    }
  }
  await write(rows.join(''));
  out.end();
  await once(out, 'close');
  renameSync(partial, path);
  return path;
}

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Streams a report line by line: how many hits it holds, whether newest first, and the summary's count. */
async function countHits(path, format) {
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let hits = 0;
  let summary = null;
  let previous = null;
  let ordered = true;
  const time = (t) => {
    if (previous !== null && t > previous) ordered = false;
    previous = t;
  };
  let first = true;
  for await (const line of lines) {
    if (format === 'json') {
      if (line.startsWith('      "file": ')) hits++;
      else if (line.startsWith('      "time": ')) time(line.slice(15, -2));
      else if (summary === null && line.startsWith('    "hits": ')) summary = Number.parseInt(line.slice(12), 10);
    } else if (format === 'ndjson') {
      hits++;
      time(/"time":"([^"]*)"/.exec(line)?.[1] ?? '');
    } else if (format === 'csv') {
      if (first) first = false;
      else {
        hits++;
        time(line.split(',')[2]);
      }
    } else if (format === 'text') {
      if (/^ {4}at .*\(record \d+\)$/.test(line)) hits++;
      else if (/^ {2}\d{4}-\d\d-\d\dT/.test(line)) time(line.slice(2, 26));
      else if (line.startsWith('  active hits ')) summary = Number.parseInt(line.slice(14).replaceAll(',', ''), 10);
    } else if (format === 'html') {
      const m = /id="summary-hits">([\d,]+)</.exec(line);
      if (m) summary = Number.parseInt(m[1].replaceAll(',', ''), 10);
      const held = /<span id="hits-total">([\d,]+)<\/span> on this page, of ([\d,]+) in the report/.exec(line);
      if (held) hits = Number.parseInt(held[2].replaceAll(',', ''), 10);
    }
  }
  return { hits, summary, ordered: format === 'html' ? null : ordered };
}

/** Runs the case; pushes a markdown section to md and figures to results.manyHits. */
export async function manyHitsScenario(ctx, o, md, results, { measure, log, BenchFailure }) {
  const n = o.manyHits;
  log(`many-hits: generating ${n.toLocaleString('en-US')} beacons (once)`);
  const csv = await manyHitsCsv(o.dataDir, n);
  const inputBytes = statSync(csv).size;
  const rows = [];
  results.manyHits = { hits: n, inputBytes, runs: [] };
  for (const format of o.manyHitsFormats) {
    const out = join(ctx.scratch, `many-hits.${format}`);
    log(`many-hits: --format ${format}`);
    const r = await measure(['node', ctx.hunt, '--format', format, '--output', out, '--quiet', '--jobs', '1', csv], ctx.scratch);
    const size = existsSync(out) ? statSync(out).size : 0;
    const found = r.status === 1 && size > 0 ? await countHits(out, format) : { hits: 0, summary: null, ordered: null };
    rmSync(out, { force: true });
    const run = { format, status: r.status, seconds: r.seconds, rss: r.rss, reportBytes: size, ...found };
    results.manyHits.runs.push(run);
    const problems = [];
    if (r.status !== 1) problems.push(`exit status ${r.status}, not 1 (${r.stderr.trim().slice(0, 500)})`);
    if (found.hits !== n) problems.push(`${found.hits} hits in the report, not ${n}`);
    if (found.summary !== null && found.summary !== n) problems.push(`the summary says ${found.summary} active hits, not ${n}`);
    if (found.ordered === false) problems.push('hits are not newest first');
    if (problems.length > 0) throw new BenchFailure(`many-hits --format ${format} is WRONG:\n    ${problems.join('\n    ')}`);
    rows.push(`| ${format} | ${n.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | ${r.rss === null ? '?' : Math.round(r.rss / 1024 ** 2)} | ${(size / 1024 ** 2).toFixed(0)} |`);
  }
  md.push(`### Many hits: ${n.toLocaleString('en-US')} C2 records of one host over two years (${(inputBytes / 1024 ** 2).toFixed(0)} MiB CSV, scrambled order, --jobs 1)\n`);
  md.push('Each report was counted by streaming it (html: the total it states; its table holds the newest hits of each IOC), and checked newest first.\n');
  md.push('| format | hits | wall s | peak RSS MiB | report MiB |');
  md.push('|---|---:|---:|---:|---:|');
  md.push(...rows);
  md.push('');
}
