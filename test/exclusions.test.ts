import { expect } from 'chai';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { hunt, refusalCode, runCli, writeFiles, tempDir } from './helpers.js';
import { builtinExclusions, exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import type { HuntErrorCode } from '../lib/errors/hunt-error.js';
import type { Report } from '../lib/report/report.js';

// docs/exclusions.md: each default rule suppresses what its scenario describes and
// nothing next to it; suppressed hits stay in the report.

const CSL_COLS = ['TimeGenerated', 'DeviceVendor', 'DeviceProduct', 'SourceIP', 'DestinationIP', 'DestinationPort', 'SourceProcessName', 'DestinationProcessName', 'ProcessName', 'FileName', 'FilePath', 'FileType', 'SourceUserName', 'DestinationUserName'];
const DNE_COLS = ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'InitiatingProcessParentFileName', 'InitiatingProcessCommandLine', 'InitiatingProcessAccountName'];

type Row = Record<string, string>;

function csv(columns: string[], rows: Row[]): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c] ?? '')).join(','))].join('\n');
}

const cslHit = (extra: Row): Row => ({ TimeGenerated: '2026-06-01T10:00:00Z', DeviceVendor: 'Linux', DeviceProduct: 'auditd', SourceIP: '10.0.0.5', DestinationIP: '179.43.139.84', DestinationPort: '443', ...extra });
const dneHit = (extra: Row): Row => ({ Timestamp: '2026-06-01T10:00:00Z', DeviceId: 'd1', DeviceName: 'build-01', ActionType: 'ConnectionSuccess', RemoteIP: '179.43.139.86', RemotePort: '443', ...extra });

/** Scan each row in its own file-less record and return the suppressedBy of each, in row order. */
async function verdicts(rows: { csl?: Row[]; dne?: Row[] }, extra: Record<string, unknown> = {}): Promise<Array<string | null>> {
  const dir = writeFiles({ 'csl.csv': csv(CSL_COLS, rows.csl ?? []), 'dne.csv': csv(DNE_COLS, rows.dne ?? []) });
  const report = await hunt([join(dir, 'csl.csv'), join(dir, 'dne.csv')], extra);
  const sorted = [...report.hits].sort((a, b) => (a.file === b.file ? a.record - b.record : a.file < b.file ? -1 : 1));
  expect(sorted.length).to.equal((rows.csl?.length ?? 0) + (rows.dne?.length ?? 0));
  return sorted.map((h) => h.suppressedBy);
}

