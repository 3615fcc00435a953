import { readFileSync } from 'node:fs';
import { pathFromBytes } from '../record/file-path.js';

// Node decodes the command line as UTF-8, each byte that is not UTF-8 turned
// into U+FFFD: `perlbot-hunt evidence/*` would hand the scan a name the shell
// expanded but that no longer names the file. On Linux the words as they
// were typed are in /proc/self/cmdline; the tool's own words are its last
// ones there, and are taken from there only when each reads as the word Node
// gave (so nothing but the lost bytes can change).

const REPLACEMENT = '\ufffd';

/** `argv` (the tool's own words) with bytes that are not UTF-8 held as paths hold them (record/file-path.ts). */
export function argvWithBytes(argv: readonly string[], cmdline = '/proc/self/cmdline'): string[] {
  if (!argv.some((word) => word.includes(REPLACEMENT))) return [...argv];
  let raw: Buffer;
  try {
    raw = readFileSync(cmdline);
  } catch {
    return [...argv];
  }
  const words: Buffer[] = [];
  for (let from = 0; from < raw.length; ) {
    const end = raw.indexOf(0, from);
    words.push(raw.subarray(from, end < 0 ? raw.length : end));
    from = end < 0 ? raw.length : end + 1;
  }
  const own = words.slice(words.length - argv.length);
  if (own.length !== argv.length || own.some((word, i) => word.toString('utf8') !== argv[i])) return [...argv];
  return own.map(pathFromBytes);
}
