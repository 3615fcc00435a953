import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT, FIXTURES, runCli, writeFiles, tempDir, CSL_HEADER } from './helpers.js';

// Evidence is never modified, and nothing leaves the machine.

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

function snapshot(paths: string[]): Array<[string, string, number, number, number]> {
  return paths.map((p) => {
    const s = statSync(p);
    return [p, readFileSync(p).toString('base64'), s.size, s.mtimeMs, s.mode];
  });
}

describe('evidence and network', () => {
  it('leaves every input byte, size, mtime and mode as it was, broken inputs included', () => {
    const dir = writeFiles({
      'ok.csv': `${CSL_HEADER}\n2026-06-01T10:00:00Z,F,F,a,t,10.0.0.1,1,179.43.139.84,443,,,,,\n`,
      'broken.json': '[{"RemoteIP": "179.43.139.86"',
      'cut.csv.gz': gzipSync(Buffer.from('a,b\n1,2\n'.repeat(1000))).subarray(0, 100),
    });
    const inputs = [...listFiles(dir), ...listFiles(FIXTURES)];
    const before = snapshot(inputs);
    const run = runCli(['--format', 'json', dir, FIXTURES]);
    expect(run.status).to.equal(1);
    expect(snapshot(inputs)).to.deep.equal(before);
  });

  const preload = pathToFileURL(join(ROOT, 'dist', 'test', 'support', 'no-network.js')).href;

  it('the no-network preload really stops a process that reaches for the network', () => {
    const probe = join(tempDir(), 'probe.mjs');
    writeFileSync(probe, "try { await fetch('http://127.0.0.1:9/'); } catch {} console.log('still running');\n");
    const run = spawnSync(process.execPath, ['--import', preload, probe], { encoding: 'utf8' });
    expect(run.status).to.equal(99);
    expect(run.stderr).to.include('NETWORK ACCESS ATTEMPTED: globalThis.fetch');
    expect(run.stdout).to.equal('');
  });

  it('a full scan of the fixtures in every format makes no network access', () => {
    for (const format of ['text', 'json', 'ndjson']) {
      const run = spawnSync(process.execPath, ['--import', preload, join(ROOT, 'bin', 'perlbot-hunt.js'), '--format', format, FIXTURES], { encoding: 'utf8', cwd: ROOT });
      expect(run.stderr).to.not.include('NETWORK ACCESS ATTEMPTED');
      expect(run.status, run.stderr).to.equal(1);
    }
  });
});
