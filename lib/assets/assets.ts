import { readFileSync } from 'node:fs';
import type { WorkerOptions } from 'node:worker_threads';

// Everything the tool reads from its own installation: the data files, its
// version, and the scripts its worker threads run. Installed, they are files
// beside the compiled code; in the single-file bundle (`npm run bundle`)
// esbuild swaps this module for one with the data embedded and the bundle
// itself as the worker script (see bundle/build.mjs; in a single executable,
// the bundle's text run with `eval`). Nothing else in the
// code knows which of the two it runs in.

/** The files of lib/data/ the tool ships. */
export type DataFileName = 'iocs.json' | 'exclusions.json' | 'windows-zones.json' | 'tables.json';

/** Worker thread entry points, by the module each runs. */
export type WorkerName = 'file-worker' | 'hash-worker';

const WORKER_MODULES: Record<WorkerName, string> = { 'file-worker': '../scan/file-worker.js', 'hash-worker': '../inputs/hash-worker.js' };

/** dist/lib/assets/assets.js -> <package>/lib/data/NAME */
export function dataFile(name: DataFileName): Buffer {
  return readFileSync(new URL(`../../../lib/data/${name}`, import.meta.url));
}

/** The version in package.json, as `--version` and the report's `tool.version` give it. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** What `new Worker(script, options)` needs to start the named worker (the caller adds its workerData). */
export function workerScript(name: WorkerName): { script: URL | string; options: WorkerOptions } {
  return { script: new URL(WORKER_MODULES[name], import.meta.url), options: {} };
}
