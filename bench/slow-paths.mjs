// bench/slow-paths.mjs: the `--slow-paths` case of bench/run.mjs (issue 14, item 7).
//
// Inputs an adversary (or bad luck) can shape to force a slow path, each S bytes
// (default 100 MiB): a CommonSecurityLog CSV of ragged rows (one field too many
// on every row), one record whose quoted Message spans the whole file (closed
// at its end), and lines that each open a quote the next lines never close.
// Each file holds real hits at known places; each run is checked (hits, exit
// status, no lost file) before its time counts. Reported: MB/s and peak RSS.

import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cslHeader, formatSize, IOC84, IOC86 } from './generate.mjs';

const NAMES = cslHeader().split(',');
const COLUMNS = NAMES.length;

/** A CommonSecurityLog row with `fields` fields: time, vendor, product, the addresses, the rest empty. */
function cslRow(fields, destination, i) {
  const cells = new Array(fields).fill('');
  cells[2] = `2026-06-01T10:${String(i % 60).padStart(2, '0')}:00Z`;
  cells[4] = 'Fortinet';
  cells[5] = 'FortiGate';
  cells[9] = 'accept';
  const set = (name, value) => {
    const k = NAMES.indexOf(name);
    if (k >= 0 && k < fields) cells[k] = value;
  };
  set('SourceIP', `10.1.${i % 250}.${(i * 7) % 250}`);
  set('DestinationIP', destination);
  set('DestinationPort', '443');
  return `${cells.join(',')}\r\n`;
}

async function writeUntil(path, size, head, next, tail) {
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? null : new Promise((r) => out.once('drain', r)));
  await write(head);
  let written = Buffer.byteLength(head);
  for (let i = 0; written < size; i++) {
    const text = next(i);
    written += Buffer.byteLength(text);
    await write(text);
  }
  await write(tail);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

const CASES = [
  {
    key: 'ragged',
    label: 'ragged rows (one field too many each)',
    hits: 2,
    async make(path, size) {
      const rows = [];
      for (let i = 0; i < 64; i++) rows.push(cslRow(COLUMNS + 1, `20.42.${i}.7`, i));
      await writeUntil(path, size, cslHeader() + cslRow(COLUMNS, IOC84, 0), (i) => rows[i % rows.length], cslRow(COLUMNS, IOC86, 1));
    },
  },
  {
    key: 'quoted',
    label: 'one quoted field spanning the file',
    hits: 1,
    async make(path, size) {
      const line = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\r\n';
      const open = cslRow(COLUMNS, '10.9.9.9', 0).replace(/\r\n$/, ',"');
      // the field is the row's last: one cell more, which makes the row ragged once the quote is judged unclosed
      await writeUntil(path, size, cslHeader() + open, () => line, `end of message"\r\n${cslRow(COLUMNS, IOC84, 1)}`);
    },
  },
  {
    key: 'quotes',
    label: 'lines each opening a quote never closed',
    hits: 1,
    async make(path, size) {
      await writeUntil(path, size, cslHeader(), () => 'a","\r\n', cslRow(COLUMNS, IOC86, 2));
    },
  },
];

function fmt(n, digits = 1) {
  return n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits);
}

export async function slowPathsScenario(ctx, o, md, results, { measure, median, log, BenchFailure }) {
  const dir = join(o.dataDir, `slow-paths-${formatSize(o.slowPathsSize)}`);
  mkdirSync(dir, { recursive: true });
  md.push(`### Slow paths (issue 14): ${formatSize(o.slowPathsSize)} per file, ${o.rounds} round(s), median\n`);
  const rows = [];
  results.slowPaths = [];
  for (const c of CASES) {
    const path = join(dir, `${c.key}.csv`);
    if (!existsSync(path) || statSync(path).size < o.slowPathsSize) {
      log(`slow-paths: writing ${path}`);
      await c.make(path, o.slowPathsSize);
    }
    const bytes = statSync(path).size;
    const samples = [];
    for (let round = 0; round < o.rounds; round++) {
      rmSync(ctx.huntOut, { force: true });
      const r = await measure(['node', ctx.hunt, '--format', 'json', '--output', ctx.huntOut, '--quiet', path], ctx.scratch);
      const report = existsSync(ctx.huntOut) ? JSON.parse(readFileSync(ctx.huntOut, 'utf8')) : null;
      const problems = [];
      if (!report) problems.push(`no report written (exit status ${r.status})`);
      else {
        if (r.status !== 1) problems.push(`exit status ${r.status}, expected 1`);
        const active = report.hits.filter((h) => !h.malformed).length;
        if (active !== c.hits) problems.push(`${active} hits, expected ${c.hits}`);
        const lost = report.files[0].errors.find((e) => /stack|memory|corrupt/i.test(e.message));
        if (lost) problems.push(`the file was lost: ${lost.message}`);
      }
      if (problems.length > 0) throw new BenchFailure(`perlbot-hunt on ${c.label} is WRONG:\n    ${problems.join('\n    ')}`);
      samples.push(r);
      log(`  slow-paths round ${round + 1}/${o.rounds}  ${c.label.padEnd(42)} ${r.seconds.toFixed(2).padStart(8)} s  ${r.rss === null ? '' : `${(r.rss / 1e6).toFixed(0)} MB`}`);
    }
    const seconds = median(samples.map((s) => s.seconds));
    let rss = null;
    for (const sample of samples) if (sample.rss !== null) rss = Math.max(rss ?? 0, sample.rss);
    const cpu = samples.every((s) => s.cpu !== null) ? median(samples.map((s) => s.cpu)) : null;
    const records = JSON.parse(readFileSync(ctx.huntOut, 'utf8')).summary.records;
    results.slowPaths.push({ case: c.key, bytes, records, seconds, cpu, mbps: bytes / seconds / 1e6, rss });
    // CPU time (user + system, both threads: the scan and, from 16 MiB, the hashing) says what a busy machine's wall time cannot
    rows.push(`| ${c.label} | ${fmt(bytes / 1e6)} MB | ${records.toLocaleString('en-US')} | ${seconds.toFixed(2)} s | ${fmt(bytes / seconds / 1e6)} MB/s | ${cpu === null ? 'n/a' : `${cpu.toFixed(2)} s (${fmt(bytes / cpu / 1e6)} MB/s)`} | ${rss === null ? 'n/a' : `${(rss / 1e6).toFixed(0)} MB`} |`);
  }
  md.push('| file | size | records | time | speed | CPU time (speed) | peak RSS |');
  md.push('|---|---:|---:|---:|---:|---:|---:|');
  md.push(...rows);
  md.push('');
}
