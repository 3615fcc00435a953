import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

// Running the CLI under a pseudo-terminal with util-linux `script`, so that
// standard output and error are terminals, as for a responder at a console.

export function hasScript(): boolean {
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 && /util-linux/.test(probe.stdout + probe.stderr);
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run perlbot-hunt with a terminal for stdin, stdout and stderr; `redirect`
 * is appended to the command line (e.g. `2>/dev/null`). Returns everything
 * the terminal showed, both streams interleaved, and the exit status.
 */
export function runInTerminal(args: string[], options: { env?: Record<string, string>; redirect?: string; cwd?: string } = {}): { status: number | null; screen: string } {
  const command = [process.execPath, join(ROOT, 'bin', 'perlbot-hunt.js'), ...args].map(quote).join(' ') + (options.redirect ? ` ${options.redirect}` : '');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, NO_COLOR: '', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, screen: result.stdout };
}
