#!/usr/bin/env node
// bench/run.mjs: `npm run bench`. See bench/README.md for what each number means.
//
//   node bench/run.mjs [--size 1GiB] [--rounds 5] [--seed 1] [--files csv,ndjson,csv.gz,ndjson.gz]
//                      [--contenders perlbot-hunt,rg,naive] [--hunt PATH] [--no-build]
//                      [--scaling 256MiB,1GiB,4GiB] [--jobs-test] [--jobs-size 512MiB] [--jobs-files 2] [--skip-main]
//                      [--many-hits N] [--many-hits-formats json,ndjson,csv,text,html,timesketch,ecs,splunk,stix]
//                      [--slow-paths] [--slow-paths-size 100MiB] [--iocs-count 1000,10000,100000]
//                      [--data-dir bench/data] [--markdown-out FILE] [--json-out FILE]
//
// Every contender runs on the same files in one run, round-robin (the order rotates each
// round), under /usr/bin/time for peak RSS. Each perlbot-hunt run is verified against the
// generator's manifest (records, hits, suppressed, per IOC, bytes, SHA-256, and every expected
// hit's record, line, fields and exclusion); ripgrep's and the naive pipeline's counts are
// verified too. Any mismatch stops the benchmark with exit status 1.

import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cslHeader, DEFAULT_DATA_DIR, ensureDataset, formatSize, parseSize } from './generate.mjs';
import { MANY_HITS_FORMATS, manyHitsScenario } from './many-hits.mjs';
import { slowPathsScenario } from './slow-paths.mjs';
import { iocSetsScenario } from './ioc-sets.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH_DIR, '..');
const GiB = 1024 ** 3;
const TIME = '/usr/bin/time';
const ALL_FILES = ['csv', 'ndjson', 'csv.gz', 'ndjson.gz'];
const FILE_NAMES = { csv: 'CommonSecurityLog.csv', ndjson: 'DeviceNetworkEvents.ndjson', 'csv.gz': 'CommonSecurityLog.csv.gz', 'ndjson.gz': 'DeviceNetworkEvents.ndjson.gz' };
const ALL_CONTENDERS = ['perlbot-hunt', 'rg', 'naive'];

// ------------------------------------------------------------------------- options

