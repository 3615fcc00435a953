import { printable } from '../text-layout.js';

// Every value from the evidence is hostile: a log line can hold markup,
// `</script>`, terminal escapes or bidirectional overrides. The page never
// lets one be read as markup or reorder what is shown around it.

/**
 * A value as the page shows it: control characters and bidi overrides as
 * visible escapes (`\x1b`, `\u202e`), like the text report, and lone UTF-16
 * surrogates (which UTF-8 cannot carry) as `\udxxx` rather than a silent `?`.
 */
export function shown(value: string): string {
  return printable(value).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup characters as entities: safe in element content and in a quoted attribute. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

/** Printable ASCII but for `\` and the markup characters: what shown() and escapeMarkup() leave as it is. */
const PLAIN = /^[\x20\x21\x23-\x25\x28-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

/** A value from the evidence, for element content or a quoted attribute. */
export function htmlText(value: string): string {
  // most values (each of 100,000 IOCs in force, its threat type, its dates) have nothing to escape
  return PLAIN.test(value) ? value : escapeMarkup(shown(value));
}

/**
 * JSON to sit inside `<script type="application/json">`. No `<` is left, so
 * nothing in the data can close the element (`</script>`) or switch the
 * parser into its escaped-comment state (`<!--`); `>` and `&` go too, for any
 * reader that scans the file naively. JSON.parse reads the escapes back.
 */
export function jsonForScript(value: unknown): string {
  return forScript(JSON.stringify(value));
}

function forScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Members of a long array made into text at a time. */
const MEMBERS_AT_ONCE = 1000;

/**
 * jsonForScript of an object of arrays (the page's hit data), in pieces: a
 * long array (a name and a count for each of 100,000 IOCs) a thousand
 * members at a time. The pieces together are jsonForScript(value): each
 * character escaped is one alone, so escaping a piece is escaping its part.
 */
export function* jsonForScriptPieces(value: Record<string, unknown>): Generator<string> {
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    // JSON.stringify leaves out a member whose value is undefined, a function or a symbol
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    const name = `${first ? '{' : ','}${forScript(JSON.stringify(key))}:`;
    first = false;
    if (!Array.isArray(member) || member.length <= MEMBERS_AT_ONCE) {
      yield `${name}${forScript(JSON.stringify(member))}`;
      continue;
    }
    yield `${name}[`;
    for (let at = 0; at < member.length; at += MEMBERS_AT_ONCE) {
      yield `${at === 0 ? '' : ','}${forScript(JSON.stringify(member.slice(at, at + MEMBERS_AT_ONCE)).slice(1, -1))}`;
    }
    yield ']';
  }
  yield first ? '{}' : '}';
}
