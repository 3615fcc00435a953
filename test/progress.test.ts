import { expect } from 'chai';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, writeFiles, tempDir, CSL_HEADER, ROOT } from './helpers.js';
import { spawn, spawnSync } from 'node:child_process';
import { hasScript, runInTerminal } from './pty.js';
import { ProgressSink } from '../lib/progress/progress-sink.js';
import { progressLine } from '../lib/progress/progress-line.js';
import type { ScanSink } from '../lib/sink/scan-sink.js';
import type { FileEntry, Hit } from '../lib/report/report.js';
import type { Ioc } from '../lib/matcher/ioc-set.js';

// The progress line: on standard error, only for a person at a terminal,
// gone before the report is written.

class RecordingSink implements ScanSink {
  readonly calls: unknown[][] = [];
  hit(hit: Hit, iocs: readonly Ioc[]): void {
    this.calls.push(['hit', hit, iocs]);
  }
  file(entry: FileEntry): void {
    this.calls.push(['file', entry]);
  }
  warning(path: string, message: string): void {
    this.calls.push(['warning', path, message]);
  }
  inputs(paths: readonly string[]): void {
    this.calls.push(['inputs', paths]);
  }
  bytesRead(count: number): void {
    this.calls.push(['bytesRead', count]);
  }
}

class FakeTerminal {
  written = '';
  columns = 80;
  write(text: string): boolean {
    this.written += text;
    return true;
  }
  /** How many times a non-blank line was drawn. */
  get draws(): number {
    return this.written.split('\r').filter((s) => s.trim() !== '').length;
  }
}

const entry = (path: string): FileEntry => ({ path, format: 'csv', compressed: false, table: 'CommonSecurityLog', records: 1, bytes: 10, sha256: 'x', errors: [], searched: { knownTable: 1, unknownTable: 0, rawText: 0 }, beforeWindow: 0, afterWindow: 0 });
const hit = { file: 'a.csv' } as Hit;

describe('the progress sink', () => {
  it('forwards every call to the sink it wraps, unchanged and in order', () => {
    const inner = new RecordingSink();
    const progress = new ProgressSink(inner, new FakeTerminal(), { now: () => 0 });
    progress.inputs(['a.csv']);
    progress.bytesRead(10);
    progress.hit(hit, []);
    progress.warning('a.csv', 'w');
    progress.file(entry('a.csv'));
    progress.finish();
    expect(inner.calls).to.deep.equal([['inputs', ['a.csv']], ['bytesRead', 10], ['hit', hit, []], ['warning', 'a.csv', 'w'], ['file', entry('a.csv')]]);
  });

  it('redraws at most ten times a second, and erases its line for good on finish', () => {
    let now = 0;
    const terminal = new FakeTerminal();
    const progress = new ProgressSink(new RecordingSink(), terminal, { now: () => now });
    progress.inputs(['a.csv', 'b.csv']);
    for (let i = 0; i < 1000; i++) progress.bytesRead(1);
    expect(terminal.draws).to.equal(1);
    now = 99;
    progress.hit(hit, []);
    expect(terminal.draws).to.equal(1);
    now = 100;
    progress.file(entry('a.csv'));
    expect(terminal.draws).to.equal(2);
    expect(terminal.written).to.include('files 1/2  hits 1');
    const before = terminal.written.length;
    progress.finish();
    const erase = terminal.written.slice(before);
    expect(erase).to.match(/^\r +\r$/);
    expect(erase.length - 2).to.be.at.least(terminal.written.slice(0, before).split('\r').pop()!.length);
    now = 1000;
    progress.bytesRead(5);
    progress.finish();
    expect(terminal.written.length).to.equal(before + erase.length);
  });

  it('counts only inputs as files done (an unreadable path is reported, not measured)', () => {
    let now = 0;
    const terminal = new FakeTerminal();
    const progress = new ProgressSink(new RecordingSink(), terminal, { now: () => now });
    progress.inputs(['a.csv']);
    progress.file(entry('missing.csv'));
    now = 200;
    progress.file(entry('a.csv'));
    expect(terminal.written.split('\r').pop()).to.include('files 1/1');
  });

  it('measures the inputs for the total, from their sizes as stored', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), Buffer.alloc(3000));
    writeFileSync(join(dir, 'b.csv'), Buffer.alloc(1096));
    let now = 0;
    const terminal = new FakeTerminal();
    const progress = new ProgressSink(new RecordingSink(), terminal, { now: () => now });
    progress.inputs([join(dir, 'a.csv'), join(dir, 'b.csv')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = 1000;
    progress.bytesRead(2048);
    expect(terminal.written.split('\r').pop()).to.match(/ 50%  2\.00\/4\.00 KiB  files 0\/2  hits 0  2\.0 KiB\/s  ETA 0:01/);
  });

  it('never draws a first frame of unknowns: no `?%`, no `0 B/?` before the inputs are measured', () => {
    const terminal = new FakeTerminal();
    const progress = new ProgressSink(new RecordingSink(), terminal, { now: () => 0 });
    progress.inputs(['a.csv', 'b.csv']);
    expect(terminal.draws).to.equal(1);
    expect(terminal.written).not.to.include('?');
    expect(terminal.written).to.match(/^\rfiles 0\/2  hits 0  ETA --:--  a\.csv$/);
  });

  it('names the earliest file not done, escaped, shortened from the left to the room there is', () => {
    let now = 0;
    const terminal = new FakeTerminal();
    terminal.columns = 60;
    const progress = new ProgressSink(new RecordingSink(), terminal, { now: () => now });
    const hostile = '/evidence/\x1b[2Jhost-42/a-rather-long-folder-name/export.csv';
    progress.inputs([hostile, 'b.csv']);
    const first = terminal.written.split('\r').pop()!;
    expect(first).not.to.include('\x1b');
    expect(first).to.equal('files 0/2  hits 0  ETA --:--  …-long-folder-name/export.csv');
    expect([...first].length).to.be.at.most(59);
    now = 200;
    progress.file(entry(hostile));
    expect(terminal.written.split('\r').pop()).to.match(/^files 1\/2  hits 0  ETA --:--  b\.csv *$/);
  });
});