describe('default exclusions', () => {
  it('backup-rsync-tar: script files by rsync or tar, and not one half of the AND', async () => {
    expect(await verdicts({
      csl: [
        cslHit({ FileType: 'script', SourceProcessName: 'rsync' }),
        cslHit({ FileType: 'SCRIPT', ProcessName: '/usr/bin/rsync' }),
        cslHit({ FileType: 'script', DestinationProcessName: 'tar' }),
        cslHit({ FileType: 'script', SourceProcessName: 'perl' }),
        cslHit({ SourceProcessName: 'rsync' }),
        cslHit({ FileType: 'script', SourceProcessName: 'rsync2' }),
        cslHit({ FileType: 'document', SourceProcessName: 'tar' }),
      ],
      // DeviceNetworkEvents has no file_type column: the rule can never hold there
      dne: [dneHit({ InitiatingProcessFileName: 'rsync', InitiatingProcessParentFileName: 'tar' })],
    })).to.deep.equal(['backup-rsync-tar', 'backup-rsync-tar', 'backup-rsync-tar', null, null, null, null, null]);
  });

  it('cron-log-parser: cron or systemd running log_parser.pl, also found in the command line', async () => {
    expect(await verdicts({
      csl: [
        cslHit({ ProcessName: 'systemd', FileName: 'log_parser.pl' }),
        cslHit({ ProcessName: 'cron', FilePath: '/opt/scripts/log_parser.pl' }),
        cslHit({ ProcessName: 'cron', FileName: 'other.pl' }),
        cslHit({ ProcessName: 'crond', FileName: 'log_parser.pl' }),
      ],
      dne: [
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'cron', InitiatingProcessCommandLine: 'perl /opt/scripts/log_parser.pl --daily' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'cron', InitiatingProcessCommandLine: 'perl /opt/scripts/log_parser.pl.bak' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'bash', InitiatingProcessCommandLine: 'perl /opt/scripts/log_parser.pl' }),
      ],
    })).to.deep.equal(['cron-log-parser', 'cron-log-parser', null, null, 'cron-log-parser', null, null]);
  });

  it('admin-config-gen: admin or root by account part, and never on an empty user', async () => {
    expect(await verdicts({
      csl: [
        cslHit({ SourceUserName: 'root@host', FilePath: '/srv/deploy/config_gen.pl' }),
        cslHit({ DestinationUserName: 'Admin', FileName: 'CONFIG_GEN.PL' }),
        cslHit({ SourceUserName: 'administrator', FileName: 'config_gen.pl' }),
        cslHit({ FileName: 'config_gen.pl' }),
      ],
      dne: [
        dneHit({ InitiatingProcessAccountName: 'CORP\\admin', InitiatingProcessFileName: 'perl', InitiatingProcessCommandLine: 'perl "C:\\tools\\config_gen.pl" -o x' }),
        dneHit({ InitiatingProcessAccountName: 'root', InitiatingProcessFileName: 'perl', InitiatingProcessCommandLine: 'perl gen.pl' }),
      ],
    })).to.deep.equal(['admin-config-gen', 'admin-config-gen', null, null, 'admin-config-gen', null]);
  });

  it('ci-test-script: jenkins or gitlab-runner, a trailing .exe ignored', async () => {
    expect(await verdicts({
      dne: [
        dneHit({ InitiatingProcessFileName: 'perl.exe', InitiatingProcessParentFileName: 'gitlab-runner.exe', InitiatingProcessCommandLine: '"perl.exe" "C:\\builds\\test_script.pl"' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'jenkins', InitiatingProcessCommandLine: 'perl ./t/test_script.pl' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'jenkins', InitiatingProcessCommandLine: 'perl ./t/test_scripts.pl' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'github-runner', InitiatingProcessCommandLine: 'perl test_script.pl' }),
      ],
    })).to.deep.equal(['ci-test-script', 'ci-test-script', null, null]);
  });

  it('devops-config-manage: ansible or chef, not chef-client', async () => {
    expect(await verdicts({
      dne: [
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'ansible', InitiatingProcessCommandLine: 'perl config_manage.pl' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'chef', InitiatingProcessCommandLine: 'perl /var/chef/config_manage.pl' }),
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'chef-client', InitiatingProcessCommandLine: 'perl config_manage.pl' }),
      ],
    })).to.deep.equal(['devops-config-manage', 'devops-config-manage', null]);
  });

  it('--no-exclusions makes every hit active', async () => {
    expect(await verdicts({ csl: [cslHit({ FileType: 'script', SourceProcessName: 'rsync' })] }, { exclusions: false })).to.deep.equal([null]);
  });
});

describe('suppressed hits in the report', () => {
  const files = () => writeFiles({
    'dne.csv': csv(DNE_COLS, [
      dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'cron', InitiatingProcessCommandLine: 'perl /opt/scripts/log_parser.pl --daily' }),
      dneHit({ RemoteIP: '179.43.139.84', InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'ansible', InitiatingProcessCommandLine: 'perl config_manage.pl' }),
    ]),
  });

  it('counts them apart, per IOC too, and exits 0 when nothing active remains', () => {
    const run = runCli(['--format', 'json', files()]);
    expect(run.status).to.equal(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary).to.include({ hits: 0, suppressed: 2 });
    expect(report.summary.perIoc).to.deep.equal([
      { ip: '179.43.139.84', port: 443, hits: 0, suppressed: 1 },
      { ip: '179.43.139.86', port: 443, hits: 0, suppressed: 1 },
    ]);
    expect(report.hits.map((h) => h.suppressedBy).sort()).to.deep.equal(['cron-log-parser', 'devops-config-manage']);
  });

  it('lists them in text in their own section, with the rule, never among active hits', () => {
    const run = runCli(['--no-color', files()]);
    const [activePart, rest] = run.stdout.split('SUPPRESSED BY EXCLUSIONS (2)');
    const activeSection = activePart.split('ACTIVE HITS (0)')[1];
    expect(activeSection.trim()).to.equal('');
    expect(rest).to.include('suppressed by cron-log-parser: Scheduled job using cron or systemd');
    expect(rest).to.include('suppressed by devops-config-manage');
  });
});

