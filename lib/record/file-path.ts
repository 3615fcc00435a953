import { isUtf8 } from 'node:buffer';

// A file's path as the tool holds it. On Linux a name is bytes, not text: a
// name that is not UTF-8 (written on another system, or by an adversary who
// wants a file skipped) must still be read, and shown. Decoding it the usual
// way turns each bad byte into U+FFFD, a path that names no file ("it
// vanished"), and two such folders into the same one.
//
// So a path is a string in which each byte that is not part of valid UTF-8
// stands as the lone surrogate U+DC80..U+DCFF (byte 0x80..0xFF; bytes below
// 0x80 are always valid). Valid UTF-8 never decodes to a lone surrogate, so
// the bytes come back exactly when the file is opened (fsPath), and a UTF-8
// name is the very string it always was. Shown, each such byte is `\xHH`.

/** A byte that is not UTF-8, as held in a path (the `u` flag: half of a valid pair never matches). */
const RAW_BYTE = /[\udc80-\udcff]/u;
const RAW_BYTES = /[\udc80-\udcff]/gu;

/** How many bytes from `at` form one valid UTF-8 character (Unicode table 3-7), or 0. */
function validLength(bytes: Uint8Array, at: number): number {
  const b = bytes[at];
  if (b < 0x80) return 1;
  const cont = (i: number, low = 0x80, high = 0xbf) => at + i < bytes.length && bytes[at + i] >= low && bytes[at + i] <= high;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const second = b === 0xe0 ? cont(1, 0xa0) : b === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    return second && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const second = b === 0xf0 ? cont(1, 0x90) : b === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    return second && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** A name or path read as bytes (readdir, realpath), as the tool holds it. */
export function pathFromBytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let from = 0;
  for (let at = 0; at < bytes.length; ) {
    const length = validLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    text += bytes.toString('utf8', from, at) + String.fromCharCode(0xdc00 + bytes[at]);
    from = ++at;
  }
  return text + bytes.toString('utf8', from);
}

/** Whether the path holds bytes that are not UTF-8. */
export function hasRawBytes(path: string): boolean {
  return RAW_BYTE.test(path);
}

/** The path's bytes on disk. */
export function bytesOfPath(path: string): Buffer {
  if (!hasRawBytes(path)) return Buffer.from(path, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const m of path.matchAll(RAW_BYTES)) {
    parts.push(Buffer.from(path.slice(from, m.index), 'utf8'), Buffer.of(m[0].charCodeAt(0) - 0xdc00));
    from = m.index! + 1;
  }
  parts.push(Buffer.from(path.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** What to hand to node:fs: the string itself for a UTF-8 path, its bytes otherwise. */
export function fsPath(path: string): string | Buffer {
  return hasRawBytes(path) ? bytesOfPath(path) : path;
}

/** The path for a report or a screen: each byte that is not UTF-8 as `\xHH`, the rest as it is. */
export function displayPath(path: string): string {
  return path.replace(RAW_BYTES, (ch) => `\\x${(ch.charCodeAt(0) - 0xdc00).toString(16)}`);
}
