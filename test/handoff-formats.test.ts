import { expect } from 'chai';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { FIXTURES, ROOT, runCli, writeFiles } from './helpers.js';
import { hasScript, runInTerminal } from './pty.js';
import type { Hit, Report } from '../lib/report/report.js';

// Issue 19: the hits handed to Timesketch, Elastic (ECS), Splunk (HEC) and an
// intelligence platform (STIX 2.1 sightings): each format's mandatory fields
// on every line, checked against the receiving side's own definitions (ECS
// field definitions, the official STIX 2.1 schemas), and the same hits, in
// the same order, as the JSON report.

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default as new (options: object) => {
  addSchema(schema: object): void;
  getSchema(id: string): ((data: unknown) => boolean) & { errors?: unknown };
};

// suppressed (rsync script), malformed (broken quote), a 100 ns time, a time
// that cannot be resolved, an IP and a port column holding no IP or port
const EVIDENCE = {
  'csl.csv': [
    'TimeGenerated,DeviceVendor,DeviceProduct,DeviceName,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceProcessName,FileType',
    '2026-06-01T10:00:00.1234567Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.5,50000,179.43.139.84,443,perl,',
    '2026-06-02T11:30:00.5Z,Fortinet,FortiGate,fw-01,deny,traffic,not-an-ip,99999,179.43.139.86,8443,,',
    '2026-06-03T11:30:00Z,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.9,50002,179.43.139.86,443,rsync,script',
    'sometime last week,Fortinet,FortiGate,fw-01,accept,traffic,10.0.0.9,50003,179.43.139.84,443,,',
    '',
  ].join('\n'),
  'dne.csv': [
    'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,LocalPort,InitiatingProcessFileName,InitiatingProcessParentFileName,InitiatingProcessAccountName',
    '2026-06-04T09:00:00Z,d1,build-01,ConnectionSuccess,179.43.139.84,443,10.1.1.1,40000,perl,bash,root',
    '2026-06-05T09:00:00Z,d1,build-01,ConnectionSuccess,179.43.139.86,443,10.1.1.1,40001,perl,cron,root',
    '2026-06-06T09:00:00Z,d1,build-01,ConnectionSuccess,"179.43.139.84,broken',
    '',
  ].join('\n'),
};

const HANDOFF = ['timesketch', 'ecs', 'splunk', 'stix'] as const;
type Format = (typeof HANDOFF)[number];

interface Case {
  name: string;
  /** The JSON report of the same run. */
  json: Report;
  /** The same run in another format: its standard output. */
  as(format: string, ...extra: string[]): string;
}

function cli(args: string[], cwd?: string): string {
  const run = runCli(args[0] === 'merge' ? ['merge', '--quiet', ...args.slice(1)] : ['--quiet', ...args], {}, cwd);
  expect(run.status, run.stderr).to.be.oneOf([0, 1, 3]);
  return run.stdout;
}

function scanCase(name: string, paths: string[], cwd?: string): Case {
  return { name, json: JSON.parse(cli(['-f', 'json', ...paths], cwd)) as Report, as: (format, ...extra) => cli(['-f', format, ...extra, ...paths], cwd) };
}

function mergedCase(): Case {
  const dir = writeFiles({});
  const reports = ['CommonSecurityLog', 'DeviceNetworkEvents'].map((table) => {
    const path = join(dir, `${table}.json`);
    writeFileSync(path, cli(['-f', 'json', join(FIXTURES, table)]));
    return path;
  });
  const merge = (format: string, ...extra: string[]) => cli(['merge', '-f', format, ...extra, ...reports]);
  return { name: 'a merged report', json: JSON.parse(merge('json')) as Report, as: merge };
}

const lines = (text: string): Array<Record<string, any>> => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);