describe('a user exclusions file', () => {
  function userFile(doc: unknown): string {
    const path = join(tempDir(), 'my-exclusions.json');
    writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return path;
  }

  it('replaces the default rules, can add a field and remap one', async () => {
    const path = userFile({
      fields: {
        device: { compare: 'exact', columns: { DeviceNetworkEvents: ['DeviceName'], CommonSecurityLog: ['DeviceName'] } },
        user: { columns: { CommonSecurityLog: ['SourceUserID'] } },
      },
      rules: [
        { id: 'build-farm', description: 'our build farm', when: { all: [{ field: 'device', equals: 'BUILD-01' }, { field: 'process_name', in: ['perl'] }] } },
        { id: 'svc', description: 'service account by id', when: { field: 'user', equals: 'svc-backup' } },
      ],
    });
    const dir = writeFiles({
      'dne.csv': csv(DNE_COLS, [
        dneHit({ InitiatingProcessFileName: 'perl' }),
        dneHit({ DeviceName: 'laptop-7', InitiatingProcessFileName: 'perl' }),
        // a default rule's scenario: no longer applies once the file replaces the defaults
        dneHit({ InitiatingProcessFileName: 'perl', InitiatingProcessParentFileName: 'cron', InitiatingProcessCommandLine: 'perl log_parser.pl' }),
      ]),
      'csl.csv': csv([...CSL_COLS, 'SourceUserID'], [cslHit({ SourceUserID: 'svc-backup' }), cslHit({ SourceUserName: 'svc-backup' })]),
    });
    const report = await hunt([join(dir, 'csl.csv'), join(dir, 'dne.csv')], { exclusions: path });
    expect(report.exclusions.map((e) => e.id)).to.deep.equal(['build-farm', 'svc']);
    const verdict = [...report.hits].sort((a, b) => (a.file === b.file ? a.record - b.record : a.file < b.file ? -1 : 1)).map((h) => h.suppressedBy);
    expect(verdict).to.deep.equal(['svc', null, 'build-farm', null, 'build-farm']);
  });

  const bad: Array<[string, unknown, HuntErrorCode]> = [
    ['invalid JSON', '{"rules": [', 'EXCLUSIONS_NOT_JSON'],
    ['no rules list', { rules: {} }, 'EXCLUSIONS_SHAPE'],
    ['a field of an unknown table', { fields: { colour: { compare: 'exact', columns: { SecurityEvent: ['Colour'] } } }, rules: [] }, 'EXCLUSIONS_FIELD'],
    ['an unknown field', { rules: [{ id: 'x', when: { field: 'colour', equals: 'red' } }] }, 'EXCLUSIONS_RULE'],
    ['an unknown operator', { rules: [{ id: 'x', when: { field: 'user', matches: 'r.*' } }] }, 'EXCLUSIONS_RULE'],
    ['a rule without an id', { rules: [{ when: { field: 'user', equals: 'root' } }] }, 'EXCLUSIONS_RULE'],
    ['a duplicate id', { rules: [{ id: 'a', when: { field: 'user', equals: 'x' } }, { id: 'a', when: { field: 'user', equals: 'y' } }] }, 'EXCLUSIONS_RULE'],
    ['an empty condition', { rules: [{ id: 'e', when: { all: [] } }] }, 'EXCLUSIONS_RULE'],
  ];
  for (const [what, doc, code] of bad) {
    it(`refuses ${what} (${code})`, () => {
      expect(refusalCode(() => exclusionsFor({ kind: 'file', path: userFile(doc) }))).to.equal(code);
    });
  }

  it('refuses a missing file as unreadable', () => {
    expect(refusalCode(() => exclusionsFor({ kind: 'file', path: join(tempDir(), 'none.json') }))).to.equal('EXCLUSIONS_UNREADABLE');
  });

  it('stops before scanning, exit 2, naming the file and the rule', () => {
    const path = userFile({ rules: [{ id: 'x', when: { field: 'colour', equals: 'red' } }] });
    const dir = writeFiles({ 'dne.csv': csv(DNE_COLS, [dneHit({})]) });
    const run = runCli(['--exclusions', path, dir]);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.equal(`perlbot-hunt: bad exclusions file: ${path}: rule "x": unknown field "colour" (known: ${[...builtinExclusions().fieldMap.keys()].join(', ')}; add your own under "fields")\n`);
  });
});
