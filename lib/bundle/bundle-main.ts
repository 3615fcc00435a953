import { basename, isAbsolute, relative } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { WORKER_FLAG } from './worker-flag.js';

// The entry point of the single-file bundle (dist/perlbot-hunt.mjs) and of
// the single executable. The one file is also the script of every worker
// thread the tool starts (the bundle's assets module points workers at it,
// with WORKER_FLAG and the worker's name in their argv): on the main thread
// it runs the CLI, on a worker thread the worker that argv names. No
// top-level await, so the same entry also builds as CommonJS, which is all a
// single executable runs.

function runWorker(name: string | undefined): Promise<unknown> {
  if (name === 'file-worker') return import('../scan/file-worker.js');
  if (name === 'hash-worker') return import('../inputs/hash-worker.js');
  return Promise.reject(new Error(`perlbot-hunt bundle: unknown worker "${String(name)}"`));
}

/**
 * The command as the user typed it, for help and usage lines:
 * `node perlbot-hunt.mjs` (the script as named from here), or the single
 * executable's own name.
 */
function program(): string {
  const script = process.argv[1];
  const executable = basename(process.execPath);
  if (script === undefined || script === process.execPath || !/\.[cm]?js$/.test(script)) return executable;
  const near = relative(process.cwd(), script);
  return `node ${near !== '' && !near.startsWith('..') && !isAbsolute(near) ? near : script}`;
}

if (isMainThread) {
  void import('../cli/main.js').then(async ({ main }) => {
    process.exitCode = await main(process.argv.slice(2), program());
  });
} else {
  void runWorker(process.argv[process.argv.indexOf(WORKER_FLAG) + 1]);
}
