import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { CSL_HEADER, DNE_HEADER, FIXTURES, ROOT, runCli, tempDir, writeFiles } from './helpers.js';
import type { Report } from '../lib/report/report.js';

// docs/report.schema.json is the published shape of `--format json`, of
// `merge --format json` and of each `--format ndjson` line: every report the
// CLI writes on the fixtures and on broken input must match it, and the
// schema must refuse a report a script could not rely on.

const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8')) as { $id: string };
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(SCHEMA);
const validator = (ref: string): ValidateFunction => ajv.getSchema(`${SCHEMA.$id}${ref}`)!;
const report = validator('');
const hitLine = validator('#/$defs/hit');
const mergedHitLine = validator('#/$defs/mergedHit');

function problems(validate: ValidateFunction, value: unknown): string {
  return validate(value) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

/** The CLI's JSON report for these arguments (exit 0, 1 or 3: a report was written). */
function jsonReport(...args: string[]): Report {
  const run = runCli(['--format', 'json', '--quiet', ...args]);
  expect(run.status, run.stderr).to.be.oneOf([0, 1, 3]);
  return JSON.parse(run.stdout) as Report;
}

function saved(dir: string, name: string, value: Report): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

describe('docs/report.schema.json', () => {
  it('is a valid draft 2020-12 schema (ajv compiles it in strict mode)', () => {
    expect(report).to.be.a('function');
    expect(hitLine).to.be.a('function');
  });

  describe('every JSON report of the fixtures matches it', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(FIXTURES, e.name));
    const runs: Array<[string, string[]]> = [
      ['fixtures/', [FIXTURES]],
      ...folders.map((folder): [string, string[]] => [folder.slice(ROOT.length + 1), [folder]]),
      ['fixtures/ --kql-parity', ['--kql-parity', FIXTURES]],
      ['fixtures/ --since --until', ['--since', '2026-05-25', '--until', '2026-06-01T12:00:00Z', FIXTURES]],
      ['fixtures/ --full-parse --jobs 1 --no-exclusions', ['--full-parse', '--jobs', '1', '--no-exclusions', FIXTURES]],
      ['fixtures/ --table DeviceNetworkEvents', ['--table', 'DeviceNetworkEvents', join(FIXTURES, 'DeviceNetworkEvents')]],
    ];
    for (const [label, args] of runs) {
      it(label, () => {
        expect(problems(report, jsonReport(...args))).to.equal('');
      });
    }

    it('fixtures/ --iocs (two ThreatFox exports) --min-confidence 50', () => {
      const threatfox = join(ROOT, 'test', 'data', 'threatfox');
      const withIocs = jsonReport('--iocs', join(threatfox, 'recent.csv'), '--iocs', join(threatfox, 'recent.json'), '--min-confidence', '50', FIXTURES);
      // the IOC file records the schema describes are really there
      expect(withIocs.run!.iocSet.files).to.have.length(2);
      expect(withIocs.run!.iocSet.minConfidence).to.equal(50);
      expect(problems(report, withIocs)).to.equal('');
    });

    it('fixtures/ --iocs (STIX bundle, MISP event) --all-attributes: set-aside and option counts', () => {
      const feeds = join(ROOT, 'test', 'data', 'feeds');
      const withFeeds = jsonReport('--iocs', join(feeds, 'stix-bundle.json'), '--iocs', join(feeds, 'misp-event.json'), '--all-attributes', FIXTURES);
      const [stix, misp] = withFeeds.run!.iocSet.files!;
      expect(stix).to.have.property('notUsed');
      expect(misp).to.have.property('usedByOption');
      expect(problems(report, withFeeds)).to.equal('');
    });

    it('test/data/kinds --iocs (every IOC kind): kinds, ranges, subdomains and URL hosts on the matches', () => {
      const kinds = join(ROOT, 'test', 'data', 'kinds');
      const withKinds = jsonReport('--iocs', join(kinds, 'iocs.txt'), kinds);
      const hows = new Set(withKinds.hits.flatMap((h) => h.matches.map((m) => m.how)));
      expect([...hows].sort()).to.deep.equal(['in-range', 'subdomain', 'url-host', undefined]);
      expect(withKinds.iocs.every((ioc) => ioc.kind !== undefined && ioc.sourceFile !== undefined)).to.equal(true);
      expect(problems(report, withKinds)).to.equal('');
    });
  });

  it('a report of broken input matches it: errors, a malformed hit, an unresolved time, unreadable and binary files', () => {
    const ioc = '179.43.139.84';
    const dir = writeFiles({
      'ragged.csv': `${CSL_HEADER}\n2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,${ioc},443,,,,\n`,
      'bad-time.csv': `${CSL_HEADER}\n2026-13-45T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,${ioc},443,,,,,\n`,
      'broken.jsonl': `{"Timestamp":"2026-06-01T10:00:00Z","DeviceId":"d1","RemoteIP":"${ioc}","ActionType":"ConnectionSuccess"}\n{"Timestamp": "2026-06-01T10:00:01Z", "RemoteIP": "${ioc}", \n`,
      'binary.csv': Buffer.alloc(4096),
      'dne.csv': `${DNE_HEADER}\n2026-06-01T09:00:00Z,d1,host-1,ConnectionSuccess,${ioc},443,,10.0.0.1,50000,perl,perl x.pl,\n`,
    });
    const whole = gzipSync(Buffer.from(`${CSL_HEADER}\n${'2026-06-01T10:00:00Z,Fortinet,FortiGate,accept,traffic,10.0.0.5,50000,10.1.1.1,443,,,,,\n'.repeat(2000)}`));
    writeFileSync(join(dir, 'cut.csv.gz'), whole.subarray(0, whole.length >> 1));
    const broken = jsonReport(dir, join(dir, 'missing.csv'));

    // what the schema's conditional parts are about is really in this report
    expect(broken.summary.errors).to.be.greaterThan(3);
    expect(broken.hits.some((h) => h.malformed)).to.equal(true);
    expect(broken.hits.some((h) => h.timeText !== undefined)).to.equal(true);
    expect(broken.files.some((f) => f.format === null && f.sha256 === null)).to.equal(true);
    expect(broken.files.some((f) => f.errors.some((e) => e.line === null))).to.equal(true);
    expect(problems(report, broken)).to.equal('');
  });

  it('merged reports match it, and a merge of merges', () => {
    const dir = tempDir();
    const csl = saved(dir, 'csl.json', jsonReport(join(FIXTURES, 'CommonSecurityLog')));
    const dne = saved(dir, 'dne.json', jsonReport(join(FIXTURES, 'DeviceNetworkEvents')));
    const other = saved(dir, 'other.json', jsonReport(join(FIXTURES, 'other')));
    const merge = (...paths: string[]) => {
      const run = runCli(['merge', '--format', 'json', '--quiet', ...paths]);
      expect(run.status, run.stderr).to.be.oneOf([0, 1, 3]);
      return JSON.parse(run.stdout) as Report;
    };
    const merged = merge(csl, dne);
    expect(problems(report, merged)).to.equal('');
    const again = merge(saved(dir, 'merged.json', merged), other);
    expect(again.merge!.reports).to.have.length(3);
    expect(problems(report, again)).to.equal('');
  });

  it('each NDJSON line matches its hit shape, for a scan and for a merge', () => {
    const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
    const scanned = lines(runCli(['--format', 'ndjson', '--quiet', FIXTURES]).stdout);
    expect(scanned.length).to.be.greaterThan(10);
    for (const line of scanned) expect(problems(hitLine, line)).to.equal('');

    const dir = tempDir();
    const a = saved(dir, 'a.json', jsonReport(join(FIXTURES, 'CommonSecurityLog')));
    const b = saved(dir, 'b.json', jsonReport(join(FIXTURES, 'DeviceNetworkEvents')));
    const mergedLines = lines(runCli(['merge', '--format', 'ndjson', '--quiet', a, b]).stdout);
    expect(mergedLines.length).to.be.greaterThan(10);
    for (const line of mergedLines) expect(problems(mergedHitLine, line)).to.equal('');
    // a scan's line carries no `report`, a merge's always does: the two shapes are told apart
    expect(problems(hitLine, mergedLines[0])).to.not.equal('');
  });

  describe('refuses a report a script could not rely on', () => {
    let good: Report;
    before(() => {
      good = jsonReport(join(FIXTURES, 'CommonSecurityLog'));
      expect(problems(report, good)).to.equal('');
    });
    // biome-ignore lint/suspicious/noExplicitAny: a report broken on purpose has any shape
    const broken = (change: (r: any) => void): unknown => {
      const copy = structuredClone(good);
      change(copy);
      return copy;
    };

    it('a summary without its errors count', () => {
      expect(problems(report, broken((r) => delete r.summary.errors))).to.match(/summary.*errors/);
    });
    it('a count of the wrong type', () => {
      expect(problems(report, broken((r) => (r.summary.hits = String(r.summary.hits))))).to.match(/summary\/hits must be integer/);
    });
    it('a key the report does not have', () => {
      expect(problems(report, broken((r) => (r.verdict = 'clean')))).to.match(/additional propert/);
    });
    it('a table name outside the two tables, mixed and unknown', () => {
      expect(problems(report, broken((r) => (r.files[0].table = 'SecurityEvent')))).to.match(/files\/0\/table/);
    });
    it('a time that is not ISO 8601 UTC with milliseconds', () => {
      expect(problems(report, broken((r) => (r.hits[0].time = '10/15/2020, 6:38:45.828 PM')))).to.match(/hits\/0\/time/);
    });
    it('a malformed hit marked as suppressed (a malformed hit is never suppressed)', () => {
      // biome-ignore lint/suspicious/noExplicitAny: a report broken on purpose has any shape
      const malformed = (suppressedBy: string | null) => (r: any) => {
        const raw = r.hits[0].matches.map((m: { ip: string }) => ({ field: null, ip: m.ip, port: null, portMatch: null }));
        Object.assign(r.hits[0], { malformed: true, suppressedBy, fields: {}, time: null, matches: raw });
      };
      expect(problems(report, broken(malformed(null)))).to.equal('');
      expect(problems(report, broken(malformed('backup-rsync-tar')))).to.match(/hits\/0\/suppressedBy must be null/);
    });
    it('a CommonSecurityLog hit whose fields are not its projection', () => {
      expect(problems(report, broken((r) => (r.hits[0].fields = { RemoteIP: '179.43.139.84' })))).to.match(/hits\/0\/fields/);
    });
    it('an IOC that names its kind but not where it was read, or a kind the tool has not', () => {
      // biome-ignore lint/suspicious/noExplicitAny: a report broken on purpose has any shape
      const withKind = (extra: Record<string, unknown>) => (r: any) => Object.assign(r.iocs[0], extra);
      expect(problems(report, broken(withKind({ kind: 'domain', sourceFile: 'f.txt', line: 3, validFrom: null, validUntil: null, lastSeen: null })))).to.equal('');
      expect(problems(report, broken(withKind({ kind: 'domain' })))).to.match(/iocs\/0 must have properties sourceFile/);
      expect(problems(report, broken(withKind({ kind: 'email', sourceFile: 'f.txt', line: 3, validFrom: null, validUntil: null, lastSeen: null })))).to.match(/iocs\/0\/kind/);
      expect(problems(report, broken((r) => (r.hits[0].matches[0].how = 'substring')))).to.match(/matches\/0\/how/);
    });
    it('a scan report with a merged report\'s `report` key on a hit', () => {
      expect(problems(report, broken((r) => (r.hits[0].report = 'host.json')))).to.not.equal('');
    });
  });
});
