import { expect } from 'chai';
import { searchCounts } from '../lib/report/searched.js';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CSL_HEADER, ROOT, runCli, tempDir, writeFiles } from './helpers.js';
import { hasScript, runInTerminal } from './pty.js';
import { printText } from '../lib/printers/text-printer.js';
import { printToString, streamOf } from '../lib/report/report-stream.js';
import { CSV_COLUMNS, PROJECTION_COLUMNS, matchText } from '../lib/printers/csv-printer.js';
import { CONTEXT_COLUMNS } from '../lib/report/hit-context.js';
import type { FileEntry, Hit, Report } from '../lib/report/report.js';

// docs/output.md and issue 4: the text report a responder reads, the machine
// formats their tooling ingests, and `--output` that never leaves half a report.

const GOLDEN = join(ROOT, 'test', 'golden');
const ANSI = /\x1b\[/;

/** Compare with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).to.equal(readFileSync(path, 'utf8'));
}

/** Every line within `width`, but for a line that is one of `paths` alone (a path is never cut). */
function expectFits(text: string, width = 80, paths: readonly string[] = []): void {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  for (const line of plain.split('\n')) {
    if (paths.includes(line)) continue;
    expect([...line].length, `too wide: ${JSON.stringify(line)}`).to.be.at.most(width);
  }
}

/** What changes from run to run: clock and version. */
function normalise(text: string): string {
  return text
    .replace(/^(perlbot-hunt) \S+:/m, '$1 <version>:')
    .replace(/^( {2}started {3}).*$/m, '$1<time>')
    .replace(/^( {2}finished {2}).*$/m, '$1<time> (<duration>)');
}

// A small deterministic case: active hits on both tables, a port mismatch, a
// suppressed hit, a malformed record holding an IOC IP, and its error.
const EVIDENCE = {
  'csl.csv': [
    'TimeGenerated,DeviceVendor,DeviceProduct,DeviceName,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceProcessName,FileType',
    '2026-06-01T10:00:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.5,50000,179.43.139.84,443,perl,',
    '2026-06-02T11:30:00Z,Fortinet,FortiGate,fw-01,deny,traffic,10.0.0.7,50001,179.43.139.86,8443,,',
    '2026-06-03T11:30:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.9,50002,179.43.139.86,443,rsync,script',
    '2026-06-03T12:00:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.9,50003,8.8.8.8,53,,',
    '',
  ].join('\n'),
  'dne.csv': [
    'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,LocalPort,InitiatingProcessFileName,InitiatingProcessParentFileName,InitiatingProcessCommandLine',
    '2026-06-04T09:00:00Z,d1,build-01,ConnectionSuccess,179.43.139.84,443,10.1.1.1,40000,perl,bash,perl /tmp/x.pl',
    '2026-06-05T09:00:00Z,d1,build-01,ConnectionSuccess,179.43.139.86,443,10.1.1.1,40001,perl,cron,perl /opt/log_parser.pl',
    '2026-06-06T09:00:00Z,d1,build-01,ConnectionSuccess,"179.43.139.84,broken',
    '',
  ].join('\n'),
};

/** The text report of a report held in memory. */
const textOf = (report: Report, color: boolean, width?: number): Promise<string> => printToString((r) => printText(r, color, { width }), streamOf(report));

describe('the text report', () => {
  it('matches the golden report for a small case, with --no-color, every line within 80 columns', () => {
    const dir = writeFiles(EVIDENCE);
    // relative paths, from inside the folder: the report does not depend on where the test ran
    const run = runCli(['--no-color', 'csl.csv', 'dne.csv'], {}, dir);
    expect(run.status).to.equal(1);
    expect(run.stdout).not.to.match(ANSI);
    expectFits(run.stdout);
    expectGolden('text-report.txt', normalise(run.stdout));
  });

  for (const width of [60, 80, 200]) {
    it(`lays out a report with every kind of hit in ${width} columns, paths whole, hostile text escaped`, async () => {
      const report = richReport();
      const plain = await textOf(report, false, width);
      expectFits(plain, width, PATHS);
      expect(plain).not.to.match(/[\x00-\x08\x0b-\x1f\x7f]/);
      expectGolden(`text-layout-${width}.txt`, plain);
      const colored = await textOf(report, true, width);
      expect(colored).to.match(ANSI);
      expectFits(colored, width, PATHS);
      // color adds no word and removes none
      expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).to.equal(plain);
    });
  }

  it('never cuts a path: one the line cannot hold stands whole on a line of its own, unmarked', async () => {
    const at60 = (await textOf(richReport(), false, 60)).split('\n');
    // the input, the active hit and the suppressed hit each have the path alone on a line, to be copied with a triple-click
    expect(at60.filter((line) => line === LONG_PATH)).to.have.length(3);
    expect(at60).to.include('    at line 2 (record 1) of');
    expect(at60).to.include('~   at line 9 (record 8) of');
    expect(at60.join('\n')).not.to.include('…/');
    // where the line holds it, the path stays on the hit's line as file:line
    const at200 = (await textOf(richReport(), false, 200)).split('\n');
    expect(at200).to.include(`    at ${LONG_PATH}:2 (record 1)`);
    expect(at200).to.include(`~   at ${LONG_PATH}:9 (record 8)`);
    expect(at200).to.include('    at a.csv:7 (record 6)');
  });

  it('says why the per-IOC counts add up to more than the hits', async () => {
    const plain = await textOf(richReport(), false);
    expect(plain).to.include('    203.0.113.9 (any port)  active 0, suppressed 0\n    a hit holding several IOCs counts once for each, so these add up to more\n      than the hits: 6 active for 5\n');
    const dir = writeFiles(EVIDENCE);
    expect(runCli(['--no-color', dir]).stdout, 'no word when no hit holds two IOCs').not.to.include('counts once for each');
  });

  it('is as wide as the terminal (COLUMNS when it does not say), and 80 columns into a pipe', function () {
    // a path longer than 80 columns, shorter than 200 with what goes around it
    const folder = join(tempDir(), 'host-42-exports', 'another-long-folder-name-of-the-firewall-export-2026-06-10');
    mkdirSync(folder, { recursive: true });
    const long = join(folder, 'csl.csv');
    writeFileSync(long, EVIDENCE['csl.csv']);
    expect(long.length).to.be.above(80).and.below(180);
    const widest = (text: string) => Math.max(...text.replace(/\r/g, '').split('\n').filter((l) => !l.includes(long)).map((l) => [...l].length));
    const piped = runCli(['--no-color', long], { COLUMNS: '200' });
    expect(widest(piped.stdout)).to.be.at.most(80);
    expect(piped.stdout).to.include(`\n${long}\n`);
    if (!hasScript()) this.skip();
    const wide = runInTerminal(['--no-color', long], { env: { COLUMNS: '200' } }).screen;
    expect(widest(wide)).to.be.above(80).and.at.most(200);
    expect(wide).to.include(`    at ${long}:2 (record 1)`);
  });

  it('uses ANSI color with --color, and none with --no-color, NO_COLOR or when piped', () => {
    const dir = writeFiles(EVIDENCE);
    expect(runCli(['--color', dir]).stdout).to.match(ANSI);
    expect(runCli(['--color', dir], { NO_COLOR: '1' }).stdout, '--color wins over NO_COLOR').to.match(ANSI);
    expect(runCli(['--no-color', dir]).stdout).not.to.match(ANSI);
    expect(runCli([dir]).stdout, 'piped').not.to.match(ANSI);
    expect(runCli([dir], { NO_COLOR: '1' }).stdout).not.to.match(ANSI);
  });

  it('uses color on a terminal unless NO_COLOR or --no-color says otherwise', function () {
    if (!hasScript()) this.skip();
    const dir = writeFiles(EVIDENCE);
    expect(runInTerminal([dir]).screen).to.match(ANSI);
    expect(runInTerminal([dir], { env: { NO_COLOR: '1' } }).screen).not.to.match(ANSI);
    expect(runInTerminal(['--no-color', dir]).screen).not.to.match(ANSI);
  });
});

