import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, hunt, runCli } from './helpers.js';
import type { Hit, Report } from '../lib/report/report.js';

// The shipped fixtures against their manifest, which the fixture generator
// wrote from what it put in each record (not from any matcher of ours).

interface ExpectedHit {
  line: number;
  record: number;
  time: string | null;
  matches: Hit['matches'];
  suppressedBy: string | null;
  kqlParityFields: string[];
}
interface ExpectedFile {
  format: string;
  compressed: boolean;
  table: string;
  records: number;
  bytes: number;
  sha256: string;
  hits: ExpectedHit[];
}
interface Manifest {
  files: Record<string, ExpectedFile>;
  summary: Report['summary'] & { kqlParity: { hits: number; suppressed: number } };
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'EXPECTED.manifest'), 'utf8')) as Manifest;

/** The files beside the exports, which a walk does not take. */
const NOT_EXPORTS = ['EXPECTED.manifest', 'README.md', 'generate.mjs', 'real/SOURCES.md'];

function relative(path: string): string {
  return path.slice(FIXTURES.length + 1);
}

describe('the shipped fixtures', () => {
  let report: Report;
  before(async () => {
    report = await hunt([FIXTURES]);
  });

  it('are all found by the directory walk, hidden ones included, and nothing else', () => {
    expect(report.files.filter((f) => f.skipped === undefined).map((f) => relative(f.path)).sort()).to.deep.equal(Object.keys(manifest.files).sort());
  });

  it('are told apart from the files beside them, which the walk names as skipped', () => {
    expect(report.files.filter((f) => f.skipped !== undefined).map((f) => [relative(f.path), f.skipped])).to.deep.equal(NOT_EXPORTS.map((name) => [name, 'extension']));
  });

  for (const [name, expected] of Object.entries(manifest.files)) {
    it(`${name}: format, table, records, bytes, sha256 and every hit where the manifest puts it`, () => {
      const { searched, beforeWindow, afterWindow, ...file } = report.files.find((f) => relative(f.path) === name)!;
      expect(searched.knownTable + searched.unknownTable + searched.rawText).to.be.at.most(file.records);
      expect([beforeWindow, afterWindow]).to.deep.equal([0, 0]);
      expect(file).to.deep.equal({
        path: join(FIXTURES, name), format: expected.format, compressed: expected.compressed, table: expected.table,
        records: expected.records, bytes: expected.bytes, sha256: expected.sha256, errors: [],
      });
      const got = report.hits.filter((h) => h.file === file.path).map((h) => ({ line: h.line, record: h.record, time: h.time, matches: h.matches, suppressedBy: h.suppressedBy }));
      const want = expected.hits.map((h) => ({ line: h.line, record: h.record, time: h.time, matches: h.matches, suppressedBy: h.suppressedBy }));
      expect(got).to.have.deep.members(want);
    });
  }

  it('give the manifest summary, per IOC included', () => {
    const { files, records, hits, suppressed, errors, perIoc } = manifest.summary;
    const { outsideWindow, beforeWindow, afterWindow, searched, notSearched, ...summary } = report.summary;
    expect(summary).to.deep.equal({ files: files + NOT_EXPORTS.length, records, hits, suppressed, errors, perIoc });
    expect([outsideWindow, beforeWindow, afterWindow]).to.deep.equal([0, 0, 0]);
    expect(searched.files.knownTable + searched.files.unknownTable + searched.files.rawText + notSearched.files).to.equal(files + NOT_EXPORTS.length);
    expect(notSearched.skipped).to.equal(NOT_EXPORTS.length);
  });

  it('list hits newest first, unresolved times last', () => {
    const times = report.hits.map((h) => h.time);
    const resolved = times.filter((t): t is string => t !== null);
    expect(resolved).to.deep.equal([...resolved].sort().reverse());
    expect(times.slice(resolved.length).every((t) => t === null)).to.equal(true);
  });

  it('under --kql-parity keep only hits in the KQL fields', async () => {
    const parity = await hunt([FIXTURES], { kqlParity: true });
    expect({ hits: parity.summary.hits, suppressed: parity.summary.suppressed }).to.deep.equal(manifest.summary.kqlParity);
    const expected = Object.entries(manifest.files).flatMap(([name, f]) =>
      f.hits.filter((h) => h.kqlParityFields.length > 0).map((h) => `${name}:${h.record}:${h.kqlParityFields.join('+')}`),
    );
    const got = parity.hits.map((h) => `${relative(h.file)}:${h.record}:${h.matches.map((m) => m.field).join('+')}`);
    expect(got).to.have.members(expected);
  });

  it("run from the README's first command: exit 1, every active hit listed", () => {
    const run = runCli(['fixtures/']);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.include(`ACTIVE HITS (${manifest.summary.hits})`);
    expect(run.stdout).to.include(`SUPPRESSED BY EXCLUSIONS (${manifest.summary.suppressed})`);
  });
});
