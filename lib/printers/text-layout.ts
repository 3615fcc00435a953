// Printers: one report in, one format out (text, json, ndjson, csv, html);
// none reaches back into the scan.
//
// Laying out the text report in a fixed width. Widths count code points (a
// wide CJK character counts as one), which is right for the ASCII that logs
// mostly hold.

/** The width into a file or a pipe, and on a terminal whose width is unknown. */
export const PAGE_WIDTH = 80;
/** Narrower than this, the report's columns would not line up: it is laid out this wide and the terminal wraps. */
export const MIN_PAGE_WIDTH = 40;

/**
 * The width to lay the text report out in: the terminal's (its own idea of
 * its width, else `COLUMNS`) when standard output is one, else PAGE_WIDTH,
 * so a report saved to a file or piped is the same wherever it was made.
 */
export function pageWidth(output: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (output.isTTY !== true) return PAGE_WIDTH;
  const fromEnv = Number(env.COLUMNS);
  const columns = output.columns !== undefined && output.columns > 0 ? output.columns : Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : PAGE_WIDTH;
  return Math.max(columns, MIN_PAGE_WIDTH);
}

/** Width in code points. */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

// the terminal rule, one for the whole tool; re-exported for the printers
export { printable } from '../terminal/terminal-text.js';

/**
 * The most characters of one text a report shows. Log values are
 * attacker-controlled and may be megabytes long: past this the text is cut,
 * saying how much was left out (the JSON report has it whole).
 */
export const MAX_SHOWN_CHARACTERS = 2000;

/** `text`, or its first `max` characters and how many more there were. */
export function cutLong(text: string, max = MAX_SHOWN_CHARACTERS): string {
  // cheap test first: a string no longer in UTF-16 units is no longer in characters
  if (text.length <= max) return text;
  let shown = 0;
  let end = 0;
  for (const ch of text) {
    if (shown === max) break;
    shown++;
    end += ch.length;
  }
  if (end === text.length) return text;
  return `${text.slice(0, end)}… (${count(length(text.slice(end)))} more characters)`;
}

/** Where to cut a token too long for a line (characters from `at`): after a path separator if one is not too early. */
function cutPoint(chars: readonly string[], at: number, width: number): number {
  let separator = -1;
  for (let i = at; i < Math.min(chars.length, at + width); i++) if (chars[i] === '/' || chars[i] === '\\') separator = i - at;
  return separator + 1 >= width / 2 ? separator + 1 : width;
}

const SURROGATE = /[\ud800-\udfff]/;
const SPACE = /\s/;

/** Whether a UTF-16 code unit is white space as `\s` reads it (asked of the pattern itself beyond ASCII). */
function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return SPACE.test(String.fromCharCode(code));
}

/**
 * Greedy word wrap; a token longer than a line is cut, preferably after a `/`.
 * Very long text is cut first (cutLong), and the wrap itself is linear.
 */
export function wrap(text: string, firstWidth: number, restWidth: number): string[] {
  // most lines fit as they are (each of 100,000 IOCs in force is one): no character count can pass the width
  if (text.length <= Math.max(firstWidth, 1)) return [text.trim()];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  let width = Math.max(firstWidth, 1);
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
    used = 0;
    width = Math.max(restWidth, 1);
  };
  const source = cutLong(text);
  // each word (a run of non-space) and the white space after it, as /(\S+)(\s*)/g finds them,
  // found by hand: a match array for each word of 100,000 IOC lines was most of the time spent here
  let end = 0;
  while (end < source.length && isSpace(source.charCodeAt(end))) end++;
  while (end < source.length) {
    const start = end;
    while (end < source.length && !isSpace(source.charCodeAt(end))) end++;
    const wordEnd = end;
    while (end < source.length && isSpace(source.charCodeAt(end))) end++;
    const word = source.slice(start, wordEnd);
    const space = source.slice(wordEnd, end);
    // a word without surrogates is as many characters as code units; white space is never outside the BMP
    if (!SURROGATE.test(word)) {
      if (line !== '' && used + word.length > width) push();
      if (used + word.length <= width) {
        line += word + space;
        used += word.length + space.length;
        continue;
      }
    }
    const chars = Array.from(word);
    let at = 0;
    if (line !== '' && used + chars.length > width) push();
    while (used + chars.length - at > width) {
      const cut = cutPoint(chars, at, width - used);
      line += chars.slice(at, at + cut).join('');
      at += cut;
      push();
    }
    line += (at === 0 ? word : chars.slice(at).join('')) + space;
    used += chars.length - at + length(space);
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** `1,234,567` */
export function count(n: number): string {
  // below a thousand there is no separator to put: most counts of a long list (0 hits for most IOCs); -0 is written `-0`
  return Number.isInteger(n) && n < 1000 && (n > 0 || Object.is(n, 0)) ? String(n) : n.toLocaleString('en-US');
}

/** `812 B`, `1.2 KiB`, `3.4 GiB`: rounded for the eye. */
export function humanBytes(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit < 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `1,234 bytes (1.2 KiB)`: exact for the record, rounded for the eye. */
export function byteSize(n: number): string {
  return n < 1024 ? `${count(n)} bytes` : `${count(n)} bytes (${humanBytes(n)})`;
}
