import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSL_HEADER, DNE_HEADER, ROOT, tempDir, writeFiles } from './helpers.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import { SPILL_AT_VARIABLE } from '../lib/sink/hit-store.js';
import { SPILL_PREFIX } from '../lib/sink/spill-folder.js';
import { scan } from '../lib/scan/scan.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';
import { printToString, type Printer } from '../lib/report/report-stream.js';
import { printCsv } from '../lib/printers/csv-printer.js';
import { printJson, printNdjson } from '../lib/printers/json-printer.js';
import { printText } from '../lib/printers/text-printer.js';
import { printHtml } from '../lib/printers/html/html-printer.js';

// Issue 14 item 1: a scan with more hits than memory holds still writes its
// whole report. Hits past a limit are spilled in sorted runs to a private
// folder and merged back; these tests force the limit down to a few KiB so
// that a few thousand hits spill (the millions are a bench case).

const START = Date.parse('2024-06-01T00:00:00Z');

/** Beaconing C2 records in scrambled time order, some times shared, some missing, one ragged row. */
function beacons(n: number, salt: number): string {
  const rows = [CSL_HEADER];
  for (let i = 0; i < n; i++) {
    const time = i % 97 === 5 ? '' : new Date(START + ((i * 7919 + salt) % n) * 60_000 - (i % 13 === 0 ? 0 : (i % 7) * 1000)).toISOString();
    rows.push(`${time},Fortinet,FortiGate,accept,traffic,10.0.${salt}.5,${40_000 + i},179.43.139.8${i % 3 === 0 ? 6 : 4},443,,,,,beacon ${i} "quoted" ünïcode`);
  }
  rows.push('2024-06-02T00:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.9,1,179.43.139.84,443,too,many,columns,here,and,more');
  return `${rows.join('\n')}\n`;
}

/** Defender records, half of them explained by the cron-log-parser exclusion. */
function defender(n: number): string {
  const rows = [DNE_HEADER];
  for (let i = 0; i < n; i++) {
    const [process, command] = i % 2 === 0 ? ['cron', 'perl /opt/log_parser.pl'] : ['perl', 'perl /tmp/x.pl'];
    rows.push(`${new Date(START + ((i * 31) % n) * 3_600_000).toISOString()},dev${i % 5},host-${i % 5},ConnectionSuccess,179.43.139.84,443,,10.1.1.${i % 250},5${i % 1000},${process},${command},`);
  }
  return `${rows.join('\n')}\n`;
}

function evidence(): string {
  return writeFiles({ 'a.csv': beacons(1500, 1), 'b.csv': beacons(1200, 2), 'c.csv': defender(600) });
}

const PRINTERS: Record<string, Printer> = {
  json: printJson,
  ndjson: printNdjson,
  csv: printCsv,
  text: (r) => printText(r, false),
  html: printHtml,
};

async function scanned(dir: string, jobs: string, options: { spillParent: string; spillAt?: number }): Promise<ReportBuilder> {
  const scanOptions = normalizeOptions({ paths: [dir], format: 'json', jobs });
  const iocs = builtinIocSet();
  const exclusions = exclusionsFor(scanOptions.exclusions);
  const builder = new ReportBuilder('test', iocs, exclusions.entries, options);
  await scan(planFromOptions(scanOptions, iocs, exclusions), builder);
  return builder;
}

const spillFolders = (parent: string) => readdirSync(parent).filter((name) => name.startsWith(SPILL_PREFIX));

interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** The command, running, with a spill limit of 1 KiB: every few hits are a run. */
function start(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), ...args], {
    env: { ...process.env, [SPILL_AT_VARIABLE]: '1024', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr }))) };
}

/** Waits until a spill folder is in `parent`: where the runs go, seen while the command runs. */
async function spillAppears(parent: string, run: Started): Promise<void> {
  while (spillFolders(parent).length === 0) {
    if (run.child.exitCode !== null) throw new Error(`no spill folder appeared in ${parent}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('many hits: spilled to disk, merged back in order', () => {
  it('a report whose hits were spilled in many runs, from worker threads, is the report held in memory, in every format', async () => {
    const dir = evidence();
    const parent = tempDir();
    const inMemory = await scanned(dir, '1', { spillParent: parent });
    // three threads: the hits of two files arrive from worker threads
    const spilled = await scanned(dir, '3', { spillParent: parent, spillAt: 4096 });
    // thousands of hits of a few hundred bytes each: hundreds of runs, merged 64 at a time while scanning
    const [folder] = spillFolders(parent);
    expect(spillFolders(parent)).to.have.length(1);
    expect(readdirSync(join(parent, folder)).length).to.be.within(2, 64);
    const memory = inMemory.finish();
    const disk = spilled.finish();
    expect(disk.head.summary).to.deep.equal(memory.head.summary);
    // every beacon and one ragged row per CSV (a malformed hit), and the Defender records cron does not explain
    expect(disk.head.summary.hits).to.equal(1500 + 1200 + 2 + 300);
    expect(disk.head.summary.suppressed).to.equal(300);
    // the same times of the run, so the reports can be compared whole
    Object.assign(disk.head, { startedAt: memory.head.startedAt, finishedAt: memory.head.finishedAt });
    for (const [format, printer] of Object.entries(PRINTERS)) {
      expect(await printToString(printer, disk), format).to.equal(await printToString(printer, memory));
    }
    // newest first, untimed last
    const times: Array<string | null> = [];
    for await (const hit of disk.hits()) times.push(hit.time);
    const timed = times.filter((t): t is string => t !== null);
    expect(timed).to.deep.equal([...timed].sort().reverse());
    expect(times.slice(timed.length).every((t) => t === null)).to.equal(true);
    spilled.dispose();
    expect(spillFolders(parent)).to.deep.equal([]);
  });

  it('writes spill runs beside --output, and leaves only the report there', async function () {
    this.timeout(60_000);
    const dir = evidence();
    const out = tempDir();
    // a missing TMPDIR: a spill there would fail and be warned about
    const run = start(['--format', 'ndjson', '--output', join(out, 'report.ndjson'), dir], { TMPDIR: join(out, 'missing') });
    await spillAppears(out, run);
    const { code, stderr } = await run.exited;
    expect(code).to.equal(1);
    // no warning of a failed spill: only the evidence's own errors and the closing verdict
    expect(stderr.split('\n').filter((line) => line !== '' && !/: row has 15 fields|^perlbot-hunt: HIT: /.test(line))).to.deep.equal([]);
    expect(readdirSync(out)).to.deep.equal(['report.ndjson']);
    expect(readFileSync(join(out, 'report.ndjson'), 'utf8').trimEnd().split('\n')).to.have.length(1500 + 1200 + 2 + 600);
  });

  it('removes the spill folder when the run is interrupted (Ctrl-C)', async function () {
    this.timeout(60_000);
    const dir = writeFiles({ 'a.csv': beacons(20_000, 3) });
    const parent = tempDir();
    const run = start(['--format', 'json', '--jobs', '1', dir], { TMPDIR: parent });
    await spillAppears(parent, run);
    run.child.kill('SIGINT');
    expect((await run.exited).signal).to.equal('SIGINT');
    expect(readdirSync(parent)).to.deep.equal([]);
  });
});
