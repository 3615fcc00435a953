import { isUtf8 } from 'node:buffer';

// The one place that decides a file is not a text export at all, from the
// first bytes of its (decompressed, UTF-8) content. A few NUL bytes, zero
// padding or damaged records never make a file "binary": those are reported
// record by record (or run by run) and the rest is read. Only a file with no
// header line an export could have AND mostly bytes that are not text is
// refused: a disk image, an executable, random bytes, UTF-16 without a BOM.

export const NOT_TEXT_PROBLEM = 'not a text export (binary data: NUL or control bytes): not read';

const LF = 0x0a;
/** Bytes weighed after the header check fails: enough to tell text from not, cheap for every headerless file of a sweep. */
const LOOKED_AT = 64 * 1024;

/** Bytes that never appear in a text export: C0 controls but tab, line feed, form feed and carriage return; DEL. */
function isControl(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f;
}

/** Past a leading BOM and zero padding at the start (padding is reported and skipped by the reading itself). */
function textStart(head: Buffer): number {
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (at < head.length && (head[at] === 0 || head[at] === LF || head[at] === 0x0d || head[at] === 0x20 || head[at] === 0x09)) at++;
  return at;
}

/**
 * A first line an export could have: a JSON opening, or valid UTF-8 text
 * with no control bytes split into at least two fields by a comma or a tab.
 */
function plausibleHeader(head: Buffer, from: number): boolean {
  // random bytes open with `{` or `[` one time in a hundred: what follows must be text too
  if (head[from] === 0x7b || head[from] === 0x5b) return readsAsText(head, from, JSON_OPENING_LOOKED_AT);
  let end = head.indexOf(LF, from);
  if (end < 0) end = head.length;
  const line = head.subarray(from, Math.min(end, from + 65536));
  if (!isUtf8(line)) return false;
  let delimiters = 0;
  for (const byte of line) {
    if (isControl(byte)) return false;
    if (byte === 0x2c || byte === 0x09) delimiters++;
  }
  return delimiters > 0;
}

/** Bytes after a JSON opening weighed (over as many lines as they take). */
const JSON_OPENING_LOOKED_AT = 4096;

/** Up to `limit` bytes from `from` are UTF-8 with no control byte (a character cut by the limit is fine). */
function readsAsText(head: Buffer, from: number, limit: number): boolean {
  const end = Math.min(head.length, from + limit);
  for (let at = from; at < end; ) {
    if (isControl(head[at])) return false;
    const { length, bad } = invalidUtf8(head, at);
    if (bad && at + 4 <= end) return false;
    at += length;
  }
  return true;
}

/** Bytes of an invalid UTF-8 sequence starting at `at` (0 when a valid character starts there). */
function invalidUtf8(head: Buffer, at: number): { length: number; bad: boolean } {
  const byte = head[at];
  if (byte < 0x80) return { length: 1, bad: false };
  const size = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
  if (size === 0 || at + size > head.length) return { length: 1, bad: true };
  return isUtf8(head.subarray(at, at + size)) ? { length: size, bad: false } : { length: 1, bad: true };
}

/**
 * Not text at all: no plausible header, and a quarter or more of the first
 * 64 KiB are controls (NUL included, runs of zero padding at a line's
 * start excepted) or not UTF-8. A head of nothing but zero padding is not
 * decided here: it is read on, and what follows the padding is read.
 */
export function notTextExport(head: Buffer): boolean {
  const from = textStart(head);
  if (from >= head.length || plausibleHeader(head, from)) return false;
  let looked = 0;
  let bad = 0;
  let lineStart = true;
  const end = Math.min(head.length, from + LOOKED_AT);
  for (let at = from; at < end; ) {
    const byte = head[at];
    if (byte === 0 && lineStart) {
      at++;
      continue;
    }
    lineStart = byte === LF;
    const { length, bad: invalid } = invalidUtf8(head, at);
    looked += length;
    if (invalid || isControl(byte)) bad += length;
    at += length;
  }
  return looked > 0 && bad * 4 >= looked;
}
