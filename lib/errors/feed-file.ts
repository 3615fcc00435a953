import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type FeedFileCode, HuntError } from './hunt-error.js';

// Bounds for the files read whole from outside (IOC feeds, exclusion files),
// here at the bottom layer because both of their readers use them.
// IOC feeds and exclusion files come from outside (a download, a colleague's
// copy) and are read whole before any scanning: a hostile one must end in one
// line naming the file and the problem (exit 2), never a stack trace. Their
// size is bounded as they are read (a link to /dev/zero reports a size of 0),
// and JSON nesting is measured before it is parsed or walked.

/** Why a feed file cannot be used, one line; the caller adds its own wording and exits 2. */
export class FeedFileProblem extends HuntError<FeedFileCode> {}

const MiB = 1024 * 1024;

/** The whole file, refused past `maxBytes` without reading further. */
export function readBounded(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  const tooLarge = () => new FeedFileProblem('FEED_FILE_TOO_LARGE', `larger than ${maxBytes / MiB} MiB: too large to be a feed this tool reads whole (split it)`);
  try {
    // a file says its size; a device or pipe is cut off as it is read
    if (fstatSync(fd).size > maxBytes) throw tooLarge();
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(4 * MiB, maxBytes + 1 - size));
      const count = readSync(fd, buffer, 0, buffer.length, null);
      if (count === 0) break;
      parts.push(buffer.subarray(0, count));
      size += count;
      if (size > maxBytes) throw tooLarge();
    }
    return Buffer.concat(parts, size);
  } finally {
    closeSync(fd);
  }
}

/** Deepest nesting of arrays and objects in JSON text (strings skipped), found without recursion. */
export function jsonNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Refuses JSON nested deeper than `max` levels (reading it walks each level in turn). */
export function checkNesting(text: string, max: number): void {
  const deepest = jsonNesting(text);
  if (deepest > max) throw new FeedFileProblem('FEED_FILE_TOO_DEEP', `JSON nested ${deepest} levels deep, more than the ${max} a feed of this kind can need: not read`);
}