describe('the progress line', () => {
  const state = { bytesDone: 50 * 1024 * 1024, bytesTotal: 200 * 1024 * 1024, filesDone: 3, filesTotal: 10, hits: 7, elapsedMs: 2000 };

  it('shows bytes done of the total, files, hits, throughput and ETA, with a bar when there is room', () => {
    const line = progressLine(state, 79);
    expect(line).to.have.length.at.most(79);
    expect(line.indexOf(' 25%'), 'the bar keeps its width').to.equal(progressLine({ ...state, bytesDone: 0 }, 79).indexOf('  0%'));
    expect(line).to.match(/^\[#+-+\]  25%  50\.0\/200\.0 MiB  files 3\/10  hits 7  25\.0 MiB\/s  ETA 0:06$/);
    // a quarter of the bar is filled
    const bar = /^\[(#+)(-+)\]/.exec(line)!;
    expect(Math.round((bar[1].length / (bar[1].length + bar[2].length)) * 4)).to.equal(1);
  });

  const file = 'fixtures/DeviceNetworkEvents/advanced-hunting-api-results.json';

  it('drops parts in a fixed order as the terminal narrows: bar, file name, throughput, bytes, files; never the ETA', () => {
    const at = (width: number) => progressLine({ ...state, current: file }, width);
    expect(at(199)).to.equal(`[###-------]  25%  50.0/200.0 MiB  files 3/10  hits 7  25.0 MiB/s  ETA 0:06  ${file}`);
    // 80 columns: the bar goes, the file name is shortened from the left
    expect(at(79)).to.equal(' 25%  50.0/200.0 MiB  files 3/10  hits 7  25.0 MiB/s  ETA 0:06  …i-results.json');
    expect([...at(79)].length).to.equal(79);
    // 60 columns: no file name, no throughput, the ETA kept
    expect(at(59)).to.equal(' 25%  50.0/200.0 MiB  files 3/10  hits 7  ETA 0:06');
    expect(at(40)).to.equal(' 25%  files 3/10  hits 7  ETA 0:06');
    expect(at(30)).to.equal(' 25%  hits 7  ETA 0:06');
    for (let width = 22; width <= 200; width++) {
      expect([...at(width)].length, `width ${width}`).to.be.at.most(width);
      expect(at(width), `width ${width}`).to.match(/ETA 0:06/);
    }
    expect(progressLine(state, 10)).to.have.length(10);
  });

  it('writes bytes done and total in one unit', () => {
    const line = progressLine({ ...state, bytesDone: 1003 * 1024 * 1024, bytesTotal: 1024 * 1024 * 1024 }, 200);
    expect(line).to.include(' 0.98/1.00 GiB ');
    expect(progressLine({ ...state, bytesDone: 300, bytesTotal: 900 }, 200)).to.include(' 300/900 B ');
  });

  it('says what it does not know yet', () => {
    expect(progressLine({ ...state, bytesTotal: null, elapsedMs: 0 }, 200)).to.equal('files 3/10  hits 7  ETA --:--');
    expect(progressLine({ ...state, bytesDone: 0, bytesTotal: 0, filesTotal: 0, filesDone: 0 }, 200)).to.match(/100%/);
    expect(progressLine({ ...state, elapsedMs: 3600 * 1000 }, 200)).to.match(/ETA 3:00:00$/);
  });
});

describe('progress on the command line', () => {
  const evidence = () => {
    // big enough to be read in several chunks, so progress has something to show
    const row = '2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,8.8.8.8,53,,,,,\n';
    const hit = '2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,179.43.139.84,443,,,,,\n';
    return writeFiles({ 'a.csv': `${CSL_HEADER}\n${row.repeat(40000)}${hit}`, 'b.csv': `${CSL_HEADER}\n${row.repeat(10)}` });
  };

  it('appears on a terminal and is gone before the report is written', function () {
    if (!hasScript()) this.skip();
    const run = runInTerminal(['--format', 'json', evidence()]);
    expect(run.status).to.equal(1);
    expect(run.screen).to.match(/files \d\/2  hits \d+ .*ETA/);
    // the report starts after the last carriage return that erased the line, and is whole
    const rest = run.screen.slice(run.screen.lastIndexOf('{\r\n  "tool"'));
    const beforeReport = run.screen.slice(0, run.screen.length - rest.length);
    expect(beforeReport.split('\r').pop()!.trim()).to.equal('');
    // the run's verdict comes last, on a line of its own after the report
    const verdictAt = rest.lastIndexOf('perlbot-hunt: HIT: 1 active hit');
    expect(verdictAt).to.be.above(0);
    expect(JSON.parse(rest.slice(0, verdictAt).replace(/\r\n/g, '\n')).summary.hits).to.equal(1);
  });

  it('names the file being read and counts hits live from every thread: two files on two threads', function () {
    if (!hasScript()) this.skip();
    // the first file goes to the main thread, the second to a worker thread: all the hits are the worker's, found early;
    // each file big enough (90 MB) to be read over several redraws even on a fast machine
    const row = '2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,8.8.8.8,53,,,,,\n';
    const hit = '2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,179.43.139.84,443,,,,,\n';
    const dir = writeFiles({ 'first-of-two.csv': `${CSL_HEADER}\n${row.repeat(1_000_000)}`, 'second-of-two.csv': `${CSL_HEADER}\n${hit.repeat(20)}${row.repeat(1_000_000)}` });
    let run: ReturnType<typeof runInTerminal>;
    try {
      run = runInTerminal(['--jobs', '2', '--format', 'json', join(dir, 'first-of-two.csv'), join(dir, 'second-of-two.csv')], { env: { COLUMNS: '200' } });
    } finally {
      // 180 MB: not left behind in the shared temporary folder
      rmSync(dir, { recursive: true, force: true });
    }
    expect(run.status).to.equal(1);
    const frames = run.screen.split('\r').filter((frame) => /ETA/.test(frame));
    // before the end (not every file done), a frame names a file and counts the worker's hits
    const live = frames.filter((frame) => /files [01]\/2  hits [1-9]/.test(frame));
    expect(live, frames.join('\n')).not.to.be.empty;
    expect(live.some((frame) => frame.includes(join(dir, 'first-of-two.csv')) || frame.includes(join(dir, 'second-of-two.csv')))).to.equal(true);
  });

  it('stays off with --quiet, even on a terminal', function () {
    if (!hasScript()) this.skip();
    const run = runInTerminal(['--quiet', '--format', 'json', evidence()]);
    expect(run.screen).not.to.match(/ETA/);
  });

  it('stays off when standard error is redirected, even with standard output on a terminal', function () {
    if (!hasScript()) this.skip();
    const run = runInTerminal(['--no-color', evidence()], { redirect: '2>/dev/null' });
    expect(run.screen).to.include('ACTIVE HITS (1)');
    expect(run.screen).not.to.match(/ETA/);
  });

  it('never appears when piped', () => {
    const run = runCli(['--format', 'json', evidence()]);
    expect(run.status).to.equal(1);
    // the closing verdict only: no progress line, no carriage return
    expect(run.stderr).to.equal('perlbot-hunt: HIT: 1 active hit, 0 suppressed, 0 errors\n');
    expect(run.stdout).not.to.include('\r');
  });
});

describe('Ctrl-C during a scan', () => {
  it('clears the progress line and says how many files were done', async function () {
    if (!hasScript()) this.skip();
    const dir = writeFiles({ 'a.csv': 'x,y\n1,2\n' });
    // a FIFO nobody writes to: the scan waits on it until interrupted
    const fifo = join(dir, 'waits');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    const command = [process.execPath, join(ROOT, 'bin', 'perlbot-hunt.js'), '-j', '1', join(dir, 'a.csv'), fifo].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '' } });
    let screen = '';
    const shown = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk) => {
        screen += String(chunk);
        if (/files \d\/2/.test(screen)) resolve();
      }),
    );
    const ended = new Promise((resolve) => child.on('close', resolve));
    // should the interrupt go unheard, the closed terminal hangs it up rather than leaving it behind
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    await shown;
    // time for the small file to be done; the FIFO then holds the scan
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // the terminal's interrupt character, as typed
    child.stdin.write('\x03');
    await ended;
    const after = screen.slice(screen.lastIndexOf('files '));
    expect(after).to.match(/^files \d\/2[^\r\n]*\r +\r/);
    expect(after).to.include('perlbot-hunt: interrupted after 1 file: no report written');
  });
});
