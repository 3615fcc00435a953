// Printers: one report in, one format out (text, json, ndjson, csv, html);
// none reaches back into the scan.
//
// Laying out the text report in a fixed width. Widths count code points (a
// wide CJK character counts as one), which is right for the ASCII that logs
// mostly hold.

export const PAGE_WIDTH = 80;

function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function slice(text: string, start: number, end?: number): string {
  return Array.from(text).slice(start, end).join('');
}

/**
 * Control characters (including ESC) and bidirectional overrides shown as
 * escapes: log values are attacker-controlled, and the report must not let
 * them move the cursor, recolor the terminal or reorder what is shown.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const code = ch.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Where to cut a token too long for a line: after a path separator if one is not too early. */
function cutPoint(token: string, width: number): number {
  const head = slice(token, 0, width);
  const separator = Math.max(head.lastIndexOf('/'), head.lastIndexOf('\\'));
  return separator + 1 >= width / 2 ? length(head.slice(0, separator + 1)) : width;
}

/** Greedy word wrap; a token longer than a line is cut, preferably after a `/`. */
export function wrap(text: string, firstWidth: number, restWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = Math.max(firstWidth, 1);
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
    width = Math.max(restWidth, 1);
  };
  for (const [, word, space] of text.matchAll(/(\S+)(\s*)/g)) {
    let token = word;
    if (line.trim() !== '' && length(line) + length(token) > width) push();
    while (length(line) + length(token) > width) {
      const cut = cutPoint(token, width - length(line));
      line += slice(token, 0, cut);
      token = slice(token, cut);
      push();
    }
    line += token + space;
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * A path shortened to `max` by dropping the middle of its folders: the start
 * (where it lives) and the file name are what a reader needs to find it.
 * The inputs list of the report always shows every path in full.
 */
export function elidePath(path: string, max: number): string {
  if (length(path) <= max) return path;
  const separator = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = separator >= 0 ? path.slice(separator) : path;
  const room = max - 1;
  if (length(name) >= room) return `…${slice(name, length(name) - room)}`;
  // keep as much of the end as half the room allows, starting at a separator
  let tail = name;
  const parts = path.slice(0, separator).split(/(?=[/\\])/);
  while (parts.length > 0 && length(tail) + length(parts[parts.length - 1]) <= room / 2) tail = parts.pop()! + tail;
  return `${slice(path, 0, room - length(tail))}…${tail}`;
}

/** `1,234,567` */
export function count(n: number): string {
  return n.toLocaleString('en-US');
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
