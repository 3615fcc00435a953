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

/** A value from the evidence, for element content or a quoted attribute. */
export function htmlText(value: string): string {
  return escapeMarkup(shown(value));
}

/**
 * JSON to sit inside `<script type="application/json">`. No `<` is left, so
 * nothing in the data can close the element (`</script>`) or switch the
 * parser into its escaped-comment state (`<!--`); `>` and `&` go too, for any
 * reader that scans the file naively. JSON.parse reads the escapes back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