describe('the machine formats', () => {
  // values that need quoting in CSV, read from JSON lines so they can hold anything
  const tricky = [
    { Timestamp: '2026-06-07T08:00:00Z', DeviceId: 'd2', DeviceName: 'lab,"7"\nsecond line\r\nthird\rfourth', ActionType: 'ConnectionSuccess', RemoteIP: '179.43.139.84', RemotePort: 443, LocalIP: '179.43.139.86', LocalPort: 5000, InitiatingProcessFileName: ' perl ' },
    { Timestamp: '2026-06-07T09:00:00Z', DeviceId: 'd2', DeviceName: 'lab-8', ActionType: 'ConnectionSuccess', RemoteIP: '::ffff:179.43.139.86', RemoteUrl: 'https://179.43.139.86/x' },
  ];
  const files = () => writeFiles({ ...EVIDENCE, 'tricky.jsonl': tricky.map((r) => JSON.stringify(r)).join('\n') });

  it('ndjson writes exactly the json report\'s hits, one per line', () => {
    const dir = files();
    const json = JSON.parse(runCli(['--format', 'json', dir]).stdout) as Report;
    const run = runCli(['--format', 'ndjson', dir]);
    expect(run.status).to.equal(1);
    expect(run.stdout.endsWith('\n')).to.equal(true);
    const lines = run.stdout.slice(0, -1).split('\n');
    expect(lines.map((l) => JSON.parse(l))).to.deep.equal(json.hits);
    expect(json.hits.length).to.equal(8);
  });

  it('json keeps its head and its end when the IOC set alone is larger than a written piece', () => {
    const dir = files();
    // 3,000 IOCs: the report's head (the IOCs in force) is several written pieces long
    const feed = ['179.43.139.84:443', ...Array.from({ length: 3000 }, (_, i) => `10.${i >> 8}.${i & 255}.7`)].join('\n');
    const iocs = join(writeFiles({ 'feed.txt': feed }), 'feed.txt');
    const run = runCli(['--iocs', iocs, '--format', 'json', dir]);
    expect(run.status, run.stderr).to.equal(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.iocs).to.have.length(3001);
    expect(report.hits.length).to.be.above(0);
    expect(report.summary.hits).to.equal(report.hits.length);
  });

  it('json writes the whole report when its head is larger than a piece written at once (a file\'s thousand errors)', () => {
    // 3,000 ragged rows: the file's entry lists 1,000 errors, well over 64 KiB of head before the hits
    const ragged = Array.from({ length: 3000 }, (_, i) => `2026-05-2${i % 9}T10:00:00Z,x`);
    const hit = '2026-05-21T10:00:00Z,Palo Alto Networks,PAN-OS,allow,TRAFFIC,10.1.1.6,50001,179.43.139.84,443,,,,,the C2';
    const dir = writeFiles({ 'damaged.csv': `${CSL_HEADER}\n${ragged.join('\n')}\n${hit}\n` });
    const run = runCli(['--format', 'json', dir]);
    expect(run.status).to.equal(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.tool.name).to.equal('perlbot-hunt');
    expect(report.files[0].errors.length).to.equal(1001);
    expect(report.hits.map((h) => h.line)).to.deep.equal([3002]);
  });

  it('csv has the documented columns and reads back (csv-parse) to the json report\'s hits', () => {
    const dir = files();
    const json = JSON.parse(runCli(['--format', 'json', dir]).stdout) as Report;
    const run = runCli(['--format', 'csv', dir]);
    expect(run.status).to.equal(1);
    const rows = parse(run.stdout) as string[][];
    expect(rows[0]).to.deep.equal([
      'file', 'line', 'record', 'time', 'table', 'ip', 'field', 'port', 'portMatch', 'suppressedBy',
      'device', 'vendor', 'product', 'sourceIp', 'sourcePort', 'destinationIp', 'destinationPort', 'process', 'parentProcess', 'user', 'action',
      'TimeGenerated', 'SourceIP', 'DestinationIP', 'DestinationPort', 'DeviceAction', 'Activity',
      'Timestamp', 'DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'ActionType',
      'matches',
    ]);
    expect(rows[0]).to.deep.equal([...CSV_COLUMNS]);
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const expected = json.hits.map((hit: Hit) => [
      hit.file, text(hit.line), text(hit.record), text(hit.time), hit.table,
      text(hit.matches[0].ip), text(hit.matches[0].field), text(hit.matches[0].port), text(hit.matches[0].portMatch), text(hit.suppressedBy),
      ...CONTEXT_COLUMNS.map((key) => text(hit.context?.[key])),
      ...PROJECTION_COLUMNS.map((c) => text(hit.fields[c])),
      hit.matches.map(matchText).join(';'),
    ]);
    expect(rows.slice(1)).to.deep.equal(expected);
    // the quoting survived: the value with a comma, quotes, CRLF, LF and a lone CR is whole
    expect(rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('DeviceName')])).to.include(tricky[0].DeviceName);
    // every match of a record, and a raw-text match of the malformed one
    const matches = rows.slice(1).map((r) => r[r.length - 1]);
    expect(matches).to.include('RemoteIP=179.43.139.84:443;LocalIP=179.43.139.86:5000');
    expect(matches).to.include('RemoteIP=179.43.139.86;RemoteUrl=179.43.139.86:443');
    expect(matches).to.include('raw=179.43.139.84');
  });

  it('csv gives each table\'s hits one context set: appliance or device, ends with ports, process, parent, user, action, record', () => {
    const dir = writeFiles({
      'csl.csv': [
        'TimeGenerated,Computer,DeviceVendor,DeviceProduct,DeviceName,DeviceAction,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceUserName,SourceProcessName',
        '2026-06-01T10:00:00Z,collector-01,Cisco,ASA,asa-edge-2,Built,10.0.0.5,50000,8.8.8.8,53,,',
        '2026-06-01T10:00:01Z,collector-01,Cisco,ASA,asa-edge-2,Built,10.0.0.5,50001,179.43.139.84,443,alice,perl',
        '',
      ].join('\n'),
      'dne.csv': EVIDENCE['dne.csv'],
    });
    const rows = parse(runCli(['--format', 'csv', dir]).stdout, { columns: true }) as Array<Record<string, string>>;
    const pick = (row: Record<string, string>) => Object.fromEntries(['record', ...CONTEXT_COLUMNS].map((c) => [c, row[c]]));
    expect(pick(rows.find((r) => r.table === 'CommonSecurityLog')!)).to.deep.equal({
      record: '2', device: 'asa-edge-2', vendor: 'Cisco', product: 'ASA', sourceIp: '10.0.0.5', sourcePort: '50001',
      destinationIp: '179.43.139.84', destinationPort: '443', process: 'perl', parentProcess: '', user: 'alice', action: 'Built',
    });
    expect(pick(rows.find((r) => r.table === 'DeviceNetworkEvents' && r.record === '1')!)).to.deep.equal({
      record: '1', device: 'build-01', vendor: '', product: '', sourceIp: '10.1.1.1', sourcePort: '40000',
      destinationIp: '179.43.139.84', destinationPort: '443', process: 'perl', parentProcess: 'bash', user: '', action: 'ConnectionSuccess',
    });
    // the same keys in the json report's context object
    const json = JSON.parse(runCli(['--format', 'json', dir]).stdout) as Report;
    expect(json.hits.find((h) => h.table === 'CommonSecurityLog')!.context).to.deep.equal({
      device: 'asa-edge-2', vendor: 'Cisco', product: 'ASA', sourceIp: '10.0.0.5', sourcePort: '50001',
      destinationIp: '179.43.139.84', destinationPort: '443', process: 'perl', user: 'alice', action: 'Built',
    });
  });

  it('csv writes the header row even when nothing was hit', () => {
    const dir = writeFiles({ 'a.csv': `${CSL_HEADER}\n2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,8.8.8.8,53,,,,,\n` });
    const run = runCli(['--format', 'csv', dir]);
    expect(run.status).to.equal(0);
    expect(run.stdout).to.equal(`${CSV_COLUMNS.join(',')}\n`);
  });

  it('files[].sha256 is the SHA-256 of each file as stored (gzip: of the compressed bytes)', () => {
    const dir = writeFiles({ ...EVIDENCE, 'more.csv.gz': EVIDENCE['csl.csv'] });
    const json = JSON.parse(runCli(['--format', 'json', dir]).stdout) as Report;
    expect(json.files).to.have.length(3);
    for (const file of json.files) {
      expect(file.sha256, file.path).to.equal(createHash('sha256').update(readFileSync(file.path)).digest('hex'));
    }
  });
});