function parseArgs(argv) {
  const o = {
    size: GiB,
    rounds: 5,
    seed: 1,
    files: ALL_FILES,
    contenders: ALL_CONTENDERS,
    hunt: null,
    huntLabel: null,
    build: true,
    scaling: null,
    jobsTest: false,
    slowPaths: false,
    slowPathsSize: 100 * 1024 ** 2,
    skipMain: false,
    jobsSize: 512 * 1024 ** 2,
    jobsFiles: 2,
    manyHits: null,
    iocsCount: null,
    manyHitsFormats: ['json', 'csv'],
    dataDir: DEFAULT_DATA_DIR,
    markdownOut: null,
    jsonOut: null,
  };
  const list = (v, allowed, what) => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) if (allowed && !allowed.includes(item)) throw new Error(`--${what}: "${item}" is not one of ${allowed.join(', ')}`);
    return items;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline = null;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => {
      if (inline !== null) return inline;
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--size': o.size = parseSize(value()); break;
      case '--rounds': o.rounds = Number.parseInt(value(), 10); break;
      case '--seed': o.seed = Number.parseInt(value(), 10) >>> 0; break;
      case '--files': o.files = list(value(), ALL_FILES, 'files'); break;
      case '--contenders': o.contenders = list(value(), ALL_CONTENDERS, 'contenders'); break;
      case '--hunt': o.hunt = resolve(value()); o.build = false; break;
      case '--hunt-label': o.huntLabel = value(); break;
      case '--no-build': o.build = false; break;
      case '--scaling': o.scaling = list(value(), null, 'scaling').map(parseSize); break;
      case '--jobs-test': o.jobsTest = true; break;
      case '--slow-paths': o.slowPaths = true; break;
      case '--slow-paths-size': o.slowPathsSize = parseSize(value()); break;
      case '--skip-main': o.skipMain = true; break;
      case '--jobs-size': o.jobsSize = parseSize(value()); break;
      case '--jobs-files': o.jobsFiles = Number(value()); if (!Number.isInteger(o.jobsFiles) || o.jobsFiles < 1) throw new BenchFailure('--jobs-files needs a whole number of files'); break;
      case '--many-hits': o.manyHits = Number(value()); if (!Number.isSafeInteger(o.manyHits) || o.manyHits < 1) throw new Error('--many-hits needs a whole number of hits'); o.skipMain = true; break;
      case '--iocs-count':
        o.iocsCount = list(value(), null, 'iocs-count').map(Number);
        if (o.iocsCount.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error('--iocs-count needs whole numbers of IOCs, comma-separated');
        o.skipMain = true;
        break;
      case '--many-hits-formats': o.manyHitsFormats = list(value(), MANY_HITS_FORMATS, 'many-hits-formats'); break;
      case '--data-dir': o.dataDir = resolve(value()); break;
      case '--markdown-out': o.markdownOut = resolve(value()); break;
      case '--json-out': o.jsonOut = resolve(value()); break;
      case '--help':
      case '-h':
        process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a} (try --help)`);
    }
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error('--rounds must be a positive integer');
  return o;
}

// ------------------------------------------------------------------------- small helpers

const log = (s = '') => process.stderr.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

class BenchFailure extends Error {}

function commandOutput(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return r.status === 0 ? r.stdout.trim() : null;
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function machine(huntPath) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const huntRepo = dirname(dirname(huntPath));
  const commit = commandOutput('git', ['-C', huntRepo, 'rev-parse', '--short', 'HEAD']);
  const dirty = commit ? commandOutput('git', ['-C', huntRepo, 'status', '--porcelain', '--', 'lib', 'bin', 'package.json']) : null;
  return {
    nproc: commandOutput('nproc', []) ?? String(cpus().length),
    cpu: model,
    memory: `${(totalmem() / GiB).toFixed(1)} GiB`,
    kernel: commandOutput('uname', ['-sr']) ?? 'unknown',
    node: process.version,
    rg: have('rg') ? (commandOutput('rg', ['--version'])?.split('\n')[0] ?? 'unknown') : 'absent',
    gzip: commandOutput('gzip', ['--version'])?.split('\n')[0] ?? 'unknown',
    time: existsSync(TIME) ? TIME : 'absent',
    perlbotHunt: `${huntPath}${commit ? ` @ ${commit}${dirty ? ' (with uncommitted changes in lib/, bin/ or package.json)' : ''}` : ''}`,
  };
}

/** Reads a file once so that every contender finds it in the page cache. */
async function warm(path) {
  for await (const _ of createReadStream(path, { highWaterMark: 1 << 20 })) {
    // nothing: reading is the point
  }
}

/** Runs a command under /usr/bin/time (when present): wall seconds, peak RSS (bytes), CPU seconds (user + system), exit status, stdout. */
function measure(argv, scratch) {
  const timed = existsSync(TIME);
  const rssFile = join(scratch, 'time.out');
  const [cmd, ...args] = timed ? [TIME, '-f', '%M %x %U %S', '-o', rssFile, ...argv] : argv;
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let rss = null;
      let cpu = null;
      let status = code;
      if (timed) {
        const text = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
        const [kb, exit, user, system] = text.split(' ').map(Number);
        rss = Number.isFinite(kb) ? kb * 1024 : null;
        cpu = Number.isFinite(user) && Number.isFinite(system) ? user + system : null;
        if (Number.isFinite(exit)) status = exit;
      }
      resolvePromise({ seconds, rss, cpu, status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

// ------------------------------------------------------------------------- verification

function verifyHunt(report, expected, status) {
  const problems = [];
  const want = (what, got, exp) => {
    if (got !== exp) problems.push(`${what}: expected ${JSON.stringify(exp)}, got ${JSON.stringify(got)}`);
  };
  const totalHits = expected.reduce((n, e) => n + e.entry.hits, 0);
  want('exit status', status, totalHits > 0 ? 1 : 0);
  const s = report.summary;
  want('summary.files', s.files, expected.length);
  want('summary.records', s.records, expected.reduce((n, e) => n + e.entry.records, 0));
  want('summary.hits', s.hits, totalHits);
  want('summary.suppressed', s.suppressed, expected.reduce((n, e) => n + e.entry.suppressed, 0));
  want('summary.errors', s.errors, 0);
  for (const ioc of s.perIoc) {
    const exp = expected.reduce((acc, e) => {
      const p = e.entry.perIoc.find((x) => x.ip === ioc.ip) ?? { hits: 0, suppressed: 0 };
      return { hits: acc.hits + p.hits, suppressed: acc.suppressed + p.suppressed };
    }, { hits: 0, suppressed: 0 });
    want(`summary.perIoc ${ioc.ip} hits`, ioc.hits, exp.hits);
    want(`summary.perIoc ${ioc.ip} suppressed`, ioc.suppressed, exp.suppressed);
  }
  for (const e of expected) {
    const file = report.files.find((f) => resolve(f.path) === e.path);
    if (!file) {
      problems.push(`${e.path}: no files[] entry`);
      continue;
    }
    want(`${e.entry.name} records`, file.records, e.entry.records);
    want(`${e.entry.name} bytes`, file.bytes, e.entry.bytes);
    want(`${e.entry.name} sha256`, file.sha256, e.entry.sha256);
    want(`${e.entry.name} format`, file.format, e.entry.format);
    want(`${e.entry.name} compressed`, file.compressed, e.entry.compressed);
    want(`${e.entry.name} table`, file.table, e.entry.table);
    if (file.errors.length > 0) problems.push(`${e.entry.name} errors: ${JSON.stringify(file.errors.slice(0, 5))}`);

    // hit by hit: which records, where, which fields, which exclusion
    const got = new Map(report.hits.filter((h) => resolve(h.file) === e.path).map((h) => [h.record, h]));
    const detail = [];
    for (const x of e.hits) {
      const h = got.get(x.record);
      got.delete(x.record);
      if (!h) {
        detail.push(`record ${x.record} (line ${x.line}, ${x.kind}, ${x.fields.join('+')}=${x.iocs.join('+')}): expected a ${x.suppressedBy ? `hit suppressed by ${x.suppressedBy}` : 'hit'}, not reported`);
        continue;
      }
      const fields = [...new Set(h.matches.map((m) => m.field))].sort().join('+');
      if (h.line !== x.line) detail.push(`record ${x.record}: line ${h.line}, expected ${x.line}`);
      if (fields !== x.fields.join('+')) detail.push(`record ${x.record} (line ${x.line}): matched fields ${fields}, expected ${x.fields.join('+')}`);
      if (h.suppressedBy !== x.suppressedBy) detail.push(`record ${x.record} (line ${x.line}): suppressedBy ${h.suppressedBy}, expected ${x.suppressedBy}`);
      if (h.malformed) detail.push(`record ${x.record} (line ${x.line}): reported as malformed`);
    }
    for (const h of got.values()) detail.push(`record ${h.record} (line ${h.line}): reported as a hit (${h.matches.map((m) => `${m.field}=${m.ip}`).join(', ')}, suppressedBy ${h.suppressedBy}), expected no hit`);
    if (detail.length > 0) problems.push(`${e.entry.name}: ${detail.length} hit(s) differ:\n      ${detail.slice(0, 15).join('\n      ')}${detail.length > 15 ? `\n      … and ${detail.length - 15} more` : ''}`);
  }
  return problems;
}

// ------------------------------------------------------------------------- contenders

function contenderCommand(name, ctx, path) {
  switch (name) {
    case 'perlbot-hunt':
      return ['node', ctx.hunt, '--format', 'json', '--output', ctx.huntOut, '--quiet', ...(Array.isArray(path) ? path : [path])];
    case 'rg':
      return path.endsWith('.gz')
        ? ['sh', '-c', 'gzip -dc "$1" | rg -F -c -f "$2"', 'sh', path, ctx.iocsFile]
        : ['rg', '-F', '-c', '-f', ctx.iocsFile, path];
    case 'naive':
      return ['node', join(BENCH_DIR, 'naive-csv.mjs'), path];
    default:
      throw new Error(name);
  }
}

const LABEL = { 'perlbot-hunt': 'perlbot-hunt', rg: 'ripgrep', naive: 'naive csv-parse / JSON.parse' };
const labelFor = (name, file) => (name === 'rg' && file.endsWith('.gz') ? 'gzip -dc | ripgrep' : LABEL[name]);

async function runOnce(name, ctx, target) {
  const argv = contenderCommand(name, ctx, target.paths.length === 1 ? target.paths[0] : target.paths);
  rmSync(ctx.huntOut, { force: true });
  const r = await measure(argv, ctx.scratch);
  const fail = (problems) => {
    throw new BenchFailure(`${LABEL[name]} on ${target.label} is WRONG:\n    ${problems.join('\n    ')}\n  command: ${argv.join(' ')}${r.stderr ? `\n  stderr: ${r.stderr.trim().slice(0, 2000)}` : ''}`);
  };
  if (name === 'perlbot-hunt') {
    if (!existsSync(ctx.huntOut)) fail([`no report written (exit status ${r.status})`]);
    let report;
    try {
      report = JSON.parse(readFileSync(ctx.huntOut, 'utf8'));
    } catch (error) {
      fail([`report is not JSON: ${error.message}`]);
    }
    const problems = verifyHunt(report, target.expected, r.status);
    if (problems.length > 0) fail(problems);
  } else if (name === 'rg') {
    const want = target.expected.reduce((n, e) => n + e.entry.rgLines, 0);
    // rg exits 1 when nothing matched; both are fine as long as the count is right
    const got = Number.parseInt(r.stdout.trim() || '0', 10);
    if (got !== want || (r.status !== 0 && r.status !== 1)) fail([`count ${r.stdout.trim() || '(none)'} with exit status ${r.status}, expected ${want} matching lines`]);
  } else {
    const e = target.expected[0].entry;
    let got;
    try {
      got = JSON.parse(r.stdout);
    } catch {
      fail([`output is not JSON (exit status ${r.status})`]);
    }
    if (got.records !== e.records || got.hits !== e.hits + e.suppressed) fail([`records ${got.records} hits ${got.hits}, expected records ${e.records} hits ${e.hits + e.suppressed} (hits + suppressed: no exclusions)`]);
  }
  return { seconds: r.seconds, rss: r.rss };
}

/**
 * Rounds over targets × contenders, the contender order rotated each round so no one always
 * goes first (or always runs right after the page cache was touched by a given other).
 */
async function roundRobin(ctx, targets, contenders, rounds, title) {
  const samples = new Map();
  for (const t of targets) for (const c of contenders(t)) samples.set(`${t.key}|${c}`, []);
  for (let round = 0; round < rounds; round++) {
    for (const t of targets) {
      const list = contenders(t);
      const order = list.map((_, i) => list[(i + round) % list.length]);
      for (const c of order) {
        const sample = await runOnce(c, ctx, t);
        samples.get(`${t.key}|${c}`).push(sample);
        log(`  ${title} round ${round + 1}/${rounds}  ${t.label.padEnd(34)} ${labelFor(c, t.label).padEnd(30)} ${sample.seconds.toFixed(2).padStart(8)} s  ${sample.rss === null ? '' : `${(sample.rss / 1e6).toFixed(0)} MB`}`);
      }
    }
  }
  return samples;
}

// ------------------------------------------------------------------------- reporting

function fmt(n, digits = 2) {
  return n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits);
}

function summarize(samples, textBytes, rgSamples) {
  const secs = samples.map((s) => s.seconds);
  const med = median(secs);
  const rss = samples.every((s) => s.rss !== null) ? Math.max(...samples.map((s) => s.rss)) : null;
  const ratio = rgSamples ? median(samples.map((s, i) => s.seconds / rgSamples[i].seconds)) : null;
  return { median: med, min: Math.min(...secs), max: Math.max(...secs), mbps: textBytes / med / 1e6, rss, ratio, runs: secs };
}

function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map((_h, i) => (i === 0 || i === 1 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

// ------------------------------------------------------------------------- scenarios

async function mainScenario(ctx, o, md, results) {
  const manifest = await ensureDataset({ size: o.size, seed: o.seed, dataDir: o.dataDir, log });
  ctx.iocsFile = join(manifest.dir, 'iocs.txt');
  const targets = [];
  for (const f of o.files) {
    const entry = manifest.files.find((x) => x.name === FILE_NAMES[f]);
    const path = join(manifest.dir, entry.name);
    const hits = JSON.parse(readFileSync(join(manifest.dir, entry.expectedHits), 'utf8'));
    targets.push({ key: f, label: entry.name, paths: [path], textBytes: entry.textBytes, entry, expected: [{ path, entry, hits }] });
  }
  for (const t of targets) await warm(t.paths[0]);
  log(`main: ${targets.length} file(s) × ${ctx.contenders.length} contender(s) × ${o.rounds} round(s)`);
  const samples = await roundRobin(ctx, targets, () => ctx.contenders, o.rounds, 'main');

  const rows = [];
  for (const t of targets) {
    const rg = samples.get(`${t.key}|rg`);
    for (const c of ctx.contenders) {
      const s = summarize(samples.get(`${t.key}|${c}`), t.textBytes, c === 'rg' ? null : rg);
      results.main.push({ file: t.label, contender: labelFor(c, t.label), ...s });
      rows.push([
        t.label,
        labelFor(c, t.label),
        fmt(s.median),
        `${fmt(s.min)}–${fmt(s.max)}`,
        fmt(s.mbps, 1),
        s.rss === null ? 'n/a' : fmt(s.rss / 1e6, 0),
        c === 'rg' ? '1' : s.ratio === null ? 'n/a' : fmt(s.ratio),
      ]);
    }
  }
  md.push(`### Main: ${manifest.sizeLabel} per file, seed ${manifest.seed}, ${o.rounds} rounds\n`);
  md.push(table(['file', 'contender', 'median s', 'min–max s', 'MB/s', 'peak RSS MB', '× rg (paired)'], rows));
  md.push('');
  md.push('Inputs (MB/s is of the uncompressed text; perlbot-hunt was checked against every count below in every round):\n');
  md.push(table(
    ['file', 'stored bytes', 'text bytes', 'records', 'hits', 'suppressed', 'rg lines', 'sha256'],
    targets.map((t) => [t.label, String(t.entry.bytes), String(t.entry.textBytes), String(t.entry.records), String(t.entry.hits), String(t.entry.suppressed), String(t.entry.rgLines), `\`${t.entry.sha256}\``]),
  ));
  md.push('');
}

