import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { Hit } from '../report/report.js';

// Sorted runs of hits on disk, one JSON text a line (JSON.stringify never
// writes a raw line break, so a line is always one hit), and the k-way merge
// that reads them back in order. Reads and writes are synchronous: the sink
// is called synchronously by the scan, and a run is written in one go.

const READ_SIZE = 64 * 1024;
const WRITE_SIZE = 1024 * 1024;

/** Writes `lines` (each a hit's JSON text) to a new file, one a line. */
export function writeRun(path: string, lines: Iterable<string>): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    let parts: string[] = [];
    let size = 0;
    for (const line of lines) {
      parts.push(line, '\n');
      size += line.length + 1;
      if (size >= WRITE_SIZE) {
        writeAll(fd, parts.join(''));
        parts = [];
        size = 0;
      }
    }
    if (size > 0) writeAll(fd, parts.join(''));
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** The lines of a run file, one at a time, READ_SIZE bytes read at once. */
export function* runLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    // the start of a line not yet ended; kept as pieces, so a long line is copied once
    let pending: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buffer, 0, READ_SIZE, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      const end = chunk.lastIndexOf(0x0a);
      if (end < 0) {
        pending.push(Buffer.from(chunk));
        continue;
      }
      // whole lines only, so a character is never split between two reads
      let whole = chunk.subarray(0, end);
      if (pending.length > 0) {
        pending.push(whole);
        whole = Buffer.concat(pending);
      }
      pending = end + 1 < n ? [Buffer.from(chunk.subarray(end + 1))] : [];
      yield* whole.toString('utf8').split('\n');
    }
    if (pending.length > 0) throw new Error(`${path}: the last hit of the run is cut short`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Sorted sources as one sorted sequence: a binary heap of each source's next
 * item. Ties go to the earlier source, so the merge is stable.
 */
export function* mergeSorted<T>(sources: ReadonlyArray<Iterator<T>>, compare: (a: T, b: T) => number): Generator<T> {
  const heads: Array<{ item: T; source: number }> = [];
  const before = (a: { item: T; source: number }, b: { item: T; source: number }) => {
    const c = compare(a.item, b.item);
    return c < 0 || (c === 0 && a.source < b.source);
  };
  const down = (at: number) => {
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heads.length) return;
      const right = left + 1;
      const child = right < heads.length && before(heads[right], heads[left]) ? right : left;
      if (!before(heads[child], heads[at])) return;
      [heads[at], heads[child]] = [heads[child], heads[at]];
      at = child;
    }
  };
  sources.forEach((source, i) => {
    const next = source.next();
    if (!next.done) heads.push({ item: next.value, source: i });
  });
  for (let i = (heads.length >> 1) - 1; i >= 0; i--) down(i);
  while (heads.length > 0) {
    const top = heads[0];
    yield top.item;
    const next = sources[top.source].next();
    if (!next.done) top.item = next.value;
    else {
      const last = heads.pop()!;
      if (heads.length === 0) return;
      heads[0] = last;
    }
    down(0);
  }
}

/** A run's hits, parsed. */
export function* runHits(path: string): Generator<Hit> {
  for (const line of runLines(path)) yield JSON.parse(line) as Hit;
}