describe('provenance in the json report', () => {
  const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('records the options in force and the built-in IOC and exclusion data by SHA-256', () => {
    const dir = writeFiles(EVIDENCE);
    const json = JSON.parse(runCli(['--format', 'json', '--kql-parity', '--jobs', '3', '--since', '2026-06-01', dir], {}, dir).stdout) as Report;
    expect(json.run!.options).to.deep.equal({
      paths: [dir], cwd: dir, format: 'json', output: null, kqlParity: true, fullParse: false, allFiles: false, jobs: 3, table: null,
      since: '2026-06-01T00:00:00.000Z', until: null, exclusions: 'built-in', color: null, quiet: false,
    });
    expect(json.run!.iocSet).to.deep.equal({ origin: 'built-in', sha256: sha256(join(ROOT, 'lib', 'data', 'iocs.json')) });
    expect(json.run!.exclusionSet).to.deep.equal({ origin: 'built-in', sha256: sha256(join(ROOT, 'lib', 'data', 'exclusions.json')) });
  });

  it('names a user exclusions file and its SHA-256, or none', () => {
    const dir = writeFiles(EVIDENCE);
    const rules = join(tempDir(), 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: [{ id: 'x', description: 'x', when: { field: 'user', equals: 'nobody' } }] }));
    const withFile = JSON.parse(runCli(['--format', 'json', '--exclusions', rules, dir]).stdout) as Report;
    expect(withFile.run!.exclusionSet).to.deep.equal({ origin: rules, sha256: sha256(rules) });
    expect(withFile.run!.options.exclusions).to.equal(rules);
    const none = JSON.parse(runCli(['--format', 'json', '--no-exclusions', dir]).stdout) as Report;
    expect(none.run!.exclusionSet).to.deep.equal({ origin: 'none', sha256: null });
  });
});

