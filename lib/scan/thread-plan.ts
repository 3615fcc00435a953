import { stat } from 'node:fs/promises';
import { HASH_ON_OWN_THREAD_BYTES } from '../inputs/read-tally.js';
import { fsPath } from '../record/file-path.js';

// How a run spends its `--jobs` threads. `--jobs N` bounds the threads at
// work at once, hashing threads included: `--jobs 1` leaves a shared triage
// box's other cores alone. A large file is scanned with its SHA-256 worked
// out on a thread of its own; measured on 2 cores, one large file beside its
// hash beats two large files side by side each hashing in its own turn
// (two 512 MiB CSVs: 1.25 s against 1.46 s), so a large file takes two
// threads and waits for them. A small file takes one.

export interface FilePlan {
  path: string;
  threads: 1 | 2;
}

export async function planFiles(jobs: number, paths: readonly string[]): Promise<FilePlan[]> {
  // one thread, or one file: nothing to share out, no sizes to look up
  if (jobs < 2 || paths.length <= 1) return paths.map((path) => ({ path, threads: 1 }));
  // a size that cannot be read now is found out (and reported) by the scan itself
  const sizes = await Promise.all(paths.map((path) => stat(fsPath(path)).then((info) => info.size, () => 0)));
  return paths.map((path, i) => ({ path, threads: sizes[i] >= HASH_ON_OWN_THREAD_BYTES ? 2 : 1 }));
}

/**
 * No two files would ever run at once: scan them one after another on the
 * main thread (a worker costs its start-up and a copy of every hit).
 */
export function oneAtATime(jobs: number, files: readonly FilePlan[]): boolean {
  return files.length <= 1 || files.every((file) => file.threads * 2 > jobs);
}
