import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusalCode, ROOT, runCli, writeFiles } from './helpers.js';
import { analyse, CATALOGUED, hunts, kql, SHARED, type Diagnostic } from './support/kql-check.js';
import { normalizeOptions } from '../lib/options/scan-options.js';
import { readAddress, readUrlHost } from '../lib/matcher/ip-text.js';
import { commandLineTokens, ruleForm, valueForms } from '../lib/exclusions/compare.js';
import { commandLinePattern } from '../lib/kql/emit-kql.js';
import { DIGIT_RUNS, KQL_FUNCTIONS } from '../lib/kql/kql-functions.js';
import { readTextAddresses } from '../lib/matcher/ip-text.js';

// --emit kql: the two hunts for the IOCs and exclusions in force. Checked for
// content (every IOC, every exclusion, the seed's projection and order), for
// well-formedness by Microsoft's own KQL parser and semantic checker
// (@kusto/language-service-next, against the tables' documented schemas),
// and for meaning: its regular expressions, run in JavaScript, must agree
// with the scan's own address reading and comparisons.

const SEED = readFileSync(join(SHARED, 'seed', '000_43e30bc436e7448f.txt'), 'utf8');
const THREATFOX_CSV = join(ROOT, 'test', 'data', 'threatfox', 'recent.csv');

function emit(...args: string[]): string {
  const run = runCli(['--emit', 'kql', ...args]);
  expect(run.status, run.stderr).to.equal(0);
  return run.stdout;
}

const IOC = '179.43.139.84';
const space = fc.constantFrom('', ' ', '  ', '\t');
const wrap = (inner: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom(['', ''], ['"', '"'], ["'", "'"], ['[', ']']), space, inner, space).map(([[open, close], a, v, b]) => `${open}${a}${v}${b}${close}`);
const hostCore = fc.constantFrom(
  IOC, `::ffff:${IOC}`, `::FFFF:${IOC}`, `0:0:0:0:0:ffff:${IOC}`, `0000:0000:0000:0000:0000:FFFF:${IOC}`, `${IOC}:443`, `::ffff:${IOC}:8080`,
  `[::ffff:${IOC}]:443`, `[ ${IOC} ]:80`, `[${IOC}]`,
  // near misses
  `1${IOC}`, `${IOC}0`, `${IOC}:`, `${IOC}:123456`, `::fffe:${IOC}`, `[${IOC}`, `${IOC}]`, `${IOC}.1`, `"${IOC}'`, `${IOC} x`, `::ffff::${IOC}`, '179.43.139.86',
);
// two levels of quotes or brackets: as deep as the KQL follows (kql-functions.ts)
const addressValue = fc.tuple(space, wrap(wrap(hostCore)), space).map(([a, v, b]) => `${a}${v}${b}`);
const urlValue = fc
  .tuple(
    fc.constantFrom('', 'http://', 'HTTPS://', 'ftp://', '//', 'ws+x://'),
    fc.constantFrom('', 'user@', 'a:b@', 'x@y@'),
    fc.constantFrom(IOC, `${IOC}:8443`, `[::ffff:${IOC}]`, `[::ffff:${IOC}]:443`, `1${IOC}`, `${IOC}.evil.example`, 'example.com'),
    fc.constantFrom('', '/', `/${IOC}`, '/x?y=1#z', '\\share', '?q', ' trailing'),
  )
  .chain(([scheme, user, host, path]) => wrap(fc.constant(`${scheme}${user}${host}${path}`)));

