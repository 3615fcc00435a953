// The one rule for text that reaches a terminal: the report, warnings,
// progress, errors and merge notes all pass through printable(). Log values,
// file names and IOC-file lines are attacker-controlled; shown raw, they
// could move the cursor, retitle the window, write the clipboard (OSC 52),
// reorder what is shown (bidi controls) or hide characters (zero-width and
// other invisible format characters, line and paragraph separators).
//
// Each such character is shown as an escape: `\n`, `\r`, `\t`, `\xHH` below
// U+0080, `\uHHHH`, `\u{HHHHH}` above U+FFFF. `\xHH` is always a byte: an
// ASCII control, or (from `\x80`) a byte of a file name that is not UTF-8,
// held as U+DC80..U+DCFF (record/file-path.ts); so a C1 control is
// `\u0085`, never taken for the byte 0x85. A backslash is shown doubled,
// so a literal `\x1b` in the data can never pass for an escaped ESC: the
// shown text reads back to the original, character for character.

/**
 * C0 and C1 controls and DEL (Cc), format characters (Cf: bidi marks and
 * overrides, U+061C, zero-width characters, soft hyphen, BOM, tags), the
 * line and paragraph separators (Zl, Zp), lone surrogates (Cs), and the
 * backslash itself.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\\]/gu;

function escapeOne(ch: string): string {
  if (ch === '\\') return '\\\\';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  const code = ch.codePointAt(0)!;
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`;
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** `text` with every character that could act on a terminal, or hide, shown as an escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeOne);
}

/** Lines of our own, each escaped by printable(): the line breaks between them are ours, not the data's. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

const JSON_UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * JSON for a terminal: the same characters written as JSON `\uXXXX`
 * escapes, so the document still parses to the same values. (Outside its
 * strings JSON has only white space, which is left alone.)
 */
export function printableJson(text: string): string {
  return text.replace(JSON_UNPRINTABLE, (ch) => {
    if (ch === '\n') return ch;
    let escaped = '';
    for (let i = 0; i < ch.length; i++) escaped += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