describe('--output FILE', () => {
  const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

  it('writes the whole report there, nothing on standard output, no temporary file left', () => {
    const evidence = writeFiles(EVIDENCE);
    const out = tempDir();
    const target = join(out, 'report.json');
    writeFileSync(target, 'an older report that must be replaced whole');
    const run = runCli(['--format', 'json', '--force', '--output', target, evidence]);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.equal('');
    const report = JSON.parse(readFileSync(target, 'utf8')) as Report;
    expect(report.hits.map((h) => h.line)).to.deep.equal((JSON.parse(runCli(['--format', 'json', evidence]).stdout) as Report).hits.map((h) => h.line));
    expect(readdirSync(out)).to.deep.equal(['report.json']);
  });

  it('writes text without color to a file', () => {
    const out = join(tempDir(), 'report.txt');
    expect(runCli(['--output', out, writeFiles(EVIDENCE)]).status).to.equal(1);
    const text = readFileSync(out, 'utf8');
    expect(text).to.include('ACTIVE HITS (4)');
    expect(text).not.to.match(ANSI);
  });

  it('into a missing folder: exit 2 before scanning, nothing created', () => {
    const base = tempDir();
    const run = runCli(['--output', join(base, 'no', 'such', 'report.json'), writeFiles(EVIDENCE)]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.match(/cannot write the report to .*report\.json: its folder does not exist/);
    expect(run.stdout).to.equal('');
    expect(readdirSync(base)).to.deep.equal([]);
  });

  it('into a folder it may not write: exit 2, no report and no temporary file', function () {
    if (process.getuid?.() === 0) this.skip(); // root writes anywhere
    const out = tempDir();
    chmodSync(out, 0o555);
    try {
      const run = runCli(['--output', join(out, 'report.json'), writeFiles(EVIDENCE)]);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.match(/permission denied/);
      expect(readdirSync(out)).to.deep.equal([]);
    } finally {
      chmodSync(out, 0o755);
    }
  });

  it('under a path through a file: exit 2, nothing created (this one holds for root too)', () => {
    const base = tempDir();
    writeFileSync(join(base, 'plain'), 'x');
    const run = runCli(['--output', join(base, 'plain', 'report.json'), writeFiles(EVIDENCE)]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.match(/cannot write the report/);
    expect(readdirSync(base)).to.deep.equal(['plain']);
  });

  it('onto a folder: exit 2 before scanning, the folder untouched, no temporary file', () => {
    const base = tempDir();
    mkdirSync(join(base, 'report.json'));
    writeFileSync(join(base, 'report.json', 'keep'), 'x');
    const run = runCli(['--output', join(base, 'report.json'), writeFiles(EVIDENCE)]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.match(/cannot write the report to .*report\.json: it is a directory/);
    expect(readdirSync(base)).to.deep.equal(['report.json']);
    expect(readdirSync(join(base, 'report.json'))).to.deep.equal(['keep']);
  });

  it('when nothing could be scanned: exit 2, the old report untouched, no temporary file', () => {
    const out = tempDir();
    const target = join(out, 'report.json');
    writeFileSync(target, 'previous');
    const run = runCli(['--output', target, join(tempDir(), 'missing.csv')]);
    expect(run.status).to.equal(2);
    expect(readFileSync(target, 'utf8')).to.equal('previous');
    expect(leftovers(out)).to.deep.equal([]);
  });

  it('refuses to write over one of its inputs: inputs are never modified', () => {
    const dir = writeFiles(EVIDENCE);
    const input = join(dir, 'csl.csv');
    // without --force an existing file is refused anyway; with it, an input still is
    const run = runCli(['--format', 'csv', '--force', '--output', input, dir]);
    // the scan found active hits: 1 says so even though the report could not be written
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/one of the inputs/);
    expect(readFileSync(input, 'utf8')).to.equal(EVIDENCE['csl.csv']);
    expect(leftovers(dir)).to.deep.equal([]);
    expect(existsSync(input)).to.equal(true);
  });
});

/** A hand-made report exercising the layout: every kind of hit, long and hostile values. */
const LONG_PATH = '/evidence/case-2026-0042/host-exports/firewall/cluster-a/node-3/2026/06/01/export-with-a-long-name.csv';
const IOC_PATH = '/cases/0042/threatfox-perlbot-export-with-a-long-file-name-2026-06-10.json';
/** The paths of richReport() that may stand alone on a line wider than the page. */
const PATHS = [LONG_PATH, IOC_PATH];

function richReport(): Report {
  const longPath = LONG_PATH;
  const base = { record: 1, suppressedBy: null, malformed: false, fields: {} };
  const files: FileEntry[] = [
    { path: longPath, format: 'csv', compressed: false, table: 'CommonSecurityLog', records: 1234567, bytes: 987654321, sha256: 'ab', errors: [], searched: { knownTable: 17, unknownTable: 0, rawText: 1234550 }, beforeWindow: 40, afterWindow: 8 },
    { path: 'notes.txt', format: null, compressed: false, table: 'unknown', records: 0, bytes: 0, sha256: null, errors: [], searched: { knownTable: 0, unknownTable: 0, rawText: 0 }, beforeWindow: 0, afterWindow: 0, skipped: 'extension' },
    { path: 'a.csv', format: 'ndjson', compressed: true, table: 'mixed', records: 9, bytes: 2048, sha256: 'cd', errors: [{ line: 5, message: 'invalid JSON: Unexpected token } in JSON at position 17, and a message long enough to wrap' }], searched: { knownTable: 9, unknownTable: 0, rawText: 0 }, beforeWindow: 0, afterWindow: 0 },
    { path: 'gone.csv', format: null, compressed: false, table: 'unknown', records: 0, bytes: 0, sha256: null, errors: [{ line: null, message: 'no such file or directory' }], searched: { knownTable: 0, unknownTable: 0, rawText: 0 }, beforeWindow: 0, afterWindow: 0 },
  ];
  return {
    tool: { name: 'perlbot-hunt', version: '9.9.9' },
    startedAt: '2026-06-10T12:00:00.000Z',
    finishedAt: '2026-06-10T12:00:42.500Z',
    iocs: [
      { ip: '179.43.139.84', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 75, firstSeen: '2026-05-21' },
      { ip: '179.43.139.86', port: 443, threatType: 'botnet_cc', malware: 'PerlBot', confidence: 80, firstSeen: '2026-05-21' },
      { ip: '203.0.113.9', port: null, threatType: 'payload_delivery_and_a_rather_long_threat_type', malware: null, confidence: null, firstSeen: null },
    ],
    exclusions: [
      { id: 'cron-log-parser', description: 'Scheduled job using cron or systemd that runs a legitimate Perl script for log parsing or data processing' },
      { id: 'no-words', description: '' },
    ],
    files,
    summary: {
      files: 4, records: 1234576, hits: 5, suppressed: 1, errors: 2, ...searchCounts(files),
      perIoc: [
        // the malformed hit holds both: counted for each
        { ip: '179.43.139.84', port: 443, hits: 4, suppressed: 1 },
        { ip: '179.43.139.86', port: 443, hits: 2, suppressed: 0 },
        { ip: '203.0.113.9', port: null, hits: 0, suppressed: 0 },
      ],
    },
    hits: [
      {
        ...base, file: longPath, line: 2, table: 'CommonSecurityLog', time: '2026-06-09T23:59:59.999Z',
        matches: [{ field: 'DestinationIP', ip: '179.43.139.84', port: 443, portMatch: true }],
        fields: { SourceIP: '10.0.0.5', DestinationIP: '179.43.139.84', DestinationPort: '443', DeviceAction: 'accept' },
        context: { device: 'fw-01', vendor: 'Fortinet', product: 'FortiGate', sourceIp: '10.0.0.5', sourcePort: '50000', destinationIp: '179.43.139.84', destinationPort: '443', process: 'perl', user: 'root', action: 'accept' },
      },
      {
        ...base, file: 'a.csv', line: 3, record: 2, table: 'DeviceNetworkEvents', time: '2026-06-08T10:00:00.000Z',
        matches: [{ field: 'RemoteIP', ip: '179.43.139.86', port: 51000, portMatch: false }, { field: 'RemoteUrl', ip: '179.43.139.86', port: null, portMatch: null }],
        context: { device: 'evil\x1b[31mhost\nnext', sourceIp: '179.43.139.86', sourcePort: '51000', destinationIp: 'fe80::1', destinationPort: '22', process: 'sshd', parentProcess: 'systemd', action: 'InboundConnectionAccepted' },
      },
      {
        ...base, file: longPath, line: 9, record: 8, table: 'DeviceNetworkEvents', time: '2026-06-07T10:00:00.000Z', suppressedBy: 'cron-log-parser',
        matches: [{ field: 'RemoteIP', ip: '179.43.139.84', port: 443, portMatch: true }],
        context: { device: 'build-01', sourceIp: '10.1.1.1', sourcePort: '40001', destinationIp: '179.43.139.84', destinationPort: '443', process: 'perl', parentProcess: 'cron', action: 'ConnectionSuccess' },
      },
      {
        ...base, file: 'a.csv', line: 5, record: 4, table: 'DeviceNetworkEvents', time: null, timeText: '13/45/2020, 99:00 PM',
        matches: [{ field: 'RemoteIP', ip: '179.43.139.84', port: 443, portMatch: true }],
        fields: { DeviceName: 'build-01', RemoteIP: '179.43.139.84', RemotePort: '443' },
      },
      {
        ...base, file: 'a.csv', line: 6, record: 5, table: 'unknown', time: null, malformed: true,
        matches: [{ field: null, ip: '179.43.139.84', port: null, portMatch: null }, { field: null, ip: '179.43.139.86', port: null, portMatch: null }],
      },
      {
        ...base, file: 'a.csv', line: 7, record: 6, table: 'DeviceNetworkEvents', time: null,
        matches: [{ field: 'RemoteIP', ip: '179.43.139.84', port: null, portMatch: null }],
      },
    ],
    run: {
      options: { paths: ['/evidence'], cwd: '/', format: 'text', output: null, kqlParity: false, fullParse: false, jobs: 2, table: null, since: '2026-06-01T00:00:00.000Z', until: null, exclusions: 'built-in', color: null, quiet: false },
      iocSet: { origin: IOC_PATH, sha256: 'ef' },
      exclusionSet: { origin: 'built-in', sha256: '01' },
    },
  };
}