/** Where each line of a per-hit format says its hit is: report, file, line, record. */
const HIT_OF: Record<Exclude<Format, 'stix'>, (line: Record<string, any>) => unknown[]> = {
  timesketch: (l) => [l.report, l.file, l.line, l.record, l.suppressedBy, l.malformed],
  ecs: (l) => [l.perlbot_hunt.report, l.perlbot_hunt.file, l.perlbot_hunt.line, l.perlbot_hunt.record, l.perlbot_hunt.suppressedBy, l.perlbot_hunt.malformed],
  splunk: (l) => [l.event.report, l.event.file, l.event.line, l.event.record, l.event.suppressedBy, l.event.malformed],
};
const placeOf = (hit: Hit): unknown[] => [hit.report, hit.file, hit.line, hit.record, hit.suppressedBy, hit.malformed];

// --- ECS: every key emitted is an ECS field of a compatible type (custom facts under perlbot_hunt) ---

interface EcsField {
  type: string;
  normalize: string[];
  allowed_values?: string[];
  expected_values?: string[];
}
const ECS: Record<string, EcsField> = JSON.parse(readFileSync(join(ROOT, 'test', 'data', 'ecs', 'ecs-fields.json'), 'utf8'));

function ecsProblems(doc: Record<string, any>, prefix = ''): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const name = `${prefix}${key}`;
    if (name === 'perlbot_hunt') continue;
    const field = ECS[name];
    if (field === undefined) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) problems.push(...ecsProblems(value, `${name}.`));
      else problems.push(`${name}: not an ECS field`);
      continue;
    }
    if (field.type === 'nested') {
      if (!Array.isArray(value)) problems.push(`${name}: nested needs an array`);
      else for (const item of value) problems.push(...ecsProblems(item, `${name}.`));
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && !field.normalize.includes('array')) problems.push(`${name}: an array where ECS expects one value`);
    for (const v of values) {
      const ok =
        field.type === 'ip' ? typeof v === 'string' && isIP(v) !== 0
        : field.type === 'long' ? Number.isInteger(v)
        : field.type === 'date' ? typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v))
        : ['keyword', 'wildcard', 'match_only_text'].includes(field.type) ? typeof v === 'string'
        : false;
      if (!ok) problems.push(`${name}: ${JSON.stringify(v)} is not of ECS type ${field.type}`);
      const allowed = field.allowed_values ?? field.expected_values;
      if (allowed && !allowed.includes(v)) problems.push(`${name}: ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
    }
  }
  return problems;
}

// --- STIX: the official STIX 2.1 JSON schemas ---

const STIX_SCHEMAS = join(ROOT, 'test', 'data', 'stix-schemas');
const STIX_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

function stixValidator(): (data: unknown) => string[] {
  // the schemas' patterns are ECMAScript patterns without the u flag (`\-` is an error with it)
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  const pending = [STIX_SCHEMAS];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) pending.push(path);
      else if (name.endsWith('.json')) ajv.addSchema(JSON.parse(readFileSync(path, 'utf8')));
    }
  }
  const bundle = ajv.getSchema(`${STIX_BASE}common/bundle.json`);
  const byType = (type: string) => ajv.getSchema(`${STIX_BASE}${type === 'sighting' ? 'sros' : 'sdos'}/${type}.json`);
  return (data) => {
    const problems: string[] = [];
    if (!bundle(data)) problems.push(`bundle: ${JSON.stringify(bundle.errors).slice(0, 2000)}`);
    // each object against its own type's schema too, so an error says which
    for (const object of (data as { objects: Array<{ type: string }> }).objects) {
      const validate = byType(object.type);
      if (!validate(object)) problems.push(`${object.type}: ${JSON.stringify(validate.errors).slice(0, 2000)}`);
    }
    return problems;
  };
}

/** What the sightings must say, computed from the JSON report's hits: per (IOC, table) count, first and last seen. */
function expectedSightings(report: Report): Map<string, { count: number; suppressed: number; first: string | null; last: string | null }> {
  const out = new Map<string, { count: number; suppressed: number; first: string | null; last: string | null }>();
  for (const hit of report.hits) {
    const iocs = new Set(hit.matches.map((m) => {
      const ioc = report.iocs.find((i) => i.ip === m.ip && i.port === m.port) ?? report.iocs.find((i) => i.ip === m.ip)!;
      return `${ioc.ip}${ioc.port === null ? '' : `:${ioc.port}`}`;
    }));
    for (const ioc of iocs) {
      const key = `${ioc} in ${hit.table}`;
      const t = out.get(key) ?? { count: 0, suppressed: 0, first: null, last: null };
      t.count++;
      if (hit.suppressedBy !== null) t.suppressed++;
      if (hit.time !== null) {
        if (t.first === null || hit.time < t.first) t.first = hit.time;
        if (t.last === null || hit.time > t.last) t.last = hit.time;
      }
      out.set(key, t);
    }
  }
  return out;
}

describe('hand-off formats (timesketch, ecs, splunk, stix)', function () {
  this.timeout(120000);
  const cases: Case[] = [];
  let evidence: Case;

  before(() => {
    const dir = writeFiles(EVIDENCE);
    evidence = scanCase('suppressed and malformed hits', ['csl.csv', 'dne.csv'], dir);
    cases.push(evidence, scanCase('the fixtures', [FIXTURES]), mergedCase());
  });

  it('the evidence case holds what the tests need: suppressed, malformed and timeless hits', () => {
    const hits = evidence.json.hits;
    expect(hits.some((h) => h.suppressedBy !== null)).to.equal(true);
    expect(hits.some((h) => h.malformed)).to.equal(true);
    expect(hits.some((h) => h.time === null && h.timeText === 'sometime last week')).to.equal(true);
  });

  for (const format of ['timesketch', 'ecs', 'splunk'] as const) {
    it(`${format}: one line per hit, the JSON report's hits in its order, suppressed and malformed ones marked`, () => {
      for (const c of cases) {
        const got = lines(c.as(format));
        expect(got.length, c.name).to.equal(c.json.hits.length);
        expect(got.map(HIT_OF[format]), c.name).to.deep.equal(c.json.hits.map(placeOf));
      }
    });

    it(`${format} --active-only: the active hits alone, in order`, () => {
      for (const c of cases) {
        const got = lines(c.as(format, '--active-only'));
        const active = c.json.hits.filter((h) => h.suppressedBy === null);
        expect(got.length, c.name).to.equal(c.json.summary.hits);
        expect(got.map(HIT_OF[format]), c.name).to.deep.equal(active.map(placeOf));
      }
    });
  }

  it("timesketch: message, datetime (microseconds and offset) and timestamp_desc on every line, the record's precision kept", () => {
    for (const c of cases) {
      const got = lines(c.as('timesketch'));
      got.forEach((line, i) => {
        const hit = c.json.hits[i];
        expect(line.message, c.name).to.be.a('string').and.not.equal('');
        expect(line.datetime, c.name).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
        expect(line.timestamp_desc, c.name).to.be.a('string').and.not.equal('');
        // the report's time to the millisecond, whatever the format adds
        if (hit.time !== null) expect(`${line.datetime.slice(0, 23)}Z`).to.equal(hit.time);
        const sha = c.json.files.find((f) => f.path === hit.file && f.report === hit.report)!.sha256;
        expect(line.sha256).to.equal(sha);
      });
    }
    const got = lines(evidence.as('timesketch'));
    const at = (file: string, line: number) => got.find((l) => l.file === file && l.line === line)!;
    // 2026-06-01T10:00:00.1234567Z: the JSON report keeps .123, Timesketch gets .123456
    expect(at('csl.csv', 2).datetime).to.equal('2026-06-01T10:00:00.123456+00:00');
    expect(at('csl.csv', 2).timestamp_desc).to.equal('Time Generated');
    expect(at('csl.csv', 3).datetime).to.equal('2026-06-02T11:30:00.500000+00:00');
    expect(at('dne.csv', 2).timestamp_desc).to.equal('Event Recorded');
    expect(at('dne.csv', 2).message).to.equal('build-01: 10.1.1.1:40000 -> 179.43.139.84:443 matched IOC 179.43.139.84:443 in RemoteIP (process perl, parent bash, user root, action ConnectionSuccess); DeviceNetworkEvents, dne.csv:2');
    const timeless = at('csl.csv', 5);
    expect([timeless.datetime, timeless.timestamp_desc, timeless.timeText]).to.deep.equal(['1970-01-01T00:00:00.000000+00:00', 'No Time Recorded', 'sometime last week']);
    expect(at('csl.csv', 4).suppressedBy).to.equal('backup-rsync-tar');
    expect(at('csl.csv', 4).message).to.match(/^\[suppressed by backup-rsync-tar\] fw-01: /);
    expect(at('dne.csv', 4).malformed).to.equal(true);
  });

  it('ecs: every key an ECS 8.17 field of a compatible type, a log value that is no IP or port left out', () => {
    for (const c of cases) {
      for (const doc of lines(c.as('ecs'))) expect(ecsProblems(doc), c.name).to.deep.equal([]);
    }
    const docs = lines(evidence.as('ecs'));
    const at = (file: string, line: number) => docs.find((d) => d.perlbot_hunt.file === file && d.perlbot_hunt.line === line)!;
    const first = at('csl.csv', 2);
    expect(first['@timestamp']).to.equal('2026-06-01T10:00:00.123Z');
    expect(first.event.kind).to.equal('alert');
    expect(first.observer).to.deep.equal({ vendor: 'Fortinet', product: 'FortiGate' });
    expect([first.source, first.destination, first.host.name]).to.deep.equal([{ ip: '10.0.0.5', port: 50000 }, { ip: '179.43.139.84', port: 443 }, 'fw-01']);
    // the scan's end: a separate run of the same evidence, so only its form is known
    expect(first.threat.enrichments[0].matched.occurred).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    first.threat.enrichments[0].matched.occurred = 'the scan';
    expect(first.threat.enrichments).to.deep.equal([
      {
        indicator: { type: 'ipv4-addr', ip: '179.43.139.84', port: 443, provider: 'perlbot-hunt built-in (ThreatFox PerlBot)', confidence: 'High', first_seen: '2026-05-21T00:00:00.000Z' },
        matched: { atomic: '179.43.139.84', field: 'DestinationIP', type: 'indicator_match_rule', occurred: 'the scan' },
      },
    ]);
    // `not-an-ip` and port 99999 would make Elasticsearch refuse the document
    expect(at('csl.csv', 3).source).to.equal(undefined);
    expect(at('csl.csv', 4).event.kind).to.equal('enrichment');
    expect(at('csl.csv', 4).tags).to.deep.equal(['suppressed']);
    expect(at('dne.csv', 2).user.name).to.equal('root');
    expect(at('csl.csv', 5)['@timestamp']).to.equal('1970-01-01T00:00:00.000Z');
    expect(at('csl.csv', 5).perlbot_hunt.timeText).to.equal('sometime last week');
  });

  it('splunk: HEC events with epoch seconds to the millisecond, the sourcetype, CIM names, and the hit', () => {
    for (const c of cases) {
      lines(c.as('splunk')).forEach((line, i) => {
        const hit = c.json.hits[i];
        expect(line.sourcetype).to.equal('perlbot-hunt:hit');
        expect(line.source).to.equal(hit.file);
        expect(line.time).to.equal(hit.time === null ? 0 : Date.parse(hit.time) / 1000);
        expect(line.event.matches).to.deep.equal(hit.matches);
        expect(line.event.fields).to.deep.equal(hit.fields);
      });
    }
    const got = lines(evidence.as('splunk'));
    const first = got.find((l) => l.event.file === 'csl.csv' && l.event.line === 2)!;
    expect(first.time).to.equal(1780308000.123);
    expect(first.host).to.equal('fw-01');
    expect([first.event.src_ip, first.event.src_port, first.event.dest_ip, first.event.dest_port, first.event.dvc, first.event.action]).to.deep.equal(['10.0.0.5', 50000, '179.43.139.84', 443, 'fw-01', 'accept']);
    expect(got.find((l) => l.event.line === 4 && l.event.file === 'csl.csv')!.event.status).to.equal('suppressed');
  });

  it('stix: a bundle valid against the official STIX 2.1 schemas, one sighting per IOC and table with the hits\' count, first and last seen', () => {
    const validate = stixValidator();
    for (const c of cases) {
      for (const extra of [[], ['--active-only']]) {
        const bundle = JSON.parse(c.as('stix', ...extra));
        expect(validate(bundle), c.name).to.deep.equal([]);
        const report = extra.length === 0 ? c.json : { ...c.json, hits: c.json.hits.filter((h) => h.suppressedBy === null) };
        const sightings = bundle.objects.filter((o: { type: string }) => o.type === 'sighting');
        const got = new Map<string, unknown>();
        for (const s of sightings) {
          const indicator = bundle.objects.find((o: { id: string }) => o.id === s.sighting_of_ref);
          got.set(`${indicator.name} in ${s.x_perlbot_hunt_table}`, { count: s.count, suppressed: s.x_perlbot_hunt_suppressed, first: s.first_seen ?? null, last: s.last_seen ?? null });
        }
        expect(got, `${c.name} ${extra.join(' ')}`).to.deep.equal(expectedSightings(report));
        const run = bundle.objects.find((o: { type: string }) => o.type === 'identity');
        for (const s of sightings) expect(s.where_sighted_refs).to.deep.equal([run.id]);
      }
    }
  });

  it('stix: a sighting of an IOC from a STIX feed points at the feed\'s own indicator id', () => {
    const dir = writeFiles(EVIDENCE);
    const feed = join(ROOT, 'test', 'data', 'feeds', 'stix-bundle.json');
    const bundle = JSON.parse(cli(['-f', 'stix', '--iocs', feed, 'csl.csv', 'dne.csv'], dir));
    expect(stixValidator()(bundle)).to.deep.equal([]);
    const sightings = bundle.objects.filter((o: { type: string }) => o.type === 'sighting');
    expect(sightings.length).to.be.greaterThan(0);
    for (const s of sightings) expect(s.sighting_of_ref).to.equal('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    // the feed's indicator is not made again
    expect(bundle.objects.filter((o: { type: string }) => o.type === 'indicator')).to.deep.equal([]);
    // and the JSON report keeps the id, so a merged report's sightings point at it too
    const json = JSON.parse(cli(['-f', 'json', '--iocs', feed, 'csl.csv'], dir)) as Report;
    expect(json.iocs.find((i) => i.ip === '179.43.139.84')!.sourceId).to.equal('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
  });

  it('the checkers above refuse what the receiving side would: an unknown ECS key, a wrong type, an invalid STIX sighting', () => {
    expect(ecsProblems({ source: { ip: 'not-an-ip', port: '443' }, event: { kind: 'hit' }, perlbot: 1 })).to.have.length(4);
    const sighting = { type: 'sighting', spec_version: '2.1', id: 'sighting--34d0a72f-2b9b-5c8a-ac94-004aa4c35d17', created: '2026-06-01T10:00:00Z', modified: '2026-06-01T10:00:00.000Z', count: -1 };
    // no sighting_of_ref, a created time without milliseconds, a negative count
    expect(stixValidator()({ type: 'bundle', id: 'bundle--e61f06cc-ae76-588c-ac2b-c0a3bd8c27b7', objects: [sighting] })).to.have.length(2);
  });

  it('on a terminal, an escape sequence in a log value is written as a JSON \\u escape that parses back, in every hand-off format', function () {
    if (!hasScript()) this.skip();
    const dir = writeFiles({ 'dne.csv': 'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort\n2026-06-04T09:00:00Z,d1,evil\x1b]0;owned\x07,ConnectionSuccess,179.43.139.84,443\n' });
    for (const format of HANDOFF) {
      const screen = runInTerminal(['-f', format, 'dne.csv'], { cwd: dir }).screen;
      expect(screen, format).not.to.include('\x1b');
      // a bundle does not name devices
      if (format !== 'stix') expect(screen, format).to.include('evil\\u001b]0;owned\\u0007');
    }
  });

  it('--active-only with a report format that keeps every hit is a usage error (exit 2)', () => {
    for (const args of [['-f', 'json'], ['-f', 'csv'], []]) {
      const run = runCli(['--active-only', ...args, join(FIXTURES, 'CommonSecurityLog')]);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.match(/--active-only applies to --format timesketch, ecs, splunk, stix/);
    }
  });
});