describe('--emit kql', () => {
  let builtin: Record<string, string>;
  before(() => {
    builtin = hunts(emit());
  });

  it('writes, for the built-in set, the very queries it always wrote (test/golden/emit-kql*.kql, byte for byte)', () => {
    // written by the build before other kinds of IOC were looked for: a set of IPv4 addresses gives the same text
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const golden = (name: string) => readFileSync(join(ROOT, 'test', 'golden', name), 'utf8').replace('perlbot-hunt 0.1.0 (--emit kql)', `perlbot-hunt ${version} (--emit kql)`);
    expect(emit()).to.equal(golden('emit-kql.kql'));
    expect(emit('--kql-parity')).to.equal(golden('emit-kql-parity.kql'));
  });

  it('keeps an IOC or exclusion file\'s name inside its comment: a line break in the name never ends it and runs as KQL', () => {
    const dir = writeFiles({ 'feed\n| take 0 .txt': '179.43.139.84:443\n' });
    const text = emit('--iocs', join(dir, 'feed\n| take 0 .txt'));
    const header = text.slice(0, text.indexOf('\n\n'));
    for (const line of header.split('\n')) expect(line, line).to.match(/^\/\//);
    expect(text).not.to.match(/^\| take 0/m);
    expect(header).to.contain('feed\\n| take 0 .txt');
  });

  it('writes one hunt per catalogued table, the seed\'s two first, each a query of its own with the IOC IPs in malicious_ips; --kql-parity the seed\'s two only', () => {
    expect(Object.keys(builtin)).to.deep.equal(['CommonSecurityLog', 'DeviceNetworkEvents', ...CATALOGUED.filter((t) => t !== 'CommonSecurityLog' && t !== 'DeviceNetworkEvents')]);
    expect(Object.keys(builtin)).to.have.length(19);
    expect(Object.keys(hunts(emit('--kql-parity')))).to.deep.equal(['CommonSecurityLog', 'DeviceNetworkEvents']);
    expect(Object.keys(hunts(emit('--table', 'syslog')))).to.deep.equal(['Syslog']);
    expect(emit('--kql-parity', '--table', 'Syslog')).to.contain("// No hunt: --kql-parity keeps to the seed's two tables");
    for (const query of Object.values(builtin)) expect(query).to.match(/^let malicious_ips = dynamic\(\["179\.43\.139\.84", "179\.43\.139\.86"\]\);$/m);
  });

  it('reads each catalogued table\'s address columns as the scan does: one address, a URL\'s host, each address of a list or of free text', () => {
    expect(builtin.Syslog).to.contain('| where ioc_address(HostIP) in (malicious_ips)\n');
    expect(builtin.DnsEvents).to.contain(' or array_length(set_intersect(ioc_addresses(tostring(column_ifexists("IPAddresses", ""))), malicious_ips)) > 0');
    expect(builtin.AzureDiagnostics).to.contain('| where array_length(set_intersect(ioc_addresses(tostring(column_ifexists("msg_s", ""))), malicious_ips)) > 0');
    expect(builtin.AzureDiagnostics).to.contain('let ioc_addresses = ');
    expect(builtin.OfficeActivity).to.contain('ioc_address(ClientIP) in (malicious_ips)');
  });

  it('keeps the seed rule\'s projection and order, then the appliance (CommonSecurityLog), MatchedFields and SuppressedBy', () => {
    const seedProjects = [...SEED.matchAll(/^\| project (.*)$/gm)].map((m) => m[1]);
    const seedOrders = [...SEED.matchAll(/^\| order by .*$/gm)].map((m) => m[0]);
    expect(seedProjects).to.have.length(2);
    const tables = ['CommonSecurityLog', 'DeviceNetworkEvents'];
    // which appliance logged a CommonSecurityLog row; a Defender row already names its DeviceName
    const appliance = ['DeviceVendor, DeviceProduct, DeviceName, Computer, ', ''];
    tables.forEach((table, i) => {
      const lines = builtin[table].split('\n');
      expect(lines).to.include(`| project ${seedProjects[i]}, ${appliance[i]}MatchedFields, SuppressedBy`);
      expect(lines[lines.length - 1]).to.equal(seedOrders[i]);
    });
  });

  it('says at the top of each query what bounds it in time: the picker of Logs, or --since/--until', () => {
    for (const query of Object.values(builtin)) {
      const comment = query.slice(0, query.indexOf('\nlet '));
      expect(comment).to.match(/^\/\/ Time: no --since\/--until, so this query has no time filter of its own\./);
      expect(comment).to.contain("In Sentinel's Logs the time\n// picker bounds it (default: last 24 hours)");
      expect(comment).to.contain('set the picker to a custom range, or emit again with a window, e.g. --since 2026-05-01.');
      expect(query).not.to.match(/^\| where (TimeGenerated|Timestamp) /m);
    }
    const windowed = hunts(emit('--since', '2026-05-01', '--until', '2026-06-01T12:00:00Z'));
    expect(windowed.CommonSecurityLog.split('\n')[0]).to.equal(
      '// Time: TimeGenerated from 2026-05-01T00:00:00.000Z to 2026-06-01T12:00:00.000Z (end excluded), by the query\'s own where (--since/--until). Sentinel\'s time picker then shows "Set in query".',
    );
    // DeviceNetworkEvents is filtered on Timestamp: the picker, on TimeGenerated, still applies
    expect(windowed.DeviceNetworkEvents.split('\n')[0]).to.match(/^\/\/ Time: Timestamp from 2026-05-01T00:00:00\.000Z to 2026-06-01T12:00:00\.000Z .* still applies as well: set it to a custom range covering this one\.$/);
    expect(hunts(emit('--since', '2026-05-01')).CommonSecurityLog.split('\n')[0]).to.contain('from 2026-05-01T00:00:00.000Z to any time');
  });

  it('watches the same fields as the scan, through the address reading; under --kql-parity the KQL\'s own fields as exact strings', () => {
    expect(builtin.CommonSecurityLog).to.contain('| where ioc_address(SourceIP) in (malicious_ips) or ioc_address(DestinationIP) in (malicious_ips) or ioc_address(SourceTranslatedAddress) in (malicious_ips) or ioc_address(DestinationTranslatedAddress) in (malicious_ips)\n');
    expect(builtin.DeviceNetworkEvents).to.contain('| where ioc_address(RemoteIP) in (malicious_ips) or ioc_address(LocalIP) in (malicious_ips) or ioc_url_host(RemoteUrl) in (malicious_ips)\n');
    const parity = hunts(emit('--kql-parity'));
    expect(parity.CommonSecurityLog).to.contain('| where SourceIP in (malicious_ips) or DestinationIP in (malicious_ips)\n');
    expect(parity.DeviceNetworkEvents).to.contain('| where RemoteIP in (malicious_ips)\n');
    expect(parity.DeviceNetworkEvents).not.to.contain('ioc_address');
  });

  it('labels every exclusion, in order, in a case() that keeps suppressed rows', () => {
    const ids = ['backup-rsync-tar', 'cron-log-parser', 'admin-config-gen', 'ci-test-script', 'devops-config-manage'];
    for (const query of Object.values(builtin)) {
      const labels = [...query.matchAll(/^ {4}.*, "([a-z-]+)",$/gm)].map((m) => m[1]);
      expect(labels).to.deep.equal(ids);
      expect(query).not.to.match(/\| where .*SuppressedBy/);
    }
    // file_type has no column in DeviceNetworkEvents: that rule can never hold there, as in the scan
    expect(builtin.DeviceNetworkEvents).to.contain('    false, "backup-rsync-tar",\n');
    expect(builtin.DeviceNetworkEvents).to.contain('tostring(column_ifexists("InitiatingProcessCommandLine", "")) matches regex');
    expect(emit('--no-exclusions')).to.contain('| extend SuppressedBy = ""\n');
  });

  it('follows --iocs, --min-confidence, --since/--until, --table and a user\'s exclusions file with its own field map', () => {
    const dir = writeFiles({
      'exclusions.json': JSON.stringify({
        fields: { device: { compare: 'exact', columns: { DeviceNetworkEvents: ['DeviceName'], CommonSecurityLog: ['DeviceName', 'Computer'] } } },
        rules: [{ id: 'build-farm', description: 'Perl tests on the build farm', when: { all: [{ field: 'device', in: ['build-01', 'build-"02"'] }, { field: 'process_name', equals: 'perl' }] } }],
      }),
    });
    const text = emit('--iocs', THREATFOX_CSV, '--min-confidence', '50', '--exclusions', join(dir, 'exclusions.json'), '--since', '2026-05-20', '--until', '2026-06-01T12:00:00Z', '--table', 'CommonSecurityLog');
    const only = hunts(text);
    expect(Object.keys(only)).to.deep.equal(['CommonSecurityLog']);
    const q = only.CommonSecurityLog;
    expect(q).to.contain('let malicious_ips = dynamic(["203.0.113.199", "179.43.139.86", "179.43.139.84"]);');
    expect(q).to.contain('| where TimeGenerated >= datetime(2026-05-20T00:00:00.000Z)\n| where TimeGenerated < datetime(2026-06-01T12:00:00.000Z)\n');
    // the user's field, on each of its columns (as written: KQL names are case-sensitive), quotes escaped
    for (const column of ['DeviceName', 'Computer']) expect(q).to.contain(`trim(@"\\s+", tostring(column_ifexists("${column}", ""))) in~ ("build-01", "build-\\"02\\"")`);
    expect(q).to.contain('base_name(tostring(column_ifexists("SourceProcessName", ""))) in~ ("perl")');
    expect(q).to.match(/, "build-farm",\n {4}""\)\n/);
    expect(text).to.contain('// IOCs: 6 from ');
    expect(text).to.contain('--min-confidence 50');
    // the set's other kinds are looked for too (test/kql-kinds.test.ts), and the header says so
    expect(text).not.to.contain('NOT COVERED');
    expect(text).to.contain('// Also looked for, as the scan does: domains and their subdomains');
    expect(q).to.contain('ioc_host_domain(tostring(column_ifexists("DestinationHostName", ""))) in (malicious_domains)');
    // under --kql-parity neither the query nor the scan looks for them: named, never dropped in silence
    expect(emit('--iocs', THREATFOX_CSV, '--min-confidence', '50', '--kql-parity')).to.contain([
      '// NOT COVERED: 3 IOCs of the set are no address; under --kql-parity neither these queries nor the scan look for them:',
      '//   domain update-check.example.net',
      '//   url http://198.51.100.223/bins/pb.pl',
      '//   sha256 8f3d0e6c1b2a4f5e9d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
    ].join('\n'));
    expect(emit()).not.to.contain('NOT COVERED');
  });

  it('is well-formed, type-correct KQL to Kusto.Language, for every variant of options', async function () {
    this.timeout(120_000);
    const dir = writeFiles({
      'exclusions.json': JSON.stringify({
        fields: { device: { compare: 'exact', columns: { DeviceNetworkEvents: ['DeviceName'], CommonSecurityLog: ['Computer'] } }, cmd: { compare: 'account', columns: { DeviceNetworkEvents: [{ column: 'InitiatingProcessCommandLine', split: 'command-line' }] } } },
        rules: [
          { id: 'x', description: '', when: { any: [{ field: 'device', equals: 'a\\b' }, { field: 'user', in: ['svc', 'CONTOSO\\svc'] }, { field: 'cmd', equals: 'root' }] } },
          { id: 'y', description: '', when: { field: 'file_type', equals: 'script' } },
        ],
      }),
    });
    const variants = [[], ['--kql-parity'], ['--no-exclusions'], ['--since', '2026-01-01', '--until', '2026-02-01'], ['--iocs', THREATFOX_CSV], ['--exclusions', join(dir, 'exclusions.json')]];
    const queries = variants.flatMap((args) => Object.values(hunts(emit(...args))));
    // a deliberate mistake of each kind, so the check is known to catch them
    const broken = [
      builtin.CommonSecurityLog.replace('| project TimeGenerated,', '| project TimeGenerated, NoSuchColumn,'),
      builtin.DeviceNetworkEvents.replace('in (malicious_ips)', 'in (malicious_ips'),
      builtin.DeviceNetworkEvents.replace('strcat_array(', 'strcat_arr('),
      // the schema of a table beyond the seed's two is known to the check as well
      builtin.Syslog.replace('| project ', '| project NoSuchColumn, '),
      builtin.AzureDiagnostics.replace('| project TimeGenerated, Resource,', '| project TimeGenerated, Resourze,'),
    ];
    const results = await analyse([...queries, ...broken]);
    const errors = (list: Diagnostic[]) => list.filter((d) => d.severity === 'Error');
    results.slice(0, queries.length).forEach((list, i) => {
      expect(errors(list), queries[i]).to.deep.equal([]);
    });
    for (const list of results.slice(queries.length)) expect(errors(list)).to.not.be.empty;
  });

  it('declares only the helper functions a hunt calls, each once', () => {
    for (const query of Object.values(builtin)) {
      for (const fn of KQL_FUNCTIONS) expect(query.split(`let ${fn.name} =`).length - 1).to.be.at.most(1);
    }
    expect(builtin.CommonSecurityLog).not.to.contain('let ioc_url_host');
    expect(builtin.DeviceNetworkEvents).to.contain('let ioc_url_host');
  });

  describe('means what the scan means (its regular expressions run in JavaScript)', () => {
    it('reads an address value as readAddress does', () => {
      const table = [IOC, ` "::FFFF:${IOC}" `, `'[::ffff:${IOC}]:443'`, `[${IOC}:80]`, `${IOC}:443`, `1${IOC}`, `${IOC}0`, `[${IOC}`, `"${IOC}'`];
      for (const v of table) expect(kql.address(v) === IOC, v).to.equal(readAddress(v)?.ip === IOC);
      fc.assert(fc.property(addressValue, (v) => (kql.address(v) === IOC) === (readAddress(v)?.ip === IOC)), { numRuns: 3000 });
    });

    it('finds an IOC address in free text as readTextAddresses does', () => {
      const around = fc.constantFrom('', ' ', 'to ', 'x', '1', '1.', '.', ':', '[::ffff:', 'a.', '0.');
      const after = fc.constantFrom('', ' ', '.', ':443', ']:443', '0', '.5', '. ', ':', 'x', '.x');
      const text = fc.tuple(around, fc.constantFrom(IOC, '79.43.139.84', `${IOC}4`), after, around, fc.constantFrom('', IOC)).map((p) => p.join(''));
      const kqlHas = (v: string) => [...v.matchAll(new RegExp(DIGIT_RUNS, 'g'))].some((m) => m[1] === IOC);
      for (const v of [`to ${IOC}:443.`, `1.${IOC}`, `${IOC}.5`, `${IOC}0`, `x.${IOC}`]) expect(kqlHas(v), v).to.equal(readTextAddresses(v).some((a) => a.ip === IOC));
      fc.assert(fc.property(text, (v) => kqlHas(v) === readTextAddresses(v).some((a) => a.ip === IOC)), { numRuns: 3000 });
    });

    it('reads a RemoteUrl\'s host as readUrlHost does', () => {
      fc.assert(fc.property(urlValue, (v) => (kql.urlHost(v) === IOC) === (readUrlHost(v)?.ip === IOC)), { numRuns: 3000 });
    });

    it('compares process and file names by basename, and accounts by their name parts, as compare.ts does', () => {
      const name = fc.tuple(
        space,
        fc.constantFrom('', '/usr/bin/', 'C:\\Windows\\', './', 'a.exe\\', '\\\\srv\\share\\'),
        fc.constantFrom('rsync', 'RSYNC', 'rsync2', 'xrsync', 'chef', 'chef-client', 'log_parser.pl', 'log_parser.pl.bak'),
        fc.constantFrom('', '.exe', '.EXE', '.exe.exe', '.ex'),
        space,
      ).map((parts) => parts.join(''));
      const rules = ['rsync', 'chef', 'log_parser.pl', 'rsync.exe'];
      fc.assert(fc.property(name, fc.constantFrom(...rules), (v, rule) => (kql.baseName(v).toLowerCase() === ruleForm(rule, 'basename')) === valueForms(v, 'basename').includes(ruleForm(rule, 'basename'))), { numRuns: 3000 });
      const account = fc.tuple(space, fc.constantFrom('', 'CONTOSO\\', 'a\\b\\', '\\'), fc.constantFrom('root', 'Admin', 'rooter', 'svc'), fc.constantFrom('', '@contoso.com', '@', '@x@y'), space).map((p) => p.join(''));
      fc.assert(fc.property(account, fc.constantFrom('root', 'admin'), (v, rule) => kql.accountNames(v).includes(rule) === valueForms(v, 'account').includes(rule)), { numRuns: 3000 });
    });

    it('finds a script among a command line\'s tokens as the scan does', () => {
      const token = fc.constantFrom('perl', '/usr/bin/perl', '"C:\\Perl\\bin\\perl.exe"', 'log_parser.pl', '"log_parser.pl"', "'./scripts/log_parser.pl'", '/opt/x/log_parser.pl"', 'log_parser.pl.bak', 'xlog_parser.pl', '--file=log_parser.pl', 'LOG_PARSER.PL', 'log_parser.plx', '-e', 'config_gen.pl');
      const commandLine = fc.array(fc.tuple(token, fc.constantFrom(' ', '  ', '\t')), { minLength: 1, maxLength: 5 }).map((parts) => parts.map(([t, s]) => t + s).join('').trim());
      const values = ['log_parser.pl', 'perl'];
      const pattern = new RegExp(commandLinePattern(values.map((v) => ruleForm(v, 'basename')), 'basename')!, 'i');
      fc.assert(
        fc.property(commandLine, (line) => pattern.test(line) === commandLineTokens(line).some((t) => values.some((v) => valueForms(t, 'basename').includes(ruleForm(v, 'basename'))))),
        { numRuns: 3000 },
      );
    });
  });

  it('refuses paths (it scans nothing), and writes to --output atomically', () => {
    expect(refusalCode(() => normalizeOptions({ emit: 'kql', paths: ['fixtures/'] }))).to.equal('USAGE_EMIT');
    expect(refusalCode(() => normalizeOptions({ emit: 'sql' }))).to.equal('USAGE_EMIT');
    const refused = runCli(['--emit', 'kql', 'fixtures/']);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.contain('--emit kql prints queries and scans nothing');
    const dir = writeFiles({});
    const out = join(dir, 'hunt.kql');
    const run = runCli(['--emit', 'kql', '--output', out]);
    expect(run.status).to.equal(0);
    expect(run.stdout).to.equal('');
    expect(readFileSync(out, 'utf8')).to.equal(emit());
    expect(runCli(['--emit', 'sql']).status).to.equal(2);
  });

  it('refuses --format (any) instead of ignoring it: a pipeline asking for JSON must not get KQL', () => {
    for (const format of ['json', 'csv', 'text']) expect(refusalCode(() => normalizeOptions({ emit: 'kql', format })), format).to.equal('USAGE_EMIT');
    const run = runCli(['--emit', 'kql', '-f', 'json']);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.contain('--emit kql prints queries, not a report: leave out --format (json)');
  });
});