async function scalingScenario(ctx, o, md, results) {
  const sizes = [...o.scaling].sort((a, b) => a - b);
  const targets = [];
  for (const size of sizes) {
    const manifest = await ensureDataset({ size, seed: o.seed, dataDir: o.dataDir, log });
    for (const f of ['csv', 'ndjson']) {
      if (!o.files.includes(f)) continue;
      const entry = manifest.files.find((x) => x.name === FILE_NAMES[f]);
      const path = join(manifest.dir, entry.name);
      const hits = JSON.parse(readFileSync(join(manifest.dir, entry.expectedHits), 'utf8'));
      targets.push({ key: `${f}@${size}`, kind: f, size, label: `${manifest.sizeLabel}/${entry.name}`, paths: [path], textBytes: entry.textBytes, entry, expected: [{ path, entry, hits }], iocs: join(manifest.dir, 'iocs.txt') });
    }
  }
  // the IOC file is the same in every dataset
  ctx.iocsFile = targets[0]?.iocs ?? ctx.iocsFile;
  const contenders = ctx.contenders.filter((c) => c !== 'naive');
  log(`scaling: ${targets.length} file(s) × ${contenders.length} contender(s) × ${o.rounds} round(s); files larger than free RAM will not stay in the page cache`);
  for (const t of targets) await warm(t.paths[0]);
  const samples = await roundRobin(ctx, targets, () => contenders, o.rounds, 'scaling');
  const rows = [];
  for (const kind of ['csv', 'ndjson']) {
    const ts = targets.filter((t) => t.kind === kind);
    if (ts.length === 0) continue;
    let first = null;
    // seconds and GiB of the next smaller size, per contender: the marginal cost, start-up taken out
    const previous = new Map();
    for (const t of ts) {
      const rg = contenders.includes('rg') ? samples.get(`${t.key}|rg`) : null;
      for (const c of contenders) {
        const s = summarize(samples.get(`${t.key}|${c}`), t.textBytes, c === 'rg' ? null : rg);
        const gib = t.textBytes / GiB;
        const perGiB = s.median / gib;
        const perGiBMin = s.min / gib;
        if (c === 'perlbot-hunt' && first === null) first = { median: perGiB, min: perGiBMin };
        const growth = (now, then) => (c === 'perlbot-hunt' && first ? `${fmt((now / then - 1) * 100, 1)} %` : '');
        const before = previous.get(c);
        const marginal = before ? (s.median - before.seconds) / (gib - before.gib) : null;
        previous.set(c, { seconds: s.median, gib });
        results.scaling.push({ file: t.label, contender: labelFor(c, t.label), perGiB, perGiBMin, marginalPerGiB: marginal, ...s });
        rows.push([
          t.label,
          labelFor(c, t.label),
          fmt(s.median),
          fmt(perGiB),
          growth(perGiB, first?.median),
          fmt(perGiBMin),
          growth(perGiBMin, first?.min),
          marginal === null ? '' : fmt(marginal),
          s.rss === null ? 'n/a' : fmt(s.rss / 1e6, 0),
          c === 'rg' ? '1' : s.ratio === null ? 'n/a' : fmt(s.ratio),
        ]);
      }
    }
  }
  md.push(`### Size scaling: ${sizes.map(formatSize).join(', ')}, ${o.rounds} rounds\n`);
  md.push(table(['file', 'contender', 'median s', 's/GiB (median)', 'vs smallest', 's/GiB (min)', 'vs smallest', 'marginal s/GiB (from the size before)', 'peak RSS MB', '× rg (paired)'], rows));
  md.push('');
}

