import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { normalizeOptions, type RawOptions } from '../lib/options/scan-options.js';
import { builtinIocSet } from '../lib/matcher/ioc-set.js';
import { exclusionsFor } from '../lib/exclusions/exclusion-file.js';
import { ReportBuilder } from '../lib/sink/report-builder.js';
import { scan } from '../lib/scan/scan.js';
import { planFromOptions } from '../lib/cli/plan-from-options.js';
import type { Report } from '../lib/report/report.js';
import { HuntError, type HuntErrorCode } from '../lib/errors/hunt-error.js';

/** The repository root (tests run from dist/test). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');

/** One folder per test run for every temporary file, removed when the run ends (pass or fail). */
let runDir: string | null = null;

export function tempDir(): string {
  if (runDir === null) {
    // short (paths in reports stay the width they were), and open to the
    // unprivileged user some tests run the tool as
    const dir = mkdtempSync(join(tmpdir(), 'pbh-'));
    chmodSync(dir, 0o755);
    runDir = dir;
    process.on('exit', () => {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a folder a test left unreadable: the system's temp cleaning will have it
      }
    });
  }
  return mkdtempSync(join(runDir, 't'));
}

/** Write files (text or bytes) under a fresh temporary folder; `.gz` names are gzipped. */
export function writeFiles(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    writeFileSync(path, name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  }
  return dir;
}

/** Scan in-process and return the JSON report, as `--format json` would print it. */
export async function hunt(paths: string[], extra: Omit<RawOptions, 'paths'> = {}): Promise<Report> {
  const options = normalizeOptions({ ...extra, paths, format: 'json' });
  const iocs = builtinIocSet();
  const exclusions = exclusionsFor(options.exclusions);
  const builder = new ReportBuilder('test', iocs, exclusions.entries);
  await scan(planFromOptions(options, iocs, exclusions), builder);
  return builder.build();
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): CliRun {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'perlbot-hunt.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A CommonSecurityLog CSV line set with just the columns a test needs. */
export const CSL_HEADER = 'TimeGenerated,DeviceVendor,DeviceProduct,DeviceAction,Activity,SourceIP,SourcePort,DestinationIP,DestinationPort,SourceTranslatedAddress,SourceTranslatedPort,DestinationTranslatedAddress,DestinationTranslatedPort,Message';
export const DNE_HEADER = 'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl,LocalIP,LocalPort,InitiatingProcessFileName,InitiatingProcessCommandLine,AdditionalFields';

/** fast-check settings: a fixed seed in CI; PROPERTY_SEED and PROPERTY_RUNS explore further by hand. */
export function propertySettings(runs: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  return { numRuns: Number(process.env.PROPERTY_RUNS ?? runs), seed: Number(process.env.PROPERTY_SEED ?? 20261128), endOnFailure: true };
}

/** The code of the refusal (a HuntError) a call ends with; anything else thrown, or nothing, fails the test. */
export function refusalCode(action: () => unknown): HuntErrorCode {
  try {
    action();
  } catch (error) {
    if (error instanceof HuntError) return error.code;
    throw error;
  }
  throw new Error('no refusal: the call went through');
}