async function jobsScenario(ctx, o, md, results) {
  const help = spawnSync('node', [ctx.hunt, '--help'], { encoding: 'utf8' });
  if (!/--jobs\b/.test(`${help.stdout}${help.stderr}`)) {
    const note = `perlbot-hunt has no --jobs option (not in its --help): multi-file scenario skipped.`;
    log(`jobs-test: ${note}`);
    md.push(`### Multi-file (--jobs)\n\n${note}\n`);
    return;
  }
  const datasets = [];
  for (let i = 0; i < o.jobsFiles; i++) datasets.push(await ensureDataset({ size: o.jobsSize, seed: o.seed + i, dataDir: o.dataDir, log }));
  const expected = datasets.map((m) => {
    const entry = m.files.find((x) => x.name === FILE_NAMES.csv);
    const path = join(m.dir, entry.name);
    return { path, entry, hits: JSON.parse(readFileSync(join(m.dir, entry.expectedHits), 'utf8')) };
  });
  const paths = expected.map((e) => e.path);
  for (const p of paths) await warm(p);
  const textBytes = expected.reduce((n, e) => n + e.entry.textBytes, 0);
  const base = { paths, textBytes, expected };
  const files = `${o.jobsFiles} × ${formatSize(o.jobsSize)} CSV`;
  const targets = [
    { ...base, key: 'default', label: `${files}, default jobs` },
    { ...base, key: 'jobs1', label: `${files}, --jobs 1` },
  ];
  const saved = ctx.hunt;
  const samples = new Map(targets.map((t) => [t.key, []]));
  log(`jobs-test: ${files}, default vs --jobs 1, ${o.rounds} round(s)`);
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const argv = ['node', saved, '--format', 'json', '--output', ctx.huntOut, '--quiet', ...(t.key === 'jobs1' ? ['--jobs', '1'] : []), ...paths];
      rmSync(ctx.huntOut, { force: true });
      const r = await measure(argv, ctx.scratch);
      const problems = existsSync(ctx.huntOut) ? verifyHunt(JSON.parse(readFileSync(ctx.huntOut, 'utf8')), expected, r.status) : ['no report written'];
      if (problems.length > 0) throw new BenchFailure(`perlbot-hunt (${t.label}) is WRONG:\n    ${problems.join('\n    ')}`);
      samples.get(t.key).push({ seconds: r.seconds, rss: r.rss, cpu: r.cpu });
      log(`  jobs round ${round + 1}/${o.rounds}  ${t.label.padEnd(40)} ${r.seconds.toFixed(2).padStart(8)} s  ${r.rss === null ? '' : `${(r.rss / 1e6).toFixed(0)} MB`}`);
    }
  }
  const d = summarize(samples.get('default'), textBytes, null);
  const one = summarize(samples.get('jobs1'), textBytes, null);
  const speedup = median(samples.get('default').map((s, i) => samples.get('jobs1')[i].seconds / s.seconds));
  const cpuOf = (key) => (samples.get(key).every((s) => s.cpu !== null) ? median(samples.get(key).map((s) => s.cpu)) : null);
  const bound = await parallelBound(ctx, o, cpuOf('default'), one.median);
  results.jobs = { default: d, jobs1: one, speedup, cpu: { default: cpuOf('default'), jobs1: cpuOf('jobs1') }, bound };
  md.push(`### Multi-file: ${files}, ${o.rounds} rounds\n`);
  const cpuCell = (key) => (cpuOf(key) === null ? 'n/a' : fmt(cpuOf(key)));
  md.push(table(['run', 'contender', 'median s', 'CPU s (user + system, median)', 'MB/s', 'peak RSS MB', 'speed-up (paired)'], [
    [targets[1].label, 'perlbot-hunt', fmt(one.median), cpuCell('jobs1'), fmt(one.mbps, 1), one.rss === null ? 'n/a' : fmt(one.rss / 1e6, 0), '1'],
    [targets[0].label, 'perlbot-hunt', fmt(d.median), cpuCell('default'), fmt(d.mbps, 1), d.rss === null ? 'n/a' : fmt(d.rss / 1e6, 0), fmt(speedup)],
  ]));
  if (bound) {
    md.push('');
    md.push(
      `Start-up (a CSV holding only its header): ${fmt(bound.startup)} s, ${fmt(bound.startupCpu)} CPU s. ` +
        `Were the default run's CPU time beyond start-up spread over all ${bound.cores} cores with none idle, it would take ${fmt(bound.seconds)} s: ` +
        `a speed-up of at most ${fmt(bound.speedup)} over \`--jobs 1\`, whose reads already run on libuv's thread beside its scan. ` +
        `The default reached ${fmt(speedup / bound.speedup * 100, 0)}% of that.`,
    );
  }
  md.push('');
}

/**
 * The fastest the default run could be on this machine, from its own CPU
 * time: start-up (one thread), then the rest shared by every core with none
 * idle. Start-up is timed on a CSV holding only the generator's header.
 */
async function parallelBound(ctx, o, defaultCpu, jobs1Median) {
  if (defaultCpu === null) return null;
  const tiny = join(ctx.scratch, 'CommonSecurityLog-header-only.csv');
  writeFileSync(tiny, cslHeader());
  const runs = [];
  for (let round = 0; round < Math.max(o.rounds, 5); round++) {
    const r = await measure(['node', ctx.hunt, '--format', 'json', '--output', ctx.huntOut, '--quiet', tiny], ctx.scratch);
    if (r.status !== 0 || r.cpu === null) return null;
    runs.push(r);
  }
  const startup = median(runs.map((r) => r.seconds));
  const startupCpu = median(runs.map((r) => r.cpu));
  const cores = availableParallelism();
  const seconds = startup + Math.max(0, defaultCpu - startupCpu) / cores;
  return { startup, startupCpu, cores, seconds, speedup: jobs1Median / seconds };
}

// ------------------------------------------------------------------------- main

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const hunt = o.hunt ?? join(REPO, 'bin', 'perlbot-hunt.js');
  if (o.build) {
    log('building perlbot-hunt: npx tsc -p tsconfig.json');
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
    if (b.status !== 0) throw new BenchFailure('the build failed (npx tsc -p tsconfig.json): nothing to measure. Fix it, or pass --no-build to measure the dist/ there is.');
  } else if (!existsSync(hunt)) {
    throw new BenchFailure(`${hunt} does not exist`);
  }
  let contenders = o.contenders;
  const notes = [];
  if (contenders.includes('rg') && !have('rg')) {
    contenders = contenders.filter((c) => c !== 'rg');
    notes.push('ripgrep (rg) is not installed: skipped, and no ratios to it (Debian: apt-get update && apt-get install -y ripgrep).');
  }
  if (!existsSync(TIME)) notes.push(`${TIME} is absent: no peak RSS (Debian: apt-get install -y time).`);
  for (const n of notes) log(`NOTE: ${n}`);

  const scratch = mkdtempSync(join(tmpdir(), 'perlbot-bench-'));
  const ctx = { hunt, contenders, scratch, huntOut: join(scratch, 'report.json'), iocsFile: null };
  const m = machine(hunt);
  const md = [];
  const results = { command: null, machine: m, main: [], scaling: [], jobs: null, startedAt: new Date().toISOString() };
  const shellWord = (w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`);
  const command = ['node', 'bench/run.mjs', ...process.argv.slice(2)].map(shellWord).join(' ');
  results.command = command;
  md.push(`## ${results.startedAt.slice(0, 10)}: \`${command}\`\n`);
  md.push(`- machine: ${m.nproc} CPUs (${m.cpu}), ${m.memory} RAM, ${m.kernel}`);
  md.push(`- ${m.node === process.version ? `Node ${m.node}` : m.node}, ${m.rg}, ${m.gzip}, peak RSS from ${m.time === 'absent' ? '(absent)' : `${m.time} (%M)`}`);
  md.push(`- perlbot-hunt: ${o.huntLabel ?? m.perlbotHunt}`);
  for (const n of notes) md.push(`- NOTE: ${n}`);
  const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
  const loadLine = md.length;
  md.push('');
  md.push('');

  try {
    if (!o.skipMain) await mainScenario(ctx, o, md, results);
    if (o.scaling) await scalingScenario(ctx, o, md, results);
    if (o.jobsTest) await jobsScenario(ctx, o, md, results);
    if (o.manyHits) await manyHitsScenario(ctx, o, md, results, { measure, log, BenchFailure });
    if (o.slowPaths) await slowPathsScenario(ctx, o, md, results, { measure, median, log, BenchFailure });
    if (o.iocsCount) await iocSetsScenario(ctx, o, md, results, { measure, median, log, warm, ensureDataset, fileNames: FILE_NAMES, BenchFailure });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // other work on the machine skews every figure: say how busy it was
  md[loadLine] = `- load average (1/5/15 min) at start: ${loadAtStart}; at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;
  results.loadAverage = { start: loadAtStart, end: md[loadLine] };
  const text = md.join('\n');
  process.stdout.write(`${text}\n`);
  if (o.markdownOut) writeFileSync(o.markdownOut, `${text}\n`);
  if (o.jsonOut) writeFileSync(o.jsonOut, JSON.stringify(results, null, 2) + '\n');
}

try {
  await main();
} catch (error) {
  if (error instanceof BenchFailure) {
    process.stderr.write(`\nBENCHMARK FAILED: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
}
